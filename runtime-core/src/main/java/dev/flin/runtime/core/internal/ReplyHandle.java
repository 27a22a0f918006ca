package dev.flin.runtime.core.internal;

import dev.flin.runtime.Reply;
import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The one-shot reply of one ask (rule 5.4). The future is completed exactly once, by the first of:
 * a reply, a failure, the timeout, the send failing, or the target terminating (rule 5.1).
 * Later replies are refused and counted as late replies.
 */
final class ReplyHandle<R> implements Reply<R> {

    final CompletableFuture<R> future = new CompletableFuture<>();
    private final AgentCell<?> target;
    private final Counters counters;
    private volatile Dispatcher.Scheduled timeout;
    /**
     * The ask's deadline on the dispatcher's clock, set before the request is sent (so every thread
     * that sees the request sees it, through the send's happens-before), or null without one. The
     * timer completes the ask at the deadline; {@link #isCompleted}, {@link #reply} and
     * {@link #fail} also do when they find it passed first, so an ask is timed out at its deadline
     * whichever thread looks first, however late the timer thread runs (rules 5.1, 5.4, 9.10).
     */
    private Dispatcher clock;
    private long expiresAt;
    private Class<?> requestType;
    private java.time.Duration timeoutDuration;
    /**
     * The request message this handle went out in, set by the asking thread before the handle is
     * added to the pending asks and before the send; the agent thread reads it (through the send's
     * happens-before) to fail the ask whose handler threw (rule 5.8).
     */
    private Object request;
    /**
     * Set by the asking thread once the request was accepted; until then termination leaves the
     * handle alone, so that a refused ask reports its refusal only (rule 5.3).
     */
    private volatile boolean accepted;

    ReplyHandle(final AgentCell<?> target, final Counters counters) {
        this.target = target;
        this.counters = counters;
    }

    /** The asking thread, before the send. */
    void deadline(final Dispatcher clock, final long expiresAt, final Class<?> requestType,
            final java.time.Duration timeout) {
        this.clock = clock;
        this.expiresAt = expiresAt;
        this.requestType = requestType;
        this.timeoutDuration = timeout;
    }

    /** The asking thread, before the handle is published and the request sent. */
    void request(final Object message) {
        this.request = message;
    }

    /** @return whether {@code message} is this ask's request (identity: the very object sent) */
    boolean isRequest(final Object message) {
        return request == message;
    }

    void accept() {
        accepted = true;
    }

    boolean isAccepted() {
        return accepted;
    }

    /** The timer, or whoever first finds the deadline passed: completes the ask with its timeout. */
    void expire() {
        if (failByRuntime(new dev.flin.runtime.AskTimeoutException(target.id, requestType, timeoutDuration))) {
            FlightEvents.askTimedOut(target, requestType, timeoutDuration);
        }
    }

    private void expireIfDue() {
        final Dispatcher c = clock;
        if (c != null && !future.isDone() && c.nanoTime() - expiresAt >= 0) {
            expire();
        }
    }

    @Override
    public boolean reply(final R value) {
        expireIfDue(); // a reply after the deadline is late even if the timer has not run yet (rule 5.4)
        if (future.complete(value)) {
            done();
            return true;
        }
        counters.lateReplies.increment();
        return false;
    }

    @Override
    public boolean fail(final Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        expireIfDue();
        if (future.completeExceptionally(cause)) {
            done();
            return true;
        }
        counters.lateReplies.increment();
        return false;
    }

    @Override
    public boolean isCompleted() {
        expireIfDue();
        return future.isDone();
    }

    /**
     * Completion by the runtime (timeout, send failure, termination): never counted as late.
     *
     * @return whether this completed the ask (false: it was already complete)
     */
    boolean failByRuntime(final Throwable cause) {
        if (future.completeExceptionally(cause)) {
            done();
            return true;
        }
        return false;
    }

    void timeoutHandle(final Dispatcher.Scheduled handle) {
        timeout = handle;
        if (future.isDone()) {
            handle.cancel();
        }
    }

    private void done() {
        target.forgetAsk(this);
        final Dispatcher.Scheduled handle = timeout;
        if (handle != null) {
            handle.cancel();
        }
    }
}
