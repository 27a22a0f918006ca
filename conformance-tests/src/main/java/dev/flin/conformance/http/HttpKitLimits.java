package dev.flin.conformance.http;

import java.time.Duration;

/**
 * The limits the kit asks the fixture server to run with. The kit's checks are written against
 * these values; a fixture MUST configure its server with exactly them.
 *
 * <p>Threading: an immutable value.
 *
 * @param maxInitialLineLength longest request line (else 414)
 * @param maxHeaderSize        largest header block in bytes (else 431)
 * @param maxContentLength     largest request body in bytes (else 413)
 * @param headerTimeout        headers not complete this long after the first byte: 408
 * @param idleTimeout          a connection with nothing in flight and no traffic this long is closed
 * @param askTimeout           a handler answer later than this: 504
 * @param wsMaxFramePayload    largest WebSocket frame payload (else close 1009)
 * @param wsOutboundLimit      bytes one WebSocket client may have queued (rule 9.7)
 * @param wsPingInterval       how long a WebSocket may be silent before the server pings it
 * @param wsPongTimeout        how long the server waits for any frame after its ping
 * @param maxConnections       connections open at once; one beyond is closed at once (rule 9.10)
 * @param maxBufferedRequestBytes request body bytes the server holds at once; beyond: 503 (rule 9.10)
 * @param bodyTimeout          a body not complete this long after its head: 408 (rule 9.10)
 *
 * <p>The kit also expects the server's defaults for rule 9.11: {@code Host} may name the bound
 * address ({@code 127.0.0.1}) or {@code localhost}, and only the server's own origin may send
 * state-changing requests and open WebSockets.
 */
public record HttpKitLimits(int maxInitialLineLength, int maxHeaderSize, int maxContentLength, Duration headerTimeout,
        Duration idleTimeout, Duration askTimeout, int wsMaxFramePayload, int wsOutboundLimit, Duration wsPingInterval,
        Duration wsPongTimeout, int maxConnections, int maxBufferedRequestBytes, Duration bodyTimeout) {

    /** @return the limits every kit check uses */
    public static HttpKitLimits kitDefaults() {
        return new HttpKitLimits(1024, 2048, 4096, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(3),
                8192, 64 * 1024, Duration.ofMillis(500), Duration.ofSeconds(3), 64, 2 * 4096, Duration.ofSeconds(1));
    }
}
