package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Fault: an ask's timeout is ignored (the real ask gets a timeout of one day), so an ask whose
 * target never replies stays pending: no {@code AskTimeoutException}. Replies, refused sends and a
 * target that terminates still complete it. Rules 5.1, 5.2 (and 5.4: a late reply is accepted).
 */
public final class AskNeverTimesOut extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public AskNeverTimesOut(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M, R> CompletionStage<R> ask(final AgentRef<M> real, final Function<Reply<R>, ? extends M> request,
                                            final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, was " + timeout);
        }
        return super.ask(real, request, Duration.ofDays(1)); // the fault
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new AskNeverTimesOut(FlinRuntime.create(options));
        }
    }
}
