package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: the factory is called once; every restart reuses that first instance (in a fresh wrapper,
 * so the real runtime's own check of rule 1.3 does not see it), and its state survives the restart.
 * Rules 1.3, 4.8.
 */
public final class RestartsWithOldInstance extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public RestartsWithOldInstance(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> AgentFactory<M> wrapFactory(final Class<M> messageType, final AgentFactory<M> factory) {
        return new AgentFactory<>() {
            private Agent<M> first; // agent thread only

            @Override
            public Agent<M> create() {
                if (first == null) {
                    first = factory.create();
                }
                return first == null ? null : wrapAgent(first); // the fault: always the first instance
            }
        };
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new RestartsWithOldInstance(FlinRuntime.create(options));
        }
    }
}
