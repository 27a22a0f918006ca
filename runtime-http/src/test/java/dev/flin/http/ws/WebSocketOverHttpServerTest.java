package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerStats;
import dev.flin.http.Router;
import dev.flin.http.WebSocketConnectionInfo;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.TerminationCause;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The WebSocket side through the real server ({@code HttpServer.builder(...).webSocket(...)}):
 * HTTP and WebSocket on one port, the upgrade handed over by the HTTP pipeline, the server's
 * stats and hub, and a graceful shutdown closing with 1001 (rules 9.5, 9.6, 9.8).
 */
class WebSocketOverHttpServerTest extends WsTestBase {

    @Test
    void http_and_websocket_share_one_server_and_shutdown_closes_the_websockets_with_1001() throws Exception {
        final Router router = Router.builder()
                .get("/hello", (request, context) -> CompletableFuture.completedFuture(HttpResponse.text(200, "hi")))
                .build();
        final HttpServer http = HttpServer.builder(runtime)
                .config(TestWsServer.config().build())
                .router(router)
                .webSocket(WebSocketEndpoint.of("/ws", TODO, NOTES))
                .start();
        try {
            final URI base = URI.create("http://127.0.0.1:" + http.port());
            final RecordingListener client = new RecordingListener();
            final WebSocket ws = HTTP.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + http.port() + "/ws"),
                    client).get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            subscribe(ws, client, "todo");

            final java.net.http.HttpResponse<String> hello = HTTP.send(HttpRequest.newBuilder(base.resolve("/hello"))
                    .timeout(RecordingListener.WAIT).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, hello.statusCode());
            assertEquals("hi", hello.body());

            assertEquals(1, runtime.publish(TODO, new TodoChanged(1, "through the server")));
            final JsonNode event = client.next();
            assertEquals("through the server", event.get("event").get("title").stringValue());

            final WebSocketHub hub = http.webSockets().orElseThrow();
            final List<WebSocketConnectionInfo> open = hub.connections().toCompletableFuture()
                    .get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(1, open.size());
            assertEquals(List.of("todo"), open.get(0).topics());
            final CompletableFuture<TerminationCause> terminated =
                    runtime.whenTerminated(open.get(0).agent()).toCompletableFuture();

            final HttpServerStats stats = http.stats();
            assertEquals(1, stats.wsConnectionsOpen());
            assertEquals(2, stats.wsFramesOut(), "the ack and the event");
            assertEquals(0, stats.wsDroppedSlow());

            http.shutdown(Duration.ofSeconds(10));

            final RecordingListener.Closed closed = client.awaitClose();
            assertEquals(1001, closed.code(), closed.toString());
            assertEquals(TerminationCause.STOPPED,
                    terminated.get(RecordingListener.WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(0, runtime.subscriberCount(TODO));
            assertEquals(0, http.stats().wsConnectionsOpen());
        } finally {
            http.shutdown(Duration.ofSeconds(10));
        }
    }

    @Test
    void a_bad_upgrade_through_the_server_is_refused_with_400_naming_the_problem() throws Exception {
        final HttpServer http = HttpServer.builder(runtime).config(TestWsServer.config().build())
                .webSocket(WebSocketEndpoint.of("/ws", TODO)).start();
        try (RawWsClient raw = RawWsClient.connectRaw(http.port(), 0)) {
            raw.sendRaw("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n");
            final String head = raw.readHttpHead();
            assertTrue(head.startsWith("HTTP/1.1 400"), head);
            assertTrue(raw.readBody(head).contains("missing header Sec-WebSocket-Key"));
            assertEquals(-1, raw.input().read(), "the server closes after a refusal");
            assertEquals(1, http.stats().wsRefusedUpgrades(), "the refusal is counted in the server's stats");
            assertEquals(0, http.stats().wsConnectionsOpen());
        } finally {
            http.shutdown(Duration.ofSeconds(10));
        }
    }
}
