package dev.flin.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP server's counters as meters, read after real requests over loopback. */
class FlinHttpServerMetricsTest {

    private final AgentRuntime runtime = FlinRuntime.create();
    private final HttpServer server = HttpServer.builder(runtime)
            .config(HttpServerConfig.builder().port(0).ioThreads(1).build())
            .router(Router.builder().get("/hello", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, "hi")))
                    .build())
            .start();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void shutdown() {
        server.shutdown(Duration.ofSeconds(5));
        runtime.shutdown(Duration.ofSeconds(10));
    }

    private double responses(final String status) {
        return registry.get("flin.http.responses").tag("status", status).functionCounter().count();
    }

    @Test
    void shouldCountRequestsAndResponsesByStatusClass() throws Exception {
        new FlinHttpServerMetrics(server).bindTo(registry);
        final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int i = 0; i < 3; i++) {
            final var ok = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hello"))
                    .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
        }
        final var missing = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nope"))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        Poll.until(() -> "responses " + responses("2xx") + "/" + responses("4xx"),
                () -> responses("2xx") == 3 && responses("4xx") == 1);
        assertEquals(4, registry.get("flin.http.requests.accepted").functionCounter().count());
        assertEquals(0, responses("5xx"));
        assertEquals(0, registry.get("flin.http.requests.in.flight").gauge().value());
    }
}
