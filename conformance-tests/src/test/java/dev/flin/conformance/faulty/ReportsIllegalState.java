package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Optional;

/**
 * Fault: {@code state(id)} reports a paused agent as {@code TERMINATED}, and as {@code RUNNING}
 * again after resume: an observer sees the illegal transition TERMINATED to RUNNING, and a live agent
 * reported as terminated. (A {@code LifecycleEvent} cannot carry an illegal edge, its constructor
 * refuses it, so the fault shows through {@code state()}.) Rules 3.1, 3.4, 8.1.
 */
public final class ReportsIllegalState extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public ReportsIllegalState(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    public Optional<AgentState> state(final AgentId target) {
        return super.state(target).map(s -> s == AgentState.PAUSED ? AgentState.TERMINATED : s);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new ReportsIllegalState(FlinRuntime.create(options));
        }
    }
}
