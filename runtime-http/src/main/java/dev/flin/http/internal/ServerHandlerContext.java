package dev.flin.http.internal;

import dev.flin.http.HandlerContext;
import dev.flin.http.Json;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The {@link HandlerContext} of one request: the server's runtime, timeout and JSON codec, and the
 * request's deadline (rule 9.10). The server keeps one without a deadline as the template;
 * {@link #forDeadline} makes each request's.
 *
 * <p>Threading: immutable; although handlers are told to use it on their agent's thread, every
 * method here is thread-safe and non-blocking.
 */
final class ServerHandlerContext implements HandlerContext {

    /** The shortest timeout an ask gets: one past its deadline still needs a positive one, and times out at once. */
    private static final Duration AT_ONCE = Duration.ofNanos(1);

    private final AgentRuntime runtime;
    private final Duration askTimeout;
    private final Json json;
    private final long deadlineNanos;

    ServerHandlerContext(final AgentRuntime runtime, final Duration askTimeout, final Json json) {
        this(runtime, askTimeout, json, Long.MIN_VALUE);
    }

    private ServerHandlerContext(final AgentRuntime runtime, final Duration askTimeout, final Json json,
            final long deadlineNanos) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.askTimeout = Objects.requireNonNull(askTimeout, "askTimeout");
        this.json = Objects.requireNonNull(json, "json");
        this.deadlineNanos = deadlineNanos;
    }

    /** @return the context of a request whose client is answered 504 at {@code deadlineNanos} ({@link System#nanoTime()}) */
    ServerHandlerContext forDeadline(final long deadlineNanos) {
        return new ServerHandlerContext(runtime, askTimeout, json, deadlineNanos);
    }

    @Override
    public AgentRuntime runtime() {
        return runtime;
    }

    @Override
    public Duration askTimeout() {
        return askTimeout;
    }

    @Override
    public Duration timeLeft() {
        if (deadlineNanos == Long.MIN_VALUE) {
            return askTimeout; // the template: no request, no deadline
        }
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }

    @Override
    public <M, R> CompletionStage<R> ask(final AgentRef<M> target, final Function<Reply<R>, ? extends M> request) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
        final Duration left = timeLeft();
        return target.ask(request, left.isZero() ? AT_ONCE : left);
    }

    @Override
    public Json json() {
        return json;
    }
}
