package dev.flin.conformance;

import dev.flin.conformance.simple.ThreadPerAgentRuntime;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetterObserver;
import java.util.Set;

/**
 * Runs the kit against the deliberately simple second implementation (one platform thread per agent
 * over java.util.concurrent queues), plugged in exactly as docs/conformance.md says.
 */
class ThreadPerAgentRuntimeConformanceVerification extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return ThreadPerAgentRuntime.create();
            }

            @Override
            public AgentRuntime create(final DeadLetterObserver observer) {
                return ThreadPerAgentRuntime.create(observer);
            }

            @Override
            public Set<Capability> capabilities() {
                final Set<Capability> all = RuntimeProvider.super.capabilities();
                all.add(Capability.DEAD_LETTER_OBSERVER);
                return all;
            }
        };
    }
}
