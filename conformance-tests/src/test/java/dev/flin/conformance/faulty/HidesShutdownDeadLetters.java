package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: the dead letters of a runtime shutdown (reason {@code RUNTIME_SHUTDOWN}, a forced
 * shutdown's included) are counted but never passed on: not to the dead-letter observer, not to a
 * {@code DEAD_LETTERS} subscriber. Those of an agent that terminated while the runtime runs are
 * passed on as they should be. Rule 2.8.
 */
public final class HidesShutdownDeadLetters extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public HidesShutdownDeadLetters(final AgentRuntime delegate) {
        super(delegate);
    }

    /**
     * @param options runtime-core's options; their dead-letter observer, if any, is wrapped by the fault
     * @return the faulty runtime over runtime-core
     */
    public static HidesShutdownDeadLetters create(final RuntimeOptions options) {
        final DeadLetterObserver observer = options.deadLetterObserver();
        final RuntimeOptions faulty = observer == null ? options : options.withDeadLetterObserver(letter -> {
            if (letter.reason() != DeadLetter.Reason.RUNTIME_SHUTDOWN) { // the fault: a shutdown's are dropped
                observer.onDeadLetter(letter);
            }
        });
        return new HidesShutdownDeadLetters(FlinRuntime.create(faulty));
    }

    @Override
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        if (message instanceof DeadLetter d && (d.reason() == DeadLetter.Reason.RUNTIME_SHUTDOWN || delegate.isShutdown())) {
            return; // the fault: counted, but never seen by the subscriber
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
