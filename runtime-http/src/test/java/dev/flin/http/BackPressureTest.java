package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Topic;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * How a connection stops reading, and starts again: a client that pipelines without reading its
 * answers is held at maxPipelinedRequests answers in memory; a request body and a WebSocket
 * upgrade are read whatever the bound.
 */
class BackPressureTest extends ServerTestSupport {

    private static final int BIG = 512 * 1024;

    @Test
    void aClientThatDoesNotReadItsAnswersHoldsOnlyTheBoundedNumberOfThem() throws Exception {
        final AtomicInteger handled = new AtomicInteger();
        final byte[] big = new byte[BIG];
        final HttpServer server = start(config().maxPipelinedRequests(4).build(), Router.builder()
                .get("/big", (request, context) -> {
                    handled.incrementAndGet();
                    return CompletableFuture.completedFuture(HttpResponse.of(200, "application/octet-stream", big));
                }).build());
        final int requests = 100; // 50 MiB of answers if the server buffered them all
        try (RawConnection raw = new RawConnection(server.port(), 4096)) {
            raw.send("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(requests));
            awaitTrue("the first answers are produced", () -> handled.get() >= 4);
            // Nothing is read: the socket fills, and the server must stop producing answers. A correct
            // server never gets near 100 (sockets and the bound hold a few dozen); watching for a
            // while can only miss a broken one, never fail a correct one.
            final long quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < quietUntil) {
                LockSupport.parkNanos(10_000_000L);
            }
            final int heldBack = handled.get();
            assertTrue(heldBack < requests, "the server produced all " + heldBack + " answers for a client that reads none");
            for (int i = 0; i < requests; i++) {
                final RawConnection.Response response = raw.read();
                assertEquals(200, response.status(), "answer " + i);
                assertEquals(BIG, response.body().length(), "answer " + i);
            }
            assertEquals(requests, handled.get(), "once read, every request is answered, in order");
        }
    }

    @Test
    void aClientThatTakesNoneOfItsAnswersForTheIdleTimeoutIsDroppedAndCounted() throws Exception {
        final byte[] big = new byte[BIG];
        final HttpServer server = start(config().maxPipelinedRequests(4).idleTimeout(Duration.ofMillis(300)).build(),
                Router.builder().get("/big", (request, context) ->
                        CompletableFuture.completedFuture(HttpResponse.of(200, "application/octet-stream", big))).build());
        final int requests = 20;
        try (RawConnection raw = new RawConnection(server.port(), 4096)) {
            raw.send("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".repeat(requests));
            // it reads nothing: a slow-read client holds a connection and answers; rule 9.9 bounds that
            awaitTrue("the connection dropped for not reading", () -> server.stats().droppedNotReading() == 1);
            awaitTrue("and closed", () -> server.stats().connectionsOpen() == 0);
        }
        awaitTrue("nothing in flight", () -> server.stats().requestsInFlight() == 0);
        final HttpServerStats stats = server.stats();
        assertTrue(stats.responsesLost() >= 1, "the answers it never took are lost, and counted: " + stats);
        assertEquals(stats.requestsAccepted() + stats.protocolErrors(), stats.responses() + stats.responsesLost(), stats.toString());
        assertEquals(200, get(server, "/big").statusCode(), "a client that reads is served");
        assertEquals(1, server.stats().droppedNotReading());
    }

    @Test
    void aRequestBodyIsReadToTheEndWhateverThePipelineBound() throws Exception {
        final HttpServer server = start(config().maxPipelinedRequests(1).idleTimeout(Duration.ofMinutes(1)).build(),
                Router.builder().post("/echo", (request, context) ->
                        CompletableFuture.completedFuture(HttpResponse.text(200, request.bodyText()))).build());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals(100, raw.read().status(), "the head was read and the body is expected");
            raw.send("hello"); // arrives in a later read than the head
            final RawConnection.Response response = raw.read();
            assertEquals(200, response.status());
            assertEquals("hello", response.body());
        }
    }

    record Tick(int n) {
    }

    @Test
    void aWebSocketUpgradedUnderAPipelineBoundOfOneIsRead() throws Exception {
        final Topic<Tick> topic = Topic.of("ticks", Tick.class);
        final HttpServer server = HttpServer.builder(runtime).config(config().maxPipelinedRequests(1).build())
                .webSocket(WebSocketEndpoint.of("/ws", topic)).start();
        try {
            final CompletableFuture<String> first = new CompletableFuture<>();
            final WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            ws.sendText("{\"op\":\"subscribe\",\"topic\":\"ticks\"}", true);
            final String ack = first.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(ack.contains("\"subscribed\""), ack);
            ws.abort();
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }
}
