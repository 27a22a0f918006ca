package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;

/**
 * Breaks AGENTS_ACCESS_ONLY_THEIR_OWN_MUTABLE_FIELDS: every agent the factory makes counts into
 * the enclosing object's field, shared by all of them.
 */
public final class EnclosingStateAgents {
    private int total;

    /** @return a factory of agents that share {@code total} */
    public AgentFactory<String> factory() {
        return () -> new Agent<>() {
            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
                total++;
            }
        };
    }
}
