package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: every dead letter carries the reason {@code RECIPIENT_TERMINATED}, those of a runtime
 * shutdown too (to the dead-letter observer and to a {@code DEAD_LETTERS} subscriber), as if the
 * runtime knew only one reason. Counted as it should be. Rule 2.8.
 */
public final class LabelsDeadLettersRecipientTerminated extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public LabelsDeadLettersRecipientTerminated(final AgentRuntime delegate) {
        super(delegate);
    }

    /**
     * @param options runtime-core's options; their dead-letter observer, if any, is wrapped by the fault
     * @return the faulty runtime over runtime-core
     */
    public static LabelsDeadLettersRecipientTerminated create(final RuntimeOptions options) {
        final DeadLetterObserver observer = options.deadLetterObserver();
        final RuntimeOptions faulty = observer == null ? options
                : options.withDeadLetterObserver(letter -> observer.onDeadLetter(relabelled(letter)));
        return new LabelsDeadLettersRecipientTerminated(FlinRuntime.create(faulty));
    }

    /** The fault: whatever the reason, RECIPIENT_TERMINATED. */
    private static DeadLetter relabelled(final DeadLetter letter) {
        return new DeadLetter(letter.recipient(), letter.message(), DeadLetter.Reason.RECIPIENT_TERMINATED);
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
