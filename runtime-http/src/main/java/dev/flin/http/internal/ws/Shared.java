package dev.flin.http.internal.ws;

import dev.flin.http.Json;
import dev.flin.http.WebSocketEndpoint;
import java.time.Duration;

/**
 * What every connection of one endpoint shares: the endpoint, the codec, the counters and the
 * limits.
 *
 * <p>Threading: immutable, and every part is thread-safe.
 *
 * @param endpoint the endpoint: path, topics, mailbox capacity
 * @param json the server's codec
 * @param counters the endpoint's counters
 * @param maxFramePayload the largest frame payload, and the largest message of continuation frames
 * @param outboundLimit bytes queued for a client beyond which it is dropped as slow (rule 9.7)
 * @param pongTimeout how long the server waits for any frame after a ping, and for the client's
 *     Close after its own
 */
record Shared(WebSocketEndpoint endpoint, Json json, WebSocketCounters counters, int maxFramePayload,
        int outboundLimit,
        Duration pongTimeout) {
}
