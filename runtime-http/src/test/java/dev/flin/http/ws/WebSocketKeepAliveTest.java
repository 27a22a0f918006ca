package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rule 9.7, keep-alive: the server pings an idle client, closes one that answers nothing, answers pings. */
class WebSocketKeepAliveTest extends WsTestBase {

    @Test
    void spec_9_7_an_idle_client_is_pinged_and_stays_open_while_it_answers() throws Exception {
        start(TestWsServer.config().wsPingInterval(Duration.ofMillis(50)).wsPongTimeout(Duration.ofSeconds(30)).build(),
                WebSocketEndpoint.of("/ws", TODO));
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);

        // The server sends a ping only once the previous one was answered: a third ping proves
        // that the client's pongs reached the server and counted as traffic.
        for (int i = 1; i <= 3; i++) {
            assertNotNull(client.pingSeen.poll(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    "ping " + i);
        }
        subscribe(ws, client, "todo");
        assertEquals(0, server.support().closedPongTimeout());
        assertTrue(server.support().pingsSent() >= 3);
        assertEquals(1, server.support().openConnections());
    }

    @Test
    void spec_9_7_a_client_that_answers_no_ping_is_closed() throws Exception {
        start(TestWsServer.config().wsPingInterval(Duration.ofMillis(50)).wsPongTimeout(Duration.ofMillis(200)).build(),
                WebSocketEndpoint.of("/ws", TODO));
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            final RawWsClient.Frame ping = raw.read();
            assertEquals(RawWsClient.PING, ping.opcode());
            final RawWsClient.Frame close = raw.read(); // no second ping: the first was never answered
            assertEquals(RawWsClient.CLOSE, close.opcode());
            assertEquals(1008, close.closeCode());
            assertTrue(close.closeReason().startsWith("keep-alive"), close.closeReason());
            assertEquals(-1, raw.read().opcode());
        }
        assertEquals(1, server.support().closedPongTimeout());
        awaitTrue("the connection is gone", () -> server.support().openConnections() == 0);
    }

    @Test
    void spec_9_7_a_client_ping_is_answered_with_a_pong_carrying_its_payload() throws Exception {
        start();
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            raw.send(RawWsClient.PING, "are you there".getBytes(StandardCharsets.UTF_8), true, true);
            final RawWsClient.Frame pong = raw.read();
            assertEquals(RawWsClient.PONG, pong.opcode());
            assertEquals("are you there", pong.text());
        }
    }
}
