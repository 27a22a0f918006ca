package dev.flin.http;

/**
 * One WebSocket connection as its {@link WebSocketHandler} sees it: send messages to the client,
 * or close the connection.
 *
 * <p>Outbound frames go through the connection agent's bounded backlog, like the subscription
 * protocol's events (rule 9.7): they are written while the socket takes them and otherwise wait in
 * the agent, in order. A handler endpoint never discards a frame it was given: a client that falls
 * so far behind that the frames waiting for it exceed the endpoint's share of
 * {@link HttpServerConfig#wsOutboundLimit()} (about one frame over is allowed) is dropped with
 * 1008 instead, counted and logged; so is a client that takes nothing for
 * {@link HttpServerConfig#wsPongTimeout()} while frames wait. After {@link #close} (or once the
 * connection is closing for any reason) sends are ignored and no further message reaches the
 * handler.
 *
 * <p>Threading: valid on the connection agent's thread during
 * {@link WebSocketHandler#onMessage} only; a call from elsewhere, or after that call returned,
 * throws {@link IllegalStateException}. None of the methods waits.
 */
public interface WebSocketSession {

    /**
     * Sends one message as one frame: a text frame for {@link WebSocketMessage.Text}, a binary
     * frame for {@link WebSocketMessage.Binary}.
     *
     * @throws IllegalArgumentException if a text message is not valid Unicode (an unpaired
     *     surrogate cannot be written as UTF-8)
     * @throws IllegalStateException if called off the agent's thread or outside {@code onMessage}
     */
    void send(WebSocketMessage message);

    /** {@link #send} of a {@link WebSocketMessage.Text}. */
    default void sendText(final String text) {
        send(new WebSocketMessage.Text(text));
    }

    /** {@link #send} of a {@link WebSocketMessage.Binary} with a copy of {@code data}. */
    default void sendBinary(final byte[] data) {
        send(new WebSocketMessage.Binary(data));
    }

    /**
     * Closes the connection: once the frames sent before have been written, a Close frame with
     * {@code code} and {@code reason} follows, then the server waits for the client's Close (at
     * most {@link HttpServerConfig#wsPongTimeout()}) and ends the connection. Idempotent: only the
     * first call counts.
     *
     * @param code a status an endpoint may send (RFC 6455 7.4): 1000-1003, 1007-1014 or 3000-4999
     * @param reason at most 123 bytes in UTF-8 (a control frame carries at most 125)
     * @throws IllegalArgumentException if {@code code} or {@code reason} is not allowed
     * @throws IllegalStateException if called off the agent's thread or outside {@code onMessage}
     */
    void close(int code, String reason);

    /** @return the client's address, as text (e.g. {@code /127.0.0.1:51234}) */
    String remoteAddress();
}
