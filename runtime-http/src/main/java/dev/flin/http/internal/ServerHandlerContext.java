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
 * The {@link HandlerContext} of one server: the same for every request.
 *
 * <p>Threading: immutable; although handlers are told to use it on their agent's thread, every
 * method here is thread-safe and non-blocking.
 */
final class ServerHandlerContext implements HandlerContext {

    private final AgentRuntime runtime;
    private final Duration askTimeout;
    private final Json json;

    ServerHandlerContext(final AgentRuntime runtime, final Duration askTimeout, final Json json) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.askTimeout = Objects.requireNonNull(askTimeout, "askTimeout");
        this.json = Objects.requireNonNull(json, "json");
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
    public <M, R> CompletionStage<R> ask(final AgentRef<M> target, final Function<Reply<R>, ? extends M> request) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
        return target.ask(request, askTimeout);
    }

    @Override
    public Json json() {
        return json;
    }
}
