package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One connection at the byte level, through raw sockets: keep-alive, pipelining in order
 * (rule 9.1), the framing errors of rule 9.3 (400, 413, 414, 417, 431, each closing the connection)
 * and the timeouts of rule 9.9 (408 for slow headers, idle close).
 */
class HttpConnectionTest extends ServerTestSupport {

    private static final String CRLF = "\r\n";

    private Router echoRouter() {
        return Router.builder()
                .get("/hello", text("hello"))
                .post("/echo", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, req.bodyText())))
                .build();
    }

    private static String get(final String path) {
        return "GET " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF;
    }

    @Test
    void shouldServeSeveralRequestsOnOneKeptAliveConnection() throws Exception {
        final HttpServer server = start(echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            for (int i = 0; i < 3; i++) {
                raw.send(get("/hello"));
                final RawConnection.Response response = raw.read();
                assertEquals(200, response.status());
                assertEquals("hello", response.body());
                assertEquals(null, response.header("connection"), "HTTP/1.1 keeps the connection by default");
            }
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\nping");
            assertEquals("ping", raw.read().body());
        }
        assertEquals(1, server.stats().connectionsAccepted());
        assertEquals(4, server.stats().requestsAccepted());
    }

    @Test
    void shouldWritePipelinedResponsesInRequestOrderWhenTheFirstHandlerFinishesLast() throws Exception {
        final CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        final Router router = Router.builder()
                .get("/slow", (req, ctx) -> slow)
                .get("/fast/{n}", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, "fast " + req.pathParam("n"))))
                .get("/hello", text("hello"))
                .build();
        // one event loop for every connection, so a round trip on a second connection proves that
        // the loop has run every task queued before it
        final HttpServer server = start(config().ioThreads(1).handlerMode(HandlerMode.PER_REQUEST).build(), router);
        final long terminatedBefore = runtime.counters().terminated();
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/slow") + get("/fast/1") + get("/fast/2"));

            // Both fast handlers answered: a per-request agent stops only after its reply, and the
            // reply hands the answer to the connection's event loop before it returns.
            awaitTrue("the two fast handler agents answered and stopped",
                    () -> runtime.counters().terminated() >= terminatedBefore + 2);
            try (RawConnection other = new RawConnection(server.port())) {
                other.send(get("/hello"));
                assertEquals(200, other.read().status());
            }
            assertEquals(0, raw.available(), "the fast answers are held back behind the slow one");

            slow.complete(HttpResponse.text(200, "slow"));
            assertEquals("slow", raw.read().body());
            assertEquals("fast 1", raw.read().body());
            assertEquals("fast 2", raw.read().body());
        }
    }

    @Test
    void shouldDispatchAtMostMaxPipelinedRequestsOfOneConnectionAtOnce() throws Exception {
        // the handlers' futures by request number: the two handler agents may start in either order
        final BlockingQueue<Map.Entry<Integer, CompletableFuture<HttpResponse>>> running = new LinkedBlockingQueue<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final Router router = Router.builder()
                .get("/work/{n}", (req, ctx) -> {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    final CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
                    running.add(Map.entry(Integer.parseInt(req.pathParam("n")), answer));
                    return answer.thenApply(r -> {
                        concurrent.decrementAndGet();
                        return HttpResponse.text(200, req.pathParam("n"));
                    });
                })
                .build();
        // A request's deadline runs from its acceptance (rule 9.10), parked or not: a long one, so
        // that a slow machine cannot turn this check of the dispatch bound into one of deadlines.
        final HttpServer server = start(config().maxPipelinedRequests(2).askTimeout(Duration.ofSeconds(60)).build(), router);
        try (RawConnection raw = new RawConnection(server.port())) {
            final StringBuilder six = new StringBuilder();
            for (int i = 1; i <= 6; i++) {
                six.append(get("/work/" + i));
            }
            raw.send(six.toString());
            final java.util.TreeMap<Integer, CompletableFuture<HttpResponse>> atHandlers = new java.util.TreeMap<>();
            for (int k = 0; k < 2; k++) {
                final Map.Entry<Integer, CompletableFuture<HttpResponse>> started = running.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(started != null, "two requests at handlers");
                atHandlers.put(started.getKey(), started.getValue());
            }
            // completing the oldest (its answer is written at once, rule 9.1) frees one dispatch slot
            // for exactly one more request; a younger one's answer would wait unwritten, holding its slot
            for (int i = 3; i <= 6; i++) {
                atHandlers.pollFirstEntry().getValue().complete(HttpResponse.noContent());
                final Map.Entry<Integer, CompletableFuture<HttpResponse>> next = running.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(next != null, "request " + i + " dispatched once a slot was free; " + server.stats());
                assertEquals(i, next.getKey(), "parked requests are dispatched in order");
                atHandlers.put(next.getKey(), next.getValue());
            }
            atHandlers.values().forEach(f -> f.complete(HttpResponse.noContent()));
            for (int i = 1; i <= 6; i++) {
                assertEquals(String.valueOf(i), raw.read().body());
            }
        }
        assertEquals(2, maxConcurrent.get(), "two handlers at once, never more");
    }

    @Test
    void shouldHonourConnectionCloseAndHttp10() throws Exception {
        final HttpServer server = start(echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" + get("/hello"));
            final RawConnection.Response response = raw.read();
            assertEquals(200, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer(), "the request after Connection: close is not processed");
        }
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /hello HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            final RawConnection.Response response = raw.read();
            assertEquals("HTTP/1.1", response.version(), "rule 9.12: the server says the version it speaks");
            assertEquals("hello", response.body());
            assertTrue(raw.closedByServer(), "HTTP/1.0 closes by default");
        }
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /hello HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("keep-alive", raw.read().header("connection"));
            raw.send("GET /hello HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
            assertEquals("hello", raw.read().body(), "HTTP/1.0 keep-alive is honoured");
        }
        assertEquals(4, server.stats().requestsAccepted(), "the request after Connection: close was not processed");
    }

    @Test
    void shouldAnswer400ToGarbageAndClose() throws Exception {
        final HttpServer server = start(echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("this is not http at all\r\n\r\n");
            final RawConnection.Response response = raw.read();
            assertEquals(400, response.status());
            assertTrue(response.body().contains("malformed request"), response.body());
            assertEquals("close", response.header("connection"));
            assertTrue(response.header("x-correlation-id") != null);
            assertTrue(raw.closedByServer());
        }
        awaitTrue("counted", () -> server.stats().protocolErrors() == 1);
        assertEquals(0, server.stats().requestsAccepted());
        assertEquals(1, server.stats().responses4xx());
    }

    @Test
    void shouldAnswer400ToAMalformedPercentEncoding() throws Exception {
        final HttpServer server = start(echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/he%zzllo"));
            assertEquals(400, raw.read().status());
            raw.send(get("/hello"));
            assertEquals(200, raw.read().status(), "a bad target is an answer, not a framing error");
        }
    }

    @Test
    void shouldAnswer414ToALongRequestLineAndClose() throws Exception {
        final HttpServer server = start(config().maxInitialLineLength(256).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/" + "a".repeat(1000)));
            final RawConnection.Response response = raw.read();
            assertEquals(414, response.status());
            assertTrue(response.body().contains("longer than 256"), response.body());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void shouldAnswer431ToLargeHeadersAndClose() throws Exception {
        final HttpServer server = start(config().maxHeaderSize(1024).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(4000) + "\r\n\r\n");
            final RawConnection.Response response = raw.read();
            assertEquals(431, response.status());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void shouldAnswer413ToAnAnnouncedBodyOverTheLimitAndClose() throws Exception {
        final HttpServer server = start(config().maxContentLength(1024).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(5000));
            final RawConnection.Response response = raw.read();
            assertEquals(413, response.status());
            assertTrue(response.body().contains("5000 bytes is over the limit of 1024"), response.body());
            assertTrue(raw.closedByServer());
        }
        assertEquals(1, server.stats().protocolErrors());
    }

    @Test
    void shouldAnswer413ToAChunkedBodyPassingTheLimitAndClose() throws Exception {
        final HttpServer server = start(config().maxContentLength(1024).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            final StringBuilder chunks = new StringBuilder("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                chunks.append("200\r\n").append("y".repeat(0x200)).append("\r\n");
            }
            chunks.append("0\r\n\r\n");
            raw.send(chunks.toString());
            final RawConnection.Response response = raw.read();
            assertEquals(413, response.status());
            assertTrue(raw.closedByServer());
        }
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
            assertEquals("abcde", raw.read().body(), "a chunked body within the limit is aggregated");
        }
    }

    @Test
    void shouldSend100ContinueWithinTheLimitAnd413Otherwise() throws Exception {
        final HttpServer server = start(config().maxContentLength(1024).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertEquals(100, raw.read().status());
            raw.send("hello");
            final RawConnection.Response response = raw.read();
            assertEquals(200, response.status());
            assertEquals("hello", response.body());
        }
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n");
            assertEquals(413, raw.read().status(), "no 100 for a body over the limit");
            assertTrue(raw.closedByServer());
        }
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: something-else\r\nContent-Length: 1\r\n\r\nx");
            assertEquals(417, raw.read().status());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void shouldAnswer408ToSlowHeadersAndClose() throws Exception {
        final HttpServer server = start(config().headerTimeout(Duration.ofMillis(200)).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/hello"));
            assertEquals(200, raw.read().status());
            raw.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"); // half a header block, then nothing
            final RawConnection.Response response = raw.read();
            assertEquals(408, response.status());
            assertEquals("close", response.header("connection"));
            assertTrue(raw.closedByServer());
        }
        assertEquals(1, server.stats().protocolErrors());
    }

    @Test
    void shouldTimeSlowHeadersThatStartedInTheSameReadAsTheRequestBefore() throws Exception {
        final HttpServer server = start(config().headerTimeout(Duration.ofMillis(200)).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/hello") + "GET /hel");
            assertEquals(200, raw.read().status());
            assertEquals(408, raw.read().status());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void shouldNotTimeTheHeadersOfAPipelinedRequestWhileTheServerHoldsBackReading() throws Exception {
        // Rule 9.9 times the client, not the server: with maxPipelinedRequests = 1 the server stops
        // reading while /slow is in flight, so the rest of the second request's headers waits in the
        // socket, however promptly the client sent it. That wait is no slow header.
        final CompletableFuture<HttpResponse> gate = new CompletableFuture<>();
        final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        final Router router = Router.builder()
                .get("/slow", (req, ctx) -> {
                    entered.countDown();
                    return gate;
                })
                .get("/hello", text("hello"))
                .build();
        final Duration headerTimeout = Duration.ofMillis(200);
        final HttpServer server = start(config().maxPipelinedRequests(1).headerTimeout(headerTimeout).build(), router);
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/slow") + "GET /hel"); // the second request starts in the same read
            assertTrue(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            raw.send("lo HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF);
            // hold /slow for several header timeouts; no 408 may be queued meanwhile
            final long until = System.nanoTime() + 5 * headerTimeout.toNanos();
            while (System.nanoTime() < until) {
                assertEquals(0, server.stats().protocolErrors(), "a 408 for headers the server was not reading");
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
            }
            gate.complete(HttpResponse.text(200, "slow"));
            assertEquals("slow", raw.read().body());
            final RawConnection.Response second = raw.read();
            assertEquals(200, second.status(), second.body());
            assertEquals("hello", second.body());
            // and a client that really stalls is still timed, once reading has resumed
            raw.send("GET /hel");
            assertEquals(408, raw.read().status());
        }
        assertEquals(1, server.stats().protocolErrors());
    }

    @Test
    void shouldCloseAnIdleConnection() throws Exception {
        final HttpServer server = start(config().idleTimeout(Duration.ofMillis(200)).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/hello"));
            assertEquals(200, raw.read().status());
            assertTrue(raw.closedByServer(), "closed after idleTimeout without traffic");
        }
        awaitTrue("connection counted as closed", () -> server.stats().connectionsOpen() == 0);
    }

    @Test
    void shouldAnswer408ToABodyThatStalls() throws Exception {
        final HttpServer server = start(config().idleTimeout(Duration.ofMillis(200)).build(), echoRouter());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nabc"); // 3 of 10 bytes, then nothing
            final RawConnection.Response response = raw.read();
            assertEquals(408, response.status());
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void shouldRouteTheWebSocketPathWithoutUpgradeAndRefuseAPipelinedUpgrade() throws Exception {
        final CompletableFuture<HttpResponse> held = new CompletableFuture<>();
        final Router router = Router.builder().get("/held", (req, ctx) -> held).build();
        final HttpServer server = HttpServer.builder(runtime).config(config().build()).router(router)
                .webSocket(WebSocketEndpoint.of("/ws")).start();
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/ws"));
            assertEquals(404, raw.read().status(), "without Upgrade: websocket it is a plain request");
            raw.send(get("/held") + "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            held.complete(HttpResponse.text(200, "held"));
            assertEquals("held", raw.read().body());
            final RawConnection.Response refused = raw.read();
            assertEquals(400, refused.status(), "an upgrade behind a request in flight is refused");
            assertTrue(refused.body().contains("pipelined"), refused.body());
        } finally {
            server.shutdown(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldNotCloseAConnectionWaitingForItsHandlerAsIdle() throws Exception {
        final CompletableFuture<HttpResponse> slow = new CompletableFuture<>();
        final Router router = Router.builder().get("/slow", (req, ctx) -> slow).build();
        final HttpServer server = start(config().idleTimeout(Duration.ofMillis(100)).askTimeout(Duration.ofSeconds(30)).build(), router);
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(get("/slow"));
            awaitTrue("request in flight", () -> server.stats().requestsInFlight() == 1);
            // two idle periods pass while the handler works: two idle connections get closed
            for (int i = 0; i < 2; i++) {
                try (RawConnection idle = new RawConnection(server.port())) {
                    assertTrue(idle.closedByServer(), "an idle connection is closed");
                }
            }
            slow.complete(HttpResponse.text(200, "done"));
            assertEquals("done", raw.read().body());
        }
    }
}
