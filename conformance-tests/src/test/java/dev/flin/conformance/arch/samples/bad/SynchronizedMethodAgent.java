package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_HAVE_NO_SYNCHRONIZED_METHODS. */
public final class SynchronizedMethodAgent implements Agent<String> {
    private int handled;

    @Override
    public synchronized void onMessage(final String message, final AgentContext<String> context) {
        handled++;
    }
}
