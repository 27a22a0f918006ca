package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_HAVE_NO_MUTABLE_STATIC_FIELDS: a counter shared by every instance. */
public final class StaticStateAgent implements Agent<String> {
    private static int handledByAllInstances;

    @Override
    public void onMessage(final String message, final AgentContext<String> context) {
        handledByAllInstances++;
    }
}
