package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Starts a real runtime and real servers on loopback port 0, and stops them after each test.
 * Waiting is done on latches and futures, or by polling a condition against a deadline; never by
 * sleeping for a guessed time.
 */
abstract class ServerTestSupport {

    /** A generous deadline: on a loaded 2-core machine things are slow, never wrong. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    protected AgentRuntime runtime;
    protected HttpClient client;
    private final List<HttpServer> servers = new ArrayList<>();

    @BeforeEach
    void startRuntime() {
        runtime = FlinRuntime.create();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(PATIENCE).build();
    }

    @AfterEach
    void stopAll() {
        for (final HttpServer server : servers) {
            server.shutdown(Duration.ofSeconds(5));
        }
        runtime.shutdown(Duration.ofSeconds(5));
    }

    /** @return a config on 127.0.0.1:0 with test-friendly defaults */
    static HttpServerConfig.Builder config() {
        return HttpServerConfig.builder().port(0).ioThreads(2);
    }

    HttpServer start(final HttpServerConfig config, final Router router) {
        final HttpServer server = HttpServer.builder(runtime).config(config).router(router).start();
        servers.add(server);
        return server;
    }

    HttpServer start(final Router router) {
        return start(config().build(), router);
    }

    static URI uri(final HttpServer server, final String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    static java.net.http.HttpRequest.Builder request(final HttpServer server, final String pathAndQuery) {
        return java.net.http.HttpRequest.newBuilder(uri(server, pathAndQuery)).timeout(PATIENCE);
    }

    java.net.http.HttpResponse<String> get(final HttpServer server, final String pathAndQuery)
            throws IOException, InterruptedException {
        return client.send(request(server, pathAndQuery).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    /** A handler answering at once. */
    static HttpHandler text(final String body) {
        return (request, context) -> CompletableFuture.completedFuture(HttpResponse.text(200, body));
    }

    /** {@code /held} answers when {@code held} completes, {@code /hello} at once. */
    static Router heldAndHello(final CompletableFuture<HttpResponse> held) {
        return Router.builder()
                .get("/held", (req, ctx) -> held)
                .get("/hello", text("hello"))
                .build();
    }

    /** Polls {@code condition} until it holds or the deadline passes; on failure says {@code state}. */
    static void awaitTrue(final String what, final BooleanSupplier condition, final java.util.function.Supplier<String> state) {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting for: " + what + "; " + state.get());
                return;
            }
            LockSupport.parkNanos(1_000_000L); // a poll interval, not a guess: the deadline decides
        }
    }

    /** Polls {@code condition} until it holds or the deadline passes. */
    static void awaitTrue(final String what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                assertTrue(condition.getAsBoolean(), "timed out waiting for: " + what);
                return;
            }
            LockSupport.parkNanos(1_000_000L); // a poll interval, not a guess: the deadline decides
        }
    }
}
