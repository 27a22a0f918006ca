package dev.flin.http;

/**
 * A snapshot of an {@link HttpServer}'s counters. Each counter is exact at quiescence; during
 * traffic the fields are read one by one, not atomically together.
 *
 * <p>At quiescence every request the server read is accounted for once (rule 9.1):
 * <pre>
 *   requestsAccepted + protocolErrors == responses2xx + responses4xx + responses5xx + responsesLost
 * </pre>
 * (with {@code requestsInFlight == 0}). WebSocket upgrades are handed to the WebSocket side and
 * counted in {@code wsConnectionsOpen}, not here.
 *
 * <p>Threading: an immutable value.
 *
 * @param connectionsOpen HTTP and WebSocket connections open now
 * @param connectionsAccepted connections accepted since start
 * @param requestsAccepted requests fully received and routed, since start (each gets exactly one response, rule 9.1)
 * @param requestsInFlight accepted requests not yet answered
 * @param responses2xx successful responses (2xx and 3xx)
 * @param responses4xx client-error responses, including those the server sends itself (400, 404, 405, 408, 413, 414, 417, 431)
 * @param responses5xx server-error responses
 * @param rejectedOverload 503s because a mailbox was full or too many requests were in flight (rule 9.3)
 * @param askTimeouts 504s
 * @param handlerFailures 500s: handlers that threw (rule 9.3)
 * @param wsConnectionsOpen WebSocket connections open now
 * @param wsFramesOut WebSocket frames written to clients since start
 * @param wsDroppedSlow WebSocket clients closed because their outbound buffer passed the limit (rule 9.7)
 * @param wsRefusedUpgrades WebSocket upgrade requests answered with an error and a closed connection:
 *     a bad handshake (400), an unsupported version (426), or the server or runtime shutting down (503)
 * @param protocolErrors requests refused before they were accepted, each answered with an error and
 *     a closed connection: malformed (400), too slow (408), too large (413, 414, 431), unsupported
 *     {@code Expect} (417), HTTP version (505), bad {@code Host} (400), no memory for the body
 *     (503) (rules 9.3, 9.9-9.12)
 * @param responsesLost accepted requests whose connection closed (the client left, or was dropped
 *     for not reading) before their response could be written
 * @param droppedNotReading HTTP connections closed because their client left its answers unread:
 *     the socket stayed full (Netty's write buffer over its high-water mark) for the idle timeout
 *     (rule 9.9)
 * @param connectionsRefused connections closed at once because {@code maxConnections} were open (rule 9.10)
 * @param rejectedMemory request bodies refused with 503 (and a closed connection) because the
 *     server held {@code maxBufferedRequestBytes} of request bodies (rule 9.10); also in {@code protocolErrors}
 * @param rejectedOrigin requests answered 403 because their {@code Origin} is not allowed (rule 9.11)
 * @param requestsExpired accepted requests a handler agent dropped without running them, because
 *     their client had already been answered 504 (rule 9.10)
 * @param requestBytesBuffered request body bytes held in memory now (bounded by {@code maxBufferedRequestBytes})
 */
public record HttpServerStats(
        long connectionsOpen,
        long connectionsAccepted,
        long requestsAccepted,
        long requestsInFlight,
        long responses2xx,
        long responses4xx,
        long responses5xx,
        long rejectedOverload,
        long askTimeouts,
        long handlerFailures,
        long wsConnectionsOpen,
        long wsFramesOut,
        long wsDroppedSlow,
        long wsRefusedUpgrades,
        long protocolErrors,
        long responsesLost,
        long droppedNotReading,
        long connectionsRefused,
        long rejectedMemory,
        long rejectedOrigin,
        long requestsExpired,
        long requestBytesBuffered) {

    /** @return every response the server wrote, whatever its status */
    public long responses() {
        return responses2xx + responses4xx + responses5xx;
    }
}
