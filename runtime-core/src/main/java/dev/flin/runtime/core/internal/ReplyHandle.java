package dev.flin.runtime.core.internal;

import dev.flin.runtime.Reply;
import dev.flin.runtime.core.Dispatcher;
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

    ReplyHandle(final AgentCell<?> target, final Counters counters) {
        this.target = target;
        this.counters = counters;
    }

    @Override
    public boolean reply(final R value) {
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
        if (future.completeExceptionally(cause)) {
            done();
            return true;
        }
        counters.lateReplies.increment();
        return false;
    }

    @Override
    public boolean isCompleted() {
        return future.isDone();
    }

    /** Completion by the runtime (timeout, send failure, termination): never counted as late. */
    void failByRuntime(final Throwable cause) {
        if (future.completeExceptionally(cause)) {
            done();
        }
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
