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
 * @param outboundLimit the most bytes held for one client (rule 9.7): half in Netty's queue for
 *     its socket, half waiting in its agent
 * @param pongTimeout how long the server waits for any frame after a ping, for the client's Close
 *     after its own, and for a client to take anything while frames wait for it
 */
record Shared(WebSocketEndpoint endpoint, Json json, WebSocketCounters counters, int maxFramePayload,
        int outboundLimit, Duration pongTimeout) {
}
