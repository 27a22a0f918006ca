package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_DO_NOT_HOLD_OTHER_AGENTS: calls another agent's methods instead of messaging it. */
public final class HoldsAnotherAgent implements Agent<String> {
    private final StaticStateAgent other = new StaticStateAgent();

    @Override
    public void onMessage(final String message, final AgentContext<String> context) throws Exception {
        other.onMessage(message, null);
    }
}
