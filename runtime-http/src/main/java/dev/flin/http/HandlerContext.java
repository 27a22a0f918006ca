package dev.flin.http;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * What a {@link HttpHandler} may use while it handles one request.
 *
 * <p>Each request has a deadline: {@link #askTimeout()} after the server accepted it, the client is
 * answered 504. The deadline travels with the handler's asks (rule 9.10): {@link #ask} gives the
 * asked agent only the time the request has left, so once the client has its 504 the ask is timed
 * out too, and an agent that checks with {@link ExpiredAsks#drop} skips the request instead of doing
 * work whose answer nobody reads.
 *
 * <p>Threading: valid only on the handler agent's thread, during {@link HttpHandler#handle}.
 */
public interface HandlerContext {

    /** @return the runtime the handler agent lives in */
    AgentRuntime runtime();

    /** @return the server's ask timeout: how long a request may take in all before its client gets 504 (rule 9.3) */
    Duration askTimeout();

    /** @return the time this request has left before its client is answered 504; zero once it is past */
    Duration timeLeft();

    /**
     * Asks {@code target}, giving it {@link #timeLeft()} to reply. The reply arrives as a stage; the
     * handler agent is never blocked (rule 5.5).
     */
    <M, R> CompletionStage<R> ask(AgentRef<M> target, Function<Reply<R>, ? extends M> request);

    /** @return the JSON codec of the server */
    Json json();
}
