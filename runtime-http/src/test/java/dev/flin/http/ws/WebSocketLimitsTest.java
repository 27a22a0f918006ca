package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.runtime.TerminationCause;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Rule 9.7 and the frame limits: a frame or message over the limit closes with 1009, a protocol
 * violation with 1002, a client that does not read is dropped once its outbound buffer passes the
 * limit (and the server's memory for it stays bounded), a client that floods its agent is closed
 * with 1008. Each ends the connection's agent.
 */
class WebSocketLimitsTest extends WsTestBase {

    @Test
    void spec_9_7_a_frame_over_the_limit_closes_with_1009_and_ends_the_agent() throws Exception {
        start(TestWsServer.config().wsMaxFramePayload(1024).build(), WebSocketEndpoint.of("/ws", TODO));
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        final Watched agent = watchOnlyConnection();

        ws.sendText("x".repeat(2_000), true); // its outcome does not matter: the server closes

        final RecordingListener.Closed closed = client.awaitClose();
        assertEquals(1009, closed.code(), closed.toString());
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        assertEquals(0, runtime.subscriberCount(TODO));
        assertEquals(1, server.support().closedTooBig());
    }

    @Test
    void spec_9_7_a_message_of_continuation_frames_over_the_limit_closes_with_1009() throws Exception {
        start(TestWsServer.config().wsMaxFramePayload(1024).build(), WebSocketEndpoint.of("/ws", TODO));
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            final byte[] part = "y".repeat(500).getBytes(StandardCharsets.UTF_8);
            raw.send(RawWsClient.TEXT, part, false, true); // each frame is under the limit,
            raw.send(RawWsClient.CONTINUATION, part, false, true);
            raw.send(RawWsClient.CONTINUATION, part, true, true); // the message is not

            final RawWsClient.Frame close = raw.readSkippingControl();
            assertEquals(RawWsClient.CLOSE, close.opcode());
            assertEquals(1009, close.closeCode(), close.closeReason());
            assertEquals(-1, raw.read().opcode(), "the server ends the stream after its Close");
        }
        assertEquals(1, server.support().closedTooBig());
        awaitTrue("the connection is gone", () -> server.support().openConnections() == 0);
    }

    /** Rule 9.14: text must be UTF-8; before the validator was installed these became U+FFFD and went on. */
    @Test
    void spec_9_14_invalid_utf8_in_a_text_frame_closes_with_1007() throws Exception {
        start();
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            raw.send(RawWsClient.TEXT, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, true, true);
            final RawWsClient.Frame close = raw.readSkippingControl();
            assertEquals(RawWsClient.CLOSE, close.opcode(), "expected a Close, got " + close.text());
            assertEquals(1007, close.closeCode(), close.closeReason());
            assertEquals(-1, raw.read().opcode(), "the server ends the stream after its Close");
        }
        assertEquals(1, server.support().closedProtocolError());
    }

    @Test
    void spec_9_14_invalid_utf8_in_the_first_fragment_closes_with_1007_before_the_message_ends() throws Exception {
        start();
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            // a lone continuation byte: no valid message can start like this (fail fast, Autobahn 6.4)
            raw.send(RawWsClient.TEXT, new byte[] {'a', (byte) 0x80}, false, true);
            final RawWsClient.Frame close = raw.readSkippingControl();
            assertEquals(RawWsClient.CLOSE, close.opcode());
            assertEquals(1007, close.closeCode(), close.closeReason());
        }
    }

    @Test
    void spec_9_14_invalid_utf8_in_a_close_reason_closes_with_1007() throws Exception {
        start();
        // Autobahn 7.5.1's reason (a surrogate encoded in UTF-8), and one whose last character is cut short
        final byte[][] reasons = {
            {0x03, (byte) 0xE8, (byte) 0xCE, (byte) 0xBA, (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'e', 'd'},
            {0x03, (byte) 0xE8, (byte) 0xCE, (byte) 0xBA, (byte) 0xE1, (byte) 0xBD},
        };
        for (final byte[] reason : reasons) {
            try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
                raw.send(RawWsClient.CLOSE, reason, true, true);
                final RawWsClient.Frame close = raw.readSkippingControl();
                assertEquals(RawWsClient.CLOSE, close.opcode());
                assertEquals(1007, close.closeCode(), close.closeReason());
            }
        }
    }

    @Test
    void spec_9_7_an_unmasked_client_frame_closes_with_1002() throws Exception {
        start();
        final Watched agent;
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            agent = watchOnlyConnection();
            raw.send(RawWsClient.TEXT, "{\"op\":\"subscribe\",\"topic\":\"todo\"}".getBytes(StandardCharsets.UTF_8),
                    true, false);

            final RawWsClient.Frame close = raw.readSkippingControl();
            assertEquals(RawWsClient.CLOSE, close.opcode());
            assertEquals(1002, close.closeCode(), close.closeReason());
            assertEquals(-1, raw.read().opcode());
        }
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        assertEquals(0, runtime.subscriberCount(TODO), "the unmasked subscribe was never handled");
        assertEquals(1, server.support().closedProtocolError());
    }

    @Test
    void spec_9_7_a_client_that_never_reads_is_dropped_and_its_queue_stays_bounded() throws Exception {
        final int limit = 64 * 1024;
        start(TestWsServer.config().wsOutboundLimit(limit).wsPongTimeout(Duration.ofMillis(300)).build(),
                WebSocketEndpoint.of("/ws", NOTES));
        final String big = "z".repeat(16 * 1024);
        final int frameBytes = big.length() + 64; // the event's JSON around it
        final Watched agent;
        long publishedBytes = 0;
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 4096)) {
            raw.sendText("{\"op\":\"subscribe\",\"topic\":\"notes\"}");
            assertTrue(raw.read().text().contains("subscribed"));
            agent = watchOnlyConnection();

            // From here the client reads nothing: the kernel buffers fill, then Netty's queue, then
            // the agent's; once it took nothing for wsPongTimeout, it is dropped.
            final long deadline = System.nanoTime() + RecordingListener.WAIT.toNanos();
            while (server.support().droppedSlow() == 0) {
                if (runtime.publish(NOTES, new Note(big)) == 1) {
                    publishedBytes += big.length();
                } else {
                    Thread.yield(); // the agent's mailbox is full: let it catch up
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not dropped after publishing " + publishedBytes + " bytes; peak queue "
                            + server.support().peakQueuedBytes());
                }
            }
            assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        }
        assertEquals(1, server.support().droppedSlow());
        assertTrue(publishedBytes > limit, "more than the limit was produced: " + publishedBytes);
        final long peak = server.support().peakQueuedBytes();
        assertTrue(peak > limit / 2, "the queue did fill: peak " + peak);
        assertTrue(peak <= limit + frameBytes + 1024,
                "the bytes held for the client stay within the limit and one frame: peak " + peak + " bytes");
        assertTrue(server.support().framesMissed() > 0, "the oldest frames were discarded while it did not read");
        assertEquals(0, runtime.subscriberCount(NOTES));
        awaitTrue("the connection is gone", () -> server.support().openConnections() == 0);
    }

    @Test
    void spec_9_7_a_client_that_falls_behind_keeps_its_connection_gets_the_newest_and_is_told_what_it_missed()
            throws Exception {
        final int limit = 64 * 1024;
        start(TestWsServer.config().wsOutboundLimit(limit).wsPongTimeout(Duration.ofMinutes(5)).build(),
                WebSocketEndpoint.of("/ws", TODO));
        final String padding = "p".repeat(4 * 1024);
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 4096)) {
            raw.sendText("{\"op\":\"subscribe\",\"topic\":\"todo\"}");
            assertTrue(raw.read().text().contains("subscribed"));

            // The client stops reading until frames had to be discarded for it.
            int accepted = 0;
            int seq = 0;
            final long deadline = System.nanoTime() + RecordingListener.WAIT.toNanos();
            while (server.support().framesMissed() == 0) {
                if (runtime.publish(TODO, new TodoChanged(seq, padding)) == 1) {
                    accepted++;
                }
                seq++; // a refused event (full mailbox) leaves a gap in seq too, but is no accepted event
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("nothing was discarded after " + accepted + " events");
                }
            }
            final int last = seq;
            while (runtime.publish(TODO, new TodoChanged(last, "the newest")) != 1) {
                Thread.yield();
            }
            accepted++;

            // Now it reads: frames in publish order, each gap announced, the newest at the end.
            int received = 0;
            long missed = 0;
            int previous = -1;
            while (true) {
                final RawWsClient.Frame frame = raw.readSkippingControl();
                assertEquals(RawWsClient.TEXT, frame.opcode(), "the connection stays open");
                final tools.jackson.databind.JsonNode json = tools.jackson.databind.json.JsonMapper.builder().build()
                        .readTree(frame.text());
                if ("missed".equals(json.get("type").stringValue())) {
                    missed += json.get("frames").longValue();
                    continue;
                }
                assertEquals("event", json.get("type").stringValue(), frame.text());
                final int s = json.get("event").get("seq").intValue();
                assertTrue(s > previous, "publish order: " + s + " after " + previous);
                previous = s;
                received++;
                if (s == last) {
                    assertEquals("the newest", json.get("event").get("title").stringValue());
                    break;
                }
            }
            assertTrue(missed > 0, "the client was told it missed frames");
            assertEquals(accepted, received + missed, "every accepted event was delivered or announced as missed");
            assertEquals(server.support().framesMissed(), missed);
        }
        assertEquals(0, server.support().droppedSlow());
    }

    @Test
    void spec_9_7_a_client_that_floods_its_agent_is_closed_with_1008() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.of("/ws", TODO).withMailboxCapacity(4));
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        final Watched agent = watchOnlyConnection();
        final int capacity = runtime.mailboxCapacity(agent.agent());

        runtime.pause(agent.agent()); // the agent takes nothing from its mailbox now (rule 3.4)
        CompletableFuture<WebSocket> sent = CompletableFuture.completedFuture(ws);
        for (int i = 0; i <= capacity; i++) {
            sent = sent.thenCompose(w -> w.sendText("{\"op\":\"subscribe\",\"topic\":\"todo\"}", true));
        }
        final RecordingListener.Closed closed = client.awaitClose();
        assertEquals(1008, closed.code());
        assertTrue(closed.reason().startsWith("flooding"), closed.reason());
        assertEquals(1, server.support().closedFlooding());
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated(), "the stop ends the pause (rule 3.6)");
    }
}
