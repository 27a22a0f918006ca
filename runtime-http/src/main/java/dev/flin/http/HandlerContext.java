package dev.flin.http;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a {@link HttpHandler} may use while it handles a request.
 *
 * <p>Threading: valid only on the handler agent's thread, during {@link HttpHandler#handle}.
 */
public interface HandlerContext {

    /** @return the runtime the handler agent lives in */
    AgentRuntime runtime();

    /** @return the server's ask timeout; an ask that exceeds it answers 504 (rule 9.3) */
    Duration askTimeout();

    /**
     * Asks {@code target} with the server's ask timeout. The reply arrives as a stage; the handler
     * agent is never blocked (rule 5.5).
     */
    <M, R> CompletionStage<R> ask(AgentRef<M> target, Function<Reply<R>, ? extends M> request);

    /** @return the JSON codec of the server */
    Json json();
}
