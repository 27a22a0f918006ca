package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketConnectionInfo;
import java.net.http.WebSocket;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The hub: each connection describes itself through its agent; a broadcast reaches every connection. */
class WebSocketHubTest extends WsTestBase {

    @Test
    void connections_lists_each_connection_with_its_own_topics_and_frames() throws Exception {
        start();
        final Instant before = Instant.now();
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final WebSocket wsA = connect(a);
        final WebSocket wsB = connect(b);
        subscribe(wsA, a, "todo");
        subscribe(wsB, b, "notes");
        subscribe(wsB, b, "todo");

        final List<WebSocketConnectionInfo> open = connections();
        assertEquals(2, open.size(), open.toString());
        assertEquals(2, server.support().hub().connectionCount());
        final WebSocketConnectionInfo first = open.get(0);   // ordered by agent id: a connected first
        final WebSocketConnectionInfo second = open.get(1);
        assertEquals(List.of("todo"), first.topics());
        assertEquals(1, first.framesOut(), "one ack");
        assertEquals(List.of("notes", "todo"), second.topics(), "in subscription order");
        assertEquals(2, second.framesOut(), "two acks");
        for (final WebSocketConnectionInfo info : open) {
            assertTrue(info.remoteAddress().contains("127.0.0.1"), info.remoteAddress());
            assertTrue(!info.connectedAt().isBefore(before.minusSeconds(1)), info.connectedAt().toString());
            assertTrue(info.queuedBytes() >= 0);
        }
        assertTrue(first.agent().compareTo(second.agent()) < 0);
    }

    @Test
    void a_closed_connection_leaves_the_list() throws Exception {
        start();
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final WebSocket wsA = connect(a);
        final WebSocket wsB = connect(b);
        subscribe(wsA, a, "todo");
        subscribe(wsB, b, "notes");

        wsA.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        a.awaitClose();
        awaitTrue("the hub forgot the closed connection", () -> server.support().hub().connectionCount() == 1);

        final List<WebSocketConnectionInfo> open = connections();
        assertEquals(1, open.size(), open.toString());
        assertEquals(List.of("notes"), open.get(0).topics());
    }

    @Test
    void broadcast_reaches_every_connection_whatever_it_subscribed() throws Exception {
        start();
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final RecordingListener c = new RecordingListener();
        final WebSocket wsA = connect(a);
        connect(b);
        connect(c);
        subscribe(wsA, a, "todo");

        assertEquals(3, server.support().hub().broadcast(new Note("maintenance at noon")));

        for (final RecordingListener client : List.of(a, b, c)) {
            final JsonNode frame = client.next();
            assertEquals("broadcast", frame.get("type").stringValue(), frame.toString());
            assertEquals("maintenance at noon", frame.get("event").get("text").stringValue());
        }
        assertEquals(1 + 3, server.support().framesOut(), "one ack and three broadcasts");
    }

    /** Jackson cannot write it: its accessor throws. */
    record Unwritable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("no");
        }
    }

    @Test
    void a_broadcast_that_cannot_be_written_as_json_is_refused_naming_its_type() throws Exception {
        start();
        connect(new RecordingListener());
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.support().hub().broadcast(new Unwritable("x")));
        assertTrue(e.getMessage().contains("Unwritable"), e.getMessage());
    }

    @Test
    void an_empty_hub_lists_nothing_and_broadcasts_to_nobody() throws Exception {
        start();
        assertEquals(List.of(), connections());
        assertEquals(0, server.support().hub().broadcast(new Note("anyone?")));
    }
}
