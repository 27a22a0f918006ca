package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_HAVE_NO_PUBLIC_MUTABLE_FIELDS: anyone holding the instance can write it. */
public final class PublicFieldAgent implements Agent<String> {
    /** Handled so far. */
    public int handled;

    @Override
    public void onMessage(final String message, final AgentContext<String> context) {
        handled++;
    }
}
