package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketMessage;
import dev.flin.http.WebSocketSession;
import dev.flin.runtime.TerminationCause;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Handler endpoints ({@link WebSocketEndpoint#ofHandler}): each connection agent hands every
 * complete client message, text or binary, to its own handler, which answers through its session
 * (rules 9.5, 9.7, 9.14).
 */
class WebSocketHandlerTest extends WsTestBase {

    private static final WebSocketEndpoint ECHO = WebSocketEndpoint.ofHandler("/echo", () -> (m, s) -> s.send(m));

    private static byte[] utf8(final String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void spec_9_5_a_handler_endpoint_gets_text_and_binary_messages_and_its_echo_is_exact() throws Exception {
        start(TestWsServer.config().build(), ECHO);
        final byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        try (RawWsClient raw = RawWsClient.open(server.port(), "/echo", 0)) {
            raw.send(RawWsClient.TEXT, utf8("h\u00e9llo \u20ac \uD834\uDD1E"), true, true);
            final RawWsClient.Frame text = raw.readSkippingControl();
            assertEquals(RawWsClient.TEXT, text.opcode());
            assertArrayEquals(utf8("h\u00e9llo \u20ac \uD834\uDD1E"), text.payload());

            raw.send(RawWsClient.BINARY, everyByte, true, true);
            final RawWsClient.Frame binary = raw.readSkippingControl();
            assertEquals(RawWsClient.BINARY, binary.opcode(), "a binary message comes back binary");
            assertArrayEquals(everyByte, binary.payload());

            raw.send(RawWsClient.TEXT, new byte[0], true, true);
            final RawWsClient.Frame empty = raw.readSkippingControl();
            assertEquals(RawWsClient.TEXT, empty.opcode());
            assertEquals(0, empty.payload().length);
        }
        assertEquals(3, server.support().framesOut());
    }

    @Test
    void spec_9_5_a_fragmented_message_reaches_the_handler_as_one_and_is_echoed_as_one() throws Exception {
        start(TestWsServer.config().build(), ECHO);
        final byte[] e = utf8("\u00e9"); // C3 A9: split between the last two fragments
        try (RawWsClient raw = RawWsClient.open(server.port(), "/echo", 0)) {
            raw.send(RawWsClient.TEXT, utf8("ab"), false, true);
            raw.send(RawWsClient.CONTINUATION, new byte[] {'c', 'd', e[0]}, false, true);
            raw.send(RawWsClient.CONTINUATION, new byte[] {e[1]}, true, true);
            final RawWsClient.Frame text = raw.readSkippingControl();
            assertEquals(RawWsClient.TEXT, text.opcode());
            assertArrayEquals(utf8("abcd\u00e9"), text.payload(), "the whole message in one frame");

            raw.send(RawWsClient.BINARY, new byte[] {1, 2}, false, true);
            raw.send(RawWsClient.CONTINUATION, new byte[] {3}, true, true);
            final RawWsClient.Frame binary = raw.readSkippingControl();
            assertEquals(RawWsClient.BINARY, binary.opcode());
            assertArrayEquals(new byte[] {1, 2, 3}, binary.payload());
        }
    }

    @Test
    void spec_9_5_the_handler_closes_after_the_frames_it_sent_and_sends_nothing_after() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.ofHandler("/echo", () -> (m, s) -> {
            s.sendText("going");
            s.close(4001, "asked to");
            s.sendText("never sent");
            s.close(1000, "only the first close counts");
        }));
        final Watched agent;
        try (RawWsClient raw = RawWsClient.open(server.port(), "/echo", 0)) {
            agent = watchOnlyConnection();
            raw.sendText("bye");
            assertEquals("going", raw.readSkippingControl().text());
            final RawWsClient.Frame close = raw.readSkippingControl();
            assertEquals(RawWsClient.CLOSE, close.opcode(), "the close follows the frame sent before it, and nothing else");
            assertEquals(4001, close.closeCode());
            assertEquals("asked to", close.closeReason());
            raw.send(RawWsClient.CLOSE, close.payload(), true, true); // the client completes the closing handshake
            assertEquals(-1, raw.read().opcode(), "then the server ends the connection");
        }
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        awaitTrue("the connection is gone", () -> server.support().openConnections() == 0);
    }

    @Test
    void spec_9_6_a_handler_that_throws_closes_its_connection_with_1011_and_leaves_the_others() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.ofHandler("/echo", () -> (m, s) -> {
            if (m.equals(new WebSocketMessage.Text("boom"))) {
                throw new IllegalStateException("the test's handler fails");
            }
            s.send(m);
        }));
        try (RawWsClient victim = RawWsClient.open(server.port(), "/echo", 0)) {
            final Watched agent = watchOnlyConnection();
            try (RawWsClient bystander = RawWsClient.open(server.port(), "/echo", 0)) {
                victim.sendText("boom");
                final RawWsClient.Frame close = victim.readSkippingControl();
                assertEquals(RawWsClient.CLOSE, close.opcode());
                assertEquals(1011, close.closeCode(), close.closeReason());
                assertEquals(TerminationCause.FAILED, agent.awaitTerminated());
                assertEquals(1, server.support().closedAgentFailed());

                bystander.sendText("still here");
                assertEquals("still here", bystander.readSkippingControl().text(), "the other connection is unaffected");
            }
        }
    }

    @Test
    void spec_9_5_each_connection_gets_its_own_handler_from_the_factory() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.ofHandler("/count", () -> new dev.flin.http.WebSocketHandler() {
            private int seen; // this connection's state, on its agent's thread only

            @Override
            public void onMessage(final WebSocketMessage message, final WebSocketSession session) {
                seen++;
                session.sendText(Integer.toString(seen));
            }
        }));
        try (RawWsClient a = RawWsClient.open(server.port(), "/count", 0);
                RawWsClient b = RawWsClient.open(server.port(), "/count", 0)) {
            a.sendText("x");
            a.sendText("x");
            assertEquals("1", a.readSkippingControl().text());
            assertEquals("2", a.readSkippingControl().text());
            b.sendText("x");
            assertEquals("1", b.readSkippingControl().text(), "a new connection starts with a new handler");
        }
    }

    @Test
    void the_session_is_valid_only_during_on_message_and_refuses_what_may_not_be_sent() throws Exception {
        final AtomicReference<WebSocketSession> leaked = new AtomicReference<>();
        start(TestWsServer.config().build(), WebSocketEndpoint.ofHandler("/echo", () -> (m, s) -> {
            leaked.set(s);
            for (final int code : new int[] {999, 1004, 1005, 1006, 1015, 2000, 5000}) {
                try {
                    s.close(code, "");
                    s.sendText("accepted " + code);
                } catch (final IllegalArgumentException expected) {
                    // refused, as it must be
                }
            }
            try {
                s.close(1000, "r".repeat(124));
                s.sendText("accepted a 124-byte reason");
            } catch (final IllegalArgumentException expected) {
                // refused
            }
            try {
                s.sendText("\uD800 unpaired");
                s.sendText("accepted an unpaired surrogate");
            } catch (final IllegalArgumentException expected) {
                // refused
            }
            s.sendText("done at " + s.remoteAddress().isEmpty());
        }));
        try (RawWsClient raw = RawWsClient.open(server.port(), "/echo", 0)) {
            raw.sendText("go");
            assertEquals("done at false", raw.readSkippingControl().text(), "every bad close and text was refused");
            final WebSocketSession session = leaked.get();
            assertThrows(IllegalStateException.class, () -> session.sendText("from the test thread"));
            assertThrows(IllegalStateException.class, () -> session.close(1000, ""));
            raw.sendText("again");
            assertEquals("done at false", raw.readSkippingControl().text(), "the connection still works");
        }
    }

    @Test
    void spec_9_7_a_client_that_falls_behind_a_handler_endpoint_is_dropped_with_1008_and_nothing_is_discarded()
            throws Exception {
        final int limit = 64 * 1024;
        final byte[] chunk = new byte[4096];
        start(TestWsServer.config().wsOutboundLimit(limit).wsPongTimeout(Duration.ofMinutes(5)).build(),
                WebSocketEndpoint.ofHandler("/flood", () -> (m, s) -> {
                    for (int i = 0; i < 16; i++) {
                        s.sendBinary(chunk);
                    }
                }));
        try (RawWsClient raw = RawWsClient.open(server.port(), "/flood", 4096)) {
            final Watched agent = watchOnlyConnection();
            // The client reads nothing: the kernel buffers fill, then Netty's queue, then the agent's half.
            final long deadline = System.nanoTime() + RecordingListener.WAIT.toNanos();
            while (server.support().droppedSlow() == 0) {
                raw.sendText("more");
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not dropped; peak queue " + server.support().peakQueuedBytes());
                }
                Thread.yield();
            }
            assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
            // What did reach the client is whole binary frames, no "missed" frame, then the end (a reset
            // too: the server closed with our unread messages in its socket).
            while (true) {
                final RawWsClient.Frame f;
                try {
                    f = raw.readSkippingControl();
                } catch (final java.net.SocketException reset) {
                    break;
                }
                if (f.opcode() == -1) {
                    break;
                }
                if (f.opcode() == RawWsClient.CLOSE) {
                    assertEquals(1008, f.closeCode(), f.closeReason());
                    continue;
                }
                assertEquals(RawWsClient.BINARY, f.opcode(), "only the handler's frames: nothing announced as missed");
                assertEquals(chunk.length, f.payload().length);
            }
        }
        assertEquals(1, server.support().droppedSlow());
        assertEquals(0, server.support().framesMissed(), "a handler endpoint never discards a frame");
        final long peak = server.support().peakQueuedBytes();
        assertTrue(peak <= limit + chunk.length + 1024, "the bytes held stay within the limit and a frame: " + peak);
    }

    /**
     * Found by the kit's pipelined 9.7 case: 1000 small messages written back to back found the
     * connection agent's mailbox full and the client was closed with 1008 as flooding, though the
     * agent kept up. Reading is now held back (TCP back-pressure) while half a mailbox of the
     * client's messages waits for the agent.
     */
    @Test
    void spec_9_7_a_burst_of_more_messages_than_the_mailbox_holds_is_held_back_and_all_are_echoed_in_order()
            throws Exception {
        start(TestWsServer.config().build(), ECHO.withMailboxCapacity(4));
        final int messages = 500;
        try (RawWsClient raw = RawWsClient.open(server.port(), "/echo", 0)) {
            final java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
            for (int i = 0; i < messages; i++) {
                burst.writeBytes(RawWsClient.frame(RawWsClient.TEXT, utf8("m" + i), true, true));
            }
            raw.sendRaw(burst.toByteArray()); // one write: the server reads many messages at once
            for (int i = 0; i < messages; i++) {
                final RawWsClient.Frame f = raw.readSkippingControl();
                assertEquals(RawWsClient.TEXT, f.opcode(), "message " + i + ": " + f.opcode() + " " + f.closeCode() + " "
                        + f.closeReason());
                assertEquals("m" + i, f.text());
            }
        }
        assertEquals(0, server.support().closedFlooding());
    }
}
