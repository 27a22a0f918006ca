package dev.flin.conformance.simple;

import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one-shot reply of one ask (rules 5.1, 5.4). The future is completed by the first of: the
 * reply, {@link #fail}, the timeout, the send's refusal, or the target's termination. A later
 * {@code reply}/{@code fail} from user code returns false and is counted as a late reply;
 * completions by the runtime itself are never counted.
 */
final class AskReply<R> implements Reply<R> {

    private final CompletableFuture<R> future = new CompletableFuture<>();
    private final SimpleAgent<?> target;
    private volatile ScheduledFuture<?> timeout;

    /** The request message, set by the asker before the send (published by the mailbox's monitor). */
    private Object request;

    void request(final Object message) {
        this.request = message;
    }

    boolean isRequest(final Object message) {
        return request == message;
    }

    AskReply(final SimpleAgent<?> target) {
        this.target = target;
    }

    /** The caller cannot complete (or obtrude) this stage: only we can. */
    CompletionStage<R> stage() {
        return future.minimalCompletionStage();
    }

    @Override
    public boolean reply(final R value) {
        if (future.complete(value)) {
            finished();
            return true;
        }
        target.rt.lateReplies.increment();
        return false;
    }

    @Override
    public boolean fail(final Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        if (future.completeExceptionally(cause)) {
            finished();
            return true;
        }
        target.rt.lateReplies.increment();
        return false;
    }

    @Override
    public boolean isCompleted() {
        return future.isDone();
    }

    void failByRuntime(final Throwable cause) {
        if (future.completeExceptionally(cause)) {
            finished();
        }
    }

    void armTimeout(final Class<?> requestType, final Duration after) {
        if (future.isDone()) {
            return;
        }
        long nanos;
        try {
            nanos = after.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE / 2;
        }
        try {
            timeout = target.rt.scheduler.schedule(
                    () -> failByRuntime(new AskTimeoutException(target.id(), requestType, after)),
                    nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return; // runtime shutting down: the target's termination completes this ask
        }
        if (future.isDone()) {
            timeout.cancel(false); // replied while we were scheduling
        }
    }

    private void finished() {
        target.pendingAsks.remove(this);
        final ScheduledFuture<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
