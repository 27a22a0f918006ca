package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: every dead letter carries the reason {@code RUNTIME_SHUTDOWN}, those of an agent that
 * terminated while the runtime runs too (to the dead-letter observer and to a {@code DEAD_LETTERS}
 * subscriber): the mirror of {@link LabelsDeadLettersRecipientTerminated}. Rule 2.8.
 */
public final class LabelsDeadLettersRuntimeShutdown extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public LabelsDeadLettersRuntimeShutdown(final AgentRuntime delegate) {
        super(delegate);
    }

    /**
     * @param options runtime-core's options; their dead-letter observer, if any, is wrapped by the fault
     * @return the faulty runtime over runtime-core
     */
    public static LabelsDeadLettersRuntimeShutdown create(final RuntimeOptions options) {
        final DeadLetterObserver observer = options.deadLetterObserver();
        final RuntimeOptions faulty = observer == null ? options
                : options.withDeadLetterObserver(letter -> observer.onDeadLetter(relabelled(letter)));
        return new LabelsDeadLettersRuntimeShutdown(FlinRuntime.create(faulty));
    }

    /** The fault: whatever the reason, RUNTIME_SHUTDOWN. */
    private static DeadLetter relabelled(final DeadLetter letter) {
        return new DeadLetter(letter.recipient(), letter.message(), DeadLetter.Reason.RUNTIME_SHUTDOWN);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        if (message instanceof DeadLetter d) {
            agent.onMessage((M) relabelled(d), context);
            return;
        }
        agent.onMessage(message, context);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return create(options);
        }
    }
}
