package dev.flin.http;

/**
 * What a {@link WebSocketEndpoint#ofHandler handler endpoint} does with its clients' messages,
 * instead of the subscription protocol: each complete text or binary message a client sends is
 * handed to the handler of that client's connection agent (rule 9.5), which answers through the
 * {@link WebSocketSession}.
 *
 * <p>The endpoint makes one handler per connection, on the connection agent's thread, so a handler
 * may keep that connection's state in its fields without locks. Pings, pongs, the closing
 * handshake and frame errors never reach it (the server handles them, rule 9.14).
 *
 * <p>Failures: a handler that throws fails its connection agent, which is not restarted: the
 * connection is closed with 1011 (internal error), the failure published like any agent's (rule
 * 4.5). Other connections are unaffected.
 *
 * <p>Threading: called on its connection agent's thread only, one message at a time, in the order
 * the client sent them (rule 1.1); everything a call did happens-before the next call (rule 1.2).
 * It must not block: it shares its thread with other agents.
 */
@FunctionalInterface
public interface WebSocketHandler {

    /**
     * Handles one client message.
     *
     * @param message the complete message, text or binary
     * @param session the connection: send frames and close it, during this call only
     * @throws Exception any failure: the connection is closed with 1011
     */
    void onMessage(WebSocketMessage message, WebSocketSession session) throws Exception;

    /**
     * Makes the handler of one connection ({@link WebSocketEndpoint#ofHandler}), e.g.
     * {@code () -> (message, session) -> session.send(message)}.
     *
     * <p>Threading: called by many connection agents, on their threads, possibly at once: it must
     * be thread-safe, and is best stateless (a lambda that makes a new handler is).
     */
    @FunctionalInterface
    interface Factory {

        /**
         * @return a new handler for one connection, never null
         * @throws Exception any failure: that connection's agent fails and it is closed with 1011
         */
        WebSocketHandler newHandler() throws Exception;
    }
}
