package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENT_FIELDS_ARE_ACCESSED_ONLY_BY_THEIR_AGENT: {@link Peeker} reads its state directly. */
public final class PeekedAgent implements Agent<String> {
    int handled;

    @Override
    public void onMessage(final String message, final AgentContext<String> context) {
        handled++;
    }
}
