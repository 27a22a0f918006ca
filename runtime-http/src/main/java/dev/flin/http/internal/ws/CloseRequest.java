package dev.flin.http.internal.ws;

/**
 * A request to close one connection, fired as a user event down its pipeline so that
 * {@link FrameHandler} runs it on the event loop whatever thread asked.
 *
 * <p>Threading: an immutable value.
 *
 * @param code the WebSocket close status sent to the client
 * @param reason the close reason sent to the client (cut to fit a control frame)
 * @param abort {@code true} to close the TCP connection right after the Close frame was handed to
 *     the socket (the client is not reading, or not answering); {@code false} to wait for the
 *     client's Close, at most {@code HttpServerConfig.wsPongTimeout()}
 */
record CloseRequest(int code, String reason, boolean abort) {

    static final int NORMAL = 1000;
    static final int GOING_AWAY = 1001;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_PAYLOAD = 1007;
    static final int POLICY_VIOLATION = 1008;
    static final int MESSAGE_TOO_BIG = 1009;
    static final int INTERNAL_ERROR = 1011;

    static CloseRequest shuttingDown() {
        return new CloseRequest(GOING_AWAY, "server shutting down", false);
    }
}
