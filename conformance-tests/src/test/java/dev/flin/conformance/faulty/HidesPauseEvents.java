package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: lifecycle events into {@code PAUSED} are not delivered to subscribers of
 * {@code SystemTopics.LIFECYCLE}, so the observed chain of transitions has a gap (RUNNING, then
 * PAUSED to RUNNING). Rule 3.9 (and 6.7).
 */
public final class HidesPauseEvents extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public HidesPauseEvents(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        if (message instanceof LifecycleEvent event && event.to() == AgentState.PAUSED) {
            return; // the fault: swallowed
        }
        super.onMessage(agent, message, context);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new HidesPauseEvents(FlinRuntime.create(options));
        }
    }
}
