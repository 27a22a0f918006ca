package dev.flin.http.internal;

import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import java.util.function.BiConsumer;

/**
 * Hands a request to a handler agent by ask (rule 9.2), never blocking the caller: the event loop
 * calls {@link #dispatch} and gets the outcome later through the callback.
 *
 * <p>Threading: thread-safe; {@link #dispatch} never blocks.
 */
interface HandlerDispatcher {

    /**
     * Asks a handler agent to handle {@code request}.
     *
     * @param request  the request
     * @param handler  the route's handler
     * @param deadlineNanos {@link System#nanoTime()} at which the request is answered 504 if it has
     *                 no answer by then (rule 9.10): the ask's timeout is the time left until it
     * @param onResult called exactly once, on any thread, with the agent's result or the ask's
     *                 failure ({@link dev.flin.runtime.AskTimeoutException},
     *                 {@link dev.flin.runtime.MailboxFullException},
     *                 {@link dev.flin.runtime.AgentNotFoundException},
     *                 {@link dev.flin.runtime.RuntimeStoppedException}, ...); not called when
     *                 this method returns {@code false}
     * @return {@code false} if the request was refused at once because no handler agent has room
     *         for it (answer 503, rule 9.3)
     */
    boolean dispatch(HttpRequest request, HttpHandler handler, long deadlineNanos, BiConsumer<HandlerResult, Throwable> onResult);

    /** Stops the dispatcher's long-lived agents, if any. Idempotent. */
    void close();

    /** @return the time from now to {@code deadlineNanos}, at least a nanosecond (an ask's timeout must be positive) */
    static java.time.Duration timeLeft(final long deadlineNanos) {
        return java.time.Duration.ofNanos(Math.max(1, deadlineNanos - System.nanoTime()));
    }
}
