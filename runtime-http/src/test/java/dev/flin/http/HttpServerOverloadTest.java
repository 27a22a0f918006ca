package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Overload (rule 9.3): far more concurrent requests than the handler agents have room for. Every
 * request is answered, with 200 or 503 only; the counters add up; nothing is left behind in the
 * runtime or the heap; and the server serves normally afterwards.
 */
class HttpServerOverloadTest extends ServerTestSupport {

    private static final int REQUESTS = 5_000;

    /** Some real work per request: a few rounds of SHA-256 over the path. */
    private static HttpHandler hashing() {
        return (request, context) -> {
            final MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = request.path().getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 200; i++) {
                digest = sha.digest(digest);
            }
            return CompletableFuture.completedFuture(HttpResponse.text(200, HexFormat.of().formatHex(digest)));
        };
    }

    @Test
    void shouldAnswerEveryRequestWith200Or503AndLeaveNothingBehind() throws Exception {
        final Router router = Router.builder().get("/work/{n}", hashing()).get("/hello", text("hello")).build();
        final HttpServer server = start(config().handlerMode(HandlerMode.POOL).handlerPoolSize(2).handlerMailboxCapacity(4)
                .maxInFlightRequests(1 << 20).build(), router);
        assertEquals("hello", get(server, "/hello").body());
        final long aliveBaseline = runtime.counters().alive();
        final long heapBefore = usedHeapAfterGc();

        // a client of its own, so that its thousands of pooled connections can be let go before the heap is measured
        HttpClient flood = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
        final List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>(REQUESTS);
        for (int i = 0; i < REQUESTS; i++) {
            responses.add(flood.sendAsync(request(server, "/work/" + i).GET().build(), BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(2 * PATIENCE.toSeconds(), TimeUnit.SECONDS);

        final Map<Integer, Integer> byStatus = new TreeMap<>();
        for (final var f : responses) {
            byStatus.merge(f.join().statusCode(), 1, Integer::sum);
        }
        assertEquals(REQUESTS, byStatus.values().stream().mapToInt(Integer::intValue).sum(), "every request answered");
        assertTrue(byStatus.keySet().stream().allMatch(s -> s == 200 || s == 503), "only 200 and 503: " + byStatus);
        assertTrue(byStatus.getOrDefault(200, 0) > 0, "some served: " + byStatus);
        for (final var f : responses) {
            if (f.join().statusCode() == 503) {
                assertTrue(f.join().headers().firstValue("retry-after").isPresent());
            }
        }

        awaitTrue("nothing in flight", () -> server.stats().requestsInFlight() == 0);
        final HttpServerStats stats = server.stats();
        assertEquals(REQUESTS + 1, stats.requestsAccepted());
        assertEquals(stats.requestsAccepted(), stats.responses2xx() + stats.responses5xx(), stats.toString());
        assertEquals(byStatus.getOrDefault(200, 0) + 1L, stats.responses2xx());
        assertEquals((long) byStatus.getOrDefault(503, 0), stats.responses5xx());
        assertEquals(stats.responses5xx(), stats.rejectedOverload(), "every 503 was overload");
        assertEquals(0, stats.responsesLost());
        assertEquals(0, stats.handlerFailures());

        awaitTrue("no queued messages", () -> runtime.counters().queued() == 0);
        assertEquals(aliveBaseline, runtime.counters().alive(), "no handler agent left behind");
        assertEquals(0, runtime.counters().rejectedFull(), "the pool never overfilled a mailbox: admission keeps them bounded");

        assertEquals("hello", get(server, "/hello").body(), "served normally afterwards");

        // Nothing is retained once the connections are gone: the server closes them all (its own
        // graceful shutdown, which leaves the runtime running), the client drops them, and the heap
        // is back near where it started.
        assertTrue(server.shutdown(PATIENCE));
        responses.clear();
        flood = null;
        // the client lets go of its closed connections on its own thread: poll the heap with a deadline
        final long bound = heapBefore + (64L << 20);
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        long heapAfter = usedHeapAfterGc();
        while (heapAfter > bound && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000_000L); // a poll interval; the deadline decides
            heapAfter = usedHeapAfterGc();
        }
        assertTrue(heapAfter <= bound, "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB");
        System.out.printf("overload: %d requests at once -> %s; heap after GC %d MiB before, %d MiB after%n", REQUESTS,
                byStatus, heapBefore >> 20, heapAfter >> 20); // the figure for the README and the closing note
        awaitTrue("the pool's two agents stopped with the server", () -> runtime.counters().alive() == aliveBaseline - 2);
    }

    @Test
    void shouldShedLoadAboveMaxInFlightInPerRequestMode() throws Exception {
        final Router router = Router.builder().get("/work/{n}", hashing()).build();
        final HttpServer server = start(config().handlerMode(HandlerMode.PER_REQUEST).maxInFlightRequests(16).build(), router);
        final long aliveBaseline = runtime.counters().alive();
        final int n = REQUESTS / 5;
        final List<CompletableFuture<java.net.http.HttpResponse<String>>> responses = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            responses.add(client.sendAsync(request(server, "/work/" + i).GET().build(), BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(2 * PATIENCE.toSeconds(), TimeUnit.SECONDS);
        int ok = 0;
        for (final var f : responses) {
            final int status = f.join().statusCode();
            assertTrue(status == 200 || status == 503, "status " + status);
            ok += status == 200 ? 1 : 0;
        }
        awaitTrue("nothing in flight", () -> server.stats().requestsInFlight() == 0);
        final HttpServerStats stats = server.stats();
        assertEquals(n, stats.requestsAccepted());
        assertEquals(ok, stats.responses2xx());
        assertEquals(n - ok, stats.rejectedOverload());
        awaitTrue("every per-request agent stopped", () -> runtime.counters().alive() == aliveBaseline);
        awaitTrue("no queued messages", () -> runtime.counters().queued() == 0);
    }

    private static long usedHeapAfterGc() {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
