package dev.flin.conformance.broken;

import dev.flin.conformance.faulty.ForwardingRuntime;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.TerminationCause;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Badly broken runtimes, for measuring and bounding how long the kit takes to fail one: unlike the
 * faulty runtimes of the matrix (one subtle fault each), each of these breaks a whole area, so
 * that most checks wait for something that never happens. Run with the kit's DEFAULT timeouts by
 * the verifications next to this class.
 *
 * <p>Threading: as the wrapped runtime's; the broken paths keep no state.
 */
public final class BrokenRuntimes {

    private BrokenRuntimes() {
    }

    /** Accepts every send but never runs {@code onMessage}: no agent ever processes anything. */
    public static final class NeverProcesses extends ForwardingRuntime {
        /**
         * @param delegate the real runtime
         */
        public NeverProcesses(final AgentRuntime delegate) {
            super(delegate);
        }

        @Override
        protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) {
            // the fault: the message is taken from the mailbox and forgotten
        }
    }

    /** Every ask returns a stage that never completes (the request is still sent). */
    public static final class AsksNeverComplete extends ForwardingRuntime {
        /**
         * @param delegate the real runtime
         */
        public AsksNeverComplete(final AgentRuntime delegate) {
            super(delegate);
        }

        @Override
        protected <M, R> CompletionStage<R> ask(final AgentRef<M> real, final Function<Reply<R>, ? extends M> request,
                                                final Duration timeout) {
            super.ask(real, request, timeout);
            return new CompletableFuture<>(); // the fault
        }
    }

    /** {@code stop} is accepted but does nothing: agents never terminate, the stage never completes. */
    public static final class NeverStops extends ForwardingRuntime {
        /**
         * @param delegate the real runtime
         */
        public NeverStops(final AgentRuntime delegate) {
            super(delegate);
        }

        @Override
        public CompletionStage<TerminationCause> stop(final AgentId target) {
            return new CompletableFuture<>(); // the fault
        }
    }
}
