package dev.flin.http;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The open WebSocket connections of a server: list them, broadcast to them.
 *
 * <p>Threading: thread-safe and non-blocking; usable from agents and from outside.
 */
public interface WebSocketHub {

    /** @return the connections open when the request is served, each described by its own agent */
    CompletionStage<List<WebSocketConnectionInfo>> connections();

    /** @return how many connections are open now */
    int connectionCount();

    /**
     * Sends {@code event} (written as JSON) to every open connection as a {@code broadcast} frame.
     *
     * @return how many connection agents accepted it
     */
    int broadcast(Object event);
}
