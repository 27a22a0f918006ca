package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the Prometheus scrape of a real service after real requests. */
class MetricsEndpointTest {

    @TempDir
    Path dataDir;

    private TodoService service;
    private TodoClient client;

    @BeforeEach
    void start() {
        service = TodoService.start(HttpServerConfig.builder().port(0).askTimeout(Duration.ofSeconds(30)).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderWorkRounds(0));
        client = new TodoClient(service.port());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    /** @return the value of the sample line that starts with {@code series} (name and labels) */
    private static double sample(final String scrape, final String series) {
        final Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertTrue(m.find(), () -> series + " not in\n" + scrape);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void shouldServeTheRuntimeAndServerCountersInThePrometheusTextFormat() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(201, client.post("/api/todos", "{\"title\":\"metric " + i + "\"}").statusCode());
        }
        assertEquals(200, client.get("/api/todos").statusCode());
        assertEquals(404, client.get("/api/todos/424242").statusCode());

        // A response is counted once written, which may be just after its client read it: scrape
        // until the five are counted (the deadline is a hang guard only).
        final long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        HttpResponse<String> scrape = client.get("/metrics");
        while (sample(scrape.body(), "flin_http_responses_total{status=\"2xx\"}")
                + sample(scrape.body(), "flin_http_responses_total{status=\"4xx\"}") < 5
                && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
            scrape = client.get("/metrics");
        }
        assertEquals(200, scrape.statusCode());
        assertEquals(TodoMetrics.CONTENT_TYPE, scrape.headers().firstValue("content-type").orElse(""));
        final String text = scrape.body();
        // the store handled at least the opening ping, three creates, a list and a get
        assertTrue(sample(text, "flin_messages_processed_total") >= 6, text);
        assertTrue(sample(text, "flin_agents_spawned_total") >= 2, text);
        assertTrue(text.contains("# TYPE flin_messages_processed_total counter"), text);
        // the five requests before this one were answered (this one is in flight while it scrapes)
        assertTrue(sample(text, "flin_http_requests_accepted_total") >= 5, text);
        assertTrue(sample(text, "flin_http_responses_total{status=\"2xx\"}") >= 4, text);
        assertTrue(sample(text, "flin_http_responses_total{status=\"4xx\"}") >= 1, text);
        // the store is a named agent: its handler timer and mailbox gauge carry its name
        assertTrue(text.contains("flin_handler_duration_seconds_count{agent=\"" + TodoStore.NAME + "\"}"), text);
        assertTrue(text.contains("flin_mailbox_depth{agent=\"" + TodoStore.NAME + "\"}"), text);
        assertTrue(text.contains("flin_handler_duration_seconds_count{agent=\"(anonymous)\"}"), text);
    }
}
