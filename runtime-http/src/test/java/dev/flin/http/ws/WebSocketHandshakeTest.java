package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Rule 9.3 at the upgrade: a bad handshake gets an HTTP error naming what is wrong, and no agent. */
class WebSocketHandshakeTest extends WsTestBase {

    private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    static Stream<Arguments> badHandshakes() {
        final String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
        return Stream.of(
                Arguments.of("no key", upgrade + "Sec-WebSocket-Version: 13\r\n", 400,
                        "missing header Sec-WebSocket-Key"),
                Arguments.of("short key", upgrade + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n",
                        400, "must be 16 bytes in base64"),
                Arguments.of("no version", upgrade + KEY, 400, "missing header Sec-WebSocket-Version"),
                Arguments.of("old version", upgrade + "Sec-WebSocket-Version: 8\r\n" + KEY, 426,
                        "unsupported Sec-WebSocket-Version '8'"),
                Arguments.of("no Connection", "Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n" + KEY, 400,
                        "the Connection header must include 'Upgrade'"),
                Arguments.of("other upgrade", "Upgrade: h2c\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + KEY, 400, "missing header 'Upgrade: websocket'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHandshakes")
    void spec_9_3_a_bad_handshake_is_refused_naming_what_is_wrong(final String name, final String headers,
            final int status, final String expected) throws Exception {
        start();
        try (RawWsClient raw = RawWsClient.connectRaw(server.port(), 0)) {
            raw.sendRaw("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n");
            final String head = raw.readHttpHead();
            assertTrue(head.startsWith("HTTP/1.1 " + status), head);
            final String body = raw.readBody(head);
            assertTrue(body.contains(expected), body);
            if (status == 426) {
                assertTrue(head.toLowerCase(Locale.ROOT).contains("sec-websocket-version: 13"), head);
            }
            assertEquals(-1, raw.input().read(), "the server closes after a refusal");
        }
        assertEquals(0, server.support().openConnections());
        assertEquals(0, runtime.counters().spawned(), "no agent for a refused upgrade");
        assertEquals(1, server.support().refusedUpgrades());
    }

    @Test
    void a_valid_handshake_spawns_one_agent_and_the_connection_speaks_websocket() throws Exception {
        start();
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            raw.sendText("{\"op\":\"subscribe\",\"topic\":\"todo\"}");
            assertEquals("{\"type\":\"subscribed\",\"topic\":\"todo\"}", raw.read().text());
            assertEquals(1, runtime.counters().spawned());
            assertEquals(1, server.support().acceptedConnections());
        }
    }
}
