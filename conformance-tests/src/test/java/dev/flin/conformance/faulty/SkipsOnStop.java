package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: never calls {@code onStop}, neither when an agent stops nor before a restart, so
 * resources opened in {@code onStart} leak. Rule 3.3.
 */
public final class SkipsOnStop extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public SkipsOnStop(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void onStop(final Agent<M> agent, final AgentContext<M> context) {
        // the fault: skipped
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new SkipsOnStop(FlinRuntime.create(options));
        }
    }
}
