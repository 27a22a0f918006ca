package dev.flin.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The open WebSocket connections of a server: list them, broadcast to them. The hub holds a
 * handle per connection (its agent's ref and its channel), never a connection's state: each
 * connection's agent describes itself when asked (rule 1.4).
 *
 * <p>Threading: thread-safe and non-blocking; usable from agents and from outside. A broadcast
 * that a connection's agent accepted happens-before that agent writes it (rule 1.2); frames a
 * connection's agent writes reach its client in the order it wrote them.
 */
public interface WebSocketHub {

    /**
     * Asks every open connection's agent to describe itself (without waiting), and combines the
     * answers. A connection that closes meanwhile, or whose agent cannot answer within the
     * server's ask timeout (its mailbox is full), is left out.
     *
     * @return the connections open when the request is served, each described by its own agent,
     *     ordered by agent id
     */
    CompletionStage<List<WebSocketConnectionInfo>> connections();

    /** @return how many connections are open now */
    int connectionCount();

    /**
     * Sends {@code event} (written as JSON once) to every open connection as a {@code broadcast}
     * frame, by a non-blocking send to each connection's agent: an agent whose mailbox is full, or
     * that is closing, does not get it.
     *
     * @return how many connection agents accepted it
     * @throws IllegalArgumentException if {@code event} cannot be written as JSON, naming its type
     * @throws NullPointerException if {@code event} is null
     */
    int broadcast(Object event);
}
