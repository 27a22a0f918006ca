package dev.flin.http;

import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drops, and counts, the requests whose asker has stopped waiting (rule 9.10). An agent that serves
 * handlers' asks calls {@link #drop} first thing in {@code onMessage}:
 *
 * <pre>{@code
 * public void onMessage(StoreCommand command, AgentContext<StoreCommand> context) {
 *     if (expired.drop(command)) {
 *         return; // its HTTP client has had its 504: nothing would read the answer
 *     }
 *     ...
 * }
 * }</pre>
 *
 * A request's ask is completed when it times out; through {@link HandlerContext#ask} its timeout is
 * the HTTP request's deadline, so a request found completed here was answered 504 before it ran.
 * Running it anyway would spend the agent's time on answers nobody reads, and under overload that
 * is all of its time: the queue behind a slow agent would never shorten.
 *
 * <p>Threading: thread-safe; {@link #drop} is called on the receiving agent's thread and
 * {@link #dropped} on any thread (a {@link LongAdder}: exact at quiescence).
 */
public final class ExpiredAsks {

    private final LongAdder dropped = new LongAdder();

    private ExpiredAsks() {
    }

    /** @return a counter of its own, starting at 0 */
    public static ExpiredAsks create() {
        return new ExpiredAsks();
    }

    /**
     * @param request a request about to be handled
     * @return true if its ask is already completed (timed out, so its HTTP client was answered
     *     504, or completed by someone else): the caller skips it. Counted.
     */
    public boolean drop(final AskRequest request) {
        Objects.requireNonNull(request, "request");
        if (request.reply().isCompleted()) {
            dropped.increment();
            return true;
        }
        return false;
    }

    /** @return the requests dropped so far */
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public String toString() {
        return "ExpiredAsks[dropped=" + dropped.sum() + "]";
    }
}
