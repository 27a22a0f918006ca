package dev.flin.http.internal;

import dev.flin.http.ExpiredAsks;
import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * {@link dev.flin.http.HandlerMode#PER_REQUEST}: spawns one agent per request
 * ({@link RestartPolicy#never()}), asks it, and lets it stop itself once it has answered. No state
 * can leak from one request to the next.
 *
 * <p>Threading: thread-safe (immutable); {@link #dispatch} never blocks: spawn and ask do not
 * (rule 8.5, 5.5).
 */
final class PerRequestDispatcher implements HandlerDispatcher {

    private final AgentRuntime runtime;
    private final ServerHandlerContext handlerContext;
    private final ErrorResponses errors;
    private final ExpiredAsks expired;
    private final SpawnOptions options;

    PerRequestDispatcher(final AgentRuntime runtime, final ServerHandlerContext handlerContext, final ErrorResponses errors,
            final ExpiredAsks expired, final int mailboxCapacity) {
        this.runtime = runtime;
        this.handlerContext = handlerContext;
        this.errors = errors;
        this.expired = expired;
        this.options = SpawnOptions.defaults().withMailboxCapacity(mailboxCapacity).withRestartPolicy(RestartPolicy.never());
    }

    @Override
    public boolean dispatch(final HttpRequest request, final HttpHandler handler, final long deadlineNanos,
            final BiConsumer<HandlerResult, Throwable> onResult) {
        CompletionStage<HandlerResult> stage;
        try {
            final AgentRef<HandlerMessage> agent = runtime.spawn(HandlerMessage.class,
                    () -> new HandlerAgent(handlerContext, errors, expired, slot -> { }, true, new HandlerAgent.Promises()), options);
            stage = agent.ask(reply -> new HandlerMessage.Handle(request, handler, -1, deadlineNanos, reply),
                    HandlerDispatcher.timeLeft(deadlineNanos));
        } catch (final RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        stage.whenComplete(onResult);
        return true;
    }

    @Override
    public void close() {
        // Nothing long-lived: each agent stops itself after its request.
    }
}
