package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rule 9.6: when a connection closes, from either side or by an error, its agent terminates and
 * its subscriptions are removed; rule 9.8: a graceful shutdown closes every connection with 1001
 * and refuses new ones.
 */
class WebSocketCloseTest extends WsTestBase {

    @Test
    void spec_9_6_a_client_close_terminates_the_agent_and_removes_its_subscriptions() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        subscribe(ws, client, "notes");
        final Watched agent = watchOnlyConnection();
        assertEquals(1, runtime.subscriberCount(TODO));
        assertEquals(1, runtime.subscriberCount(NOTES));

        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals(WebSocket.NORMAL_CLOSURE, client.awaitClose().code(), "the server echoes the client's status");
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        assertEquals(0, runtime.subscriberCount(TODO));
        assertEquals(0, runtime.subscriberCount(NOTES));
        assertEquals(0, server.support().openConnections());
        assertEquals(0, runtime.publish(TODO, new TodoChanged(1, "nobody left")));
    }

    @Test
    void spec_9_6_a_client_that_drops_the_tcp_connection_terminates_its_agent() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        final Watched agent = watchOnlyConnection();

        ws.abort(); // no Close frame: the TCP connection just ends

        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        assertEquals(0, runtime.subscriberCount(TODO));
        assertEquals(0, server.support().openConnections());
    }

    @Test
    void spec_9_6_a_raw_client_that_vanishes_mid_frame_terminates_its_agent() throws Exception {
        start();
        final Watched agent;
        try (RawWsClient raw = RawWsClient.open(server.port(), "/ws", 0)) {
            raw.sendText("{\"op\":\"subscribe\",\"topic\":\"notes\"}");
            assertTrue(raw.read().text().contains("subscribed"));
            agent = watchOnlyConnection();
            raw.sendRaw("\u0081"); // the first byte of a frame, then nothing more
        }
        assertEquals(TerminationCause.STOPPED, agent.awaitTerminated());
        assertEquals(0, runtime.subscriberCount(NOTES));
    }

    /** An event whose serialization throws an Error: Jackson lets Errors through, so the connection agent fails. */
    record Poison(String text) {
        @Override
        public String text() {
            throw new AssertionError("poisoned accessor");
        }
    }

    static final Topic<Poison> POISON = Topic.of("poison", Poison.class);

    @Test
    void spec_9_6_a_connection_agent_that_fails_closes_its_connection_with_1011_and_leaves_the_others() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.of("/ws", TODO, POISON));
        final RecordingListener victim = new RecordingListener();
        final WebSocket victimWs = connect(victim);
        subscribe(victimWs, victim, "poison");
        subscribe(victimWs, victim, "todo");
        final Watched agent = watchOnlyConnection();
        final RecordingListener bystander = new RecordingListener();
        final WebSocket bystanderWs = connect(bystander);
        subscribe(bystanderWs, bystander, "todo");

        assertEquals(1, runtime.publish(POISON, new Poison("x")));

        assertEquals(1011, victim.awaitClose().code(), "rule 9.6: a failed connection agent closes with 1011");
        assertEquals(TerminationCause.FAILED, agent.awaitTerminated());
        assertEquals(1, server.support().closedAgentFailed());
        assertEquals(0, runtime.subscriberCount(POISON), "its subscriptions are gone with it");
        assertEquals(1, runtime.subscriberCount(TODO), "only the bystander's is left");
        assertEquals(1, runtime.publish(TODO, new TodoChanged(1, "still here")));
        assertEquals("still here", bystander.next().get("event").get("title").stringValue(), "the other connection is unaffected");
        // The client saw the close frame; the server's channel may close a moment later.
        awaitTrue("only the bystander's connection is open", () -> server.support().openConnections() == 1);
    }

    @Test
    void spec_9_8_close_all_sends_1001_to_every_client_and_refuses_new_upgrades() throws Exception {
        start();
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final WebSocket wsA = connect(a);
        final WebSocket wsB = connect(b);
        subscribe(wsA, a, "todo");
        subscribe(wsB, b, "todo");
        assertEquals(2, runtime.subscriberCount(TODO));

        assertTrue(server.support().closeAll(Duration.ofSeconds(10)), "both clients answer the Close in time");

        final RecordingListener.Closed closedA = a.awaitClose();
        final RecordingListener.Closed closedB = b.awaitClose();
        assertEquals(1001, closedA.code());
        assertEquals("server shutting down", closedA.reason());
        assertEquals(1001, closedB.code());
        assertEquals(0, server.support().openConnections());
        awaitTrue("both agents are unsubscribed", () -> runtime.subscriberCount(TODO) == 0);

        final ExecutionException refused = assertThrows(ExecutionException.class,
                () -> connect(new RecordingListener()));
        final WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class,
                refused.getCause());
        assertEquals(503, handshake.getResponse().statusCode());
    }

    @Test
    void spec_9_8_an_upgrade_after_close_all_gets_503_with_retry_after() throws Exception {
        start();
        assertTrue(server.support().closeAll(Duration.ofSeconds(1)), "nothing to close");
        try (RawWsClient raw = RawWsClient.connectRaw(server.port(), 0)) {
            raw.sendRaw("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            final String head = raw.readHttpHead();
            assertTrue(head.startsWith("HTTP/1.1 503"), head);
            assertTrue(head.toLowerCase(java.util.Locale.ROOT).contains("retry-after: 1"), head);
            assertTrue(raw.readBody(head).contains("shutting down"));
        }
        assertEquals(1, server.support().refusedUpgrades());
    }

    @Test
    void spec_9_6_when_the_runtime_shuts_down_its_connections_close_with_1001() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");

        runtime.shutdown(Duration.ofSeconds(10));

        assertEquals(1001, client.awaitClose().code());
        awaitTrue("the connection is gone", () -> server.support().openConnections() == 0);
    }
}
