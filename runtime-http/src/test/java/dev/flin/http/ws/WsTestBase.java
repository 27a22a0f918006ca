package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.WebSocketConnectionInfo;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

/**
 * A fresh runtime per test, a {@link TestWsServer} started on demand, and the client-side steps
 * the WebSocket tests share.
 */
abstract class WsTestBase {

    record TodoChanged(int seq, String title) {
    }

    record Note(String text) {
    }

    static final Topic<TodoChanged> TODO = Topic.of("todo", TodoChanged.class);
    static final Topic<Note> NOTES = Topic.of("notes", Note.class);

    static final HttpClient HTTP = HttpClient.newHttpClient();

    AgentRuntime runtime;
    TestWsServer server;

    @BeforeEach
    void startRuntime() {
        runtime = FlinRuntime.create();
    }

    @AfterEach
    void stopAll() {
        if (server != null) {
            server.close();
        }
        runtime.shutdown(Duration.ofSeconds(10));
    }

    TestWsServer start(final HttpServerConfig config, final WebSocketEndpoint endpoint) {
        server = TestWsServer.start(runtime, config, endpoint);
        return server;
    }

    TestWsServer start() {
        return start(TestWsServer.config().build(), WebSocketEndpoint.of("/ws", TODO, NOTES));
    }

    WebSocket connect(final RecordingListener listener) throws Exception {
        return HTTP.newWebSocketBuilder().buildAsync(server.uri(), listener)
                .get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void send(final WebSocket ws, final String text) throws Exception {
        ws.sendText(text, true).get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void subscribe(final WebSocket ws, final RecordingListener listener, final String topic) throws Exception {
        send(ws, "{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"}");
        final JsonNode ack = listener.next();
        assertEquals("subscribed", ack.get("type").stringValue(), ack.toString());
        assertEquals(topic, ack.get("topic").stringValue(), ack.toString());
    }

    /** @return the error frame's message, after checking the frame is an error */
    static String nextError(final RecordingListener listener) throws Exception {
        final JsonNode frame = listener.next();
        assertEquals("error", frame.get("type").stringValue(), frame.toString());
        return frame.get("message").stringValue();
    }

    /** @return the open connections, as their agents describe themselves */
    List<WebSocketConnectionInfo> connections() throws Exception {
        return server.support().hub().connections().toCompletableFuture()
                .get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** @return the agent of the only open connection */
    AgentId onlyConnectionAgent() throws Exception {
        final List<WebSocketConnectionInfo> open = connections();
        assertEquals(1, open.size(), open.toString());
        return open.get(0).agent();
    }

    /** The only open connection's agent, watched from before anything ends it. */
    record Watched(AgentId agent, CompletableFuture<TerminationCause> terminated) {
        TerminationCause awaitTerminated() throws Exception {
            return terminated.get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * @return the only open connection's agent with its termination stage, taken now: a stage
     *     asked for after the agent terminated would only say UNKNOWN
     */
    Watched watchOnlyConnection() throws Exception {
        final AgentId agent = onlyConnectionAgent();
        return new Watched(agent, runtime.whenTerminated(agent).toCompletableFuture());
    }

    /** Polls {@code condition} until it holds; fails after {@link RecordingListener#WAIT}. */
    static void awaitTrue(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + RecordingListener.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
        assertTrue(condition.getAsBoolean());
    }
}
