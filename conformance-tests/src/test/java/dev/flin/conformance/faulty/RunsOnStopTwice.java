package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: calls {@code onStop} twice per started instance (both on the agent thread, one after the
 * other), so resources are released twice. Rule 3.3.
 */
public final class RunsOnStopTwice extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public RunsOnStopTwice(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void onStop(final Agent<M> agent, final AgentContext<M> context) throws Exception {
        try {
            super.onStop(agent, context);
        } finally {
            super.onStop(agent, context); // the fault: once more
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new RunsOnStopTwice(FlinRuntime.create(options));
        }
    }
}
