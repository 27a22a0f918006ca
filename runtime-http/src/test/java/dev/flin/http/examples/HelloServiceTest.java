package dev.flin.http.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HandlerMode;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The example the load figures are taken with serves {@code GET /hello} in both handler modes. */
class HelloServiceTest {

    @ParameterizedTest
    @ValueSource(strings = {"per-request", "pool"})
    void shouldSayHelloInTheModeGivenOnTheCommandLine(final String mode) throws Exception {
        final HttpServerConfig config = dev.flin.http.core.HttpSettings.config(dev.flin.runtime.core.config.Settings.of("test",
                java.util.List.of(dev.flin.http.core.HttpSettings.group())).parse(new String[] {"--port", "0", "--handler-mode", mode}, Map.of(), Map.of()));
        assertEquals(mode.equals("pool") ? HandlerMode.POOL : HandlerMode.PER_REQUEST, config.handlerMode());
        try (AgentRuntime runtime = FlinRuntime.create()) {
            final HttpServer server = HelloService.start(runtime, config);
            try {
                final HttpClient client = HttpClient.newHttpClient();
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/hello")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode());
                assertEquals("hello", response.body());
            } finally {
                assertTrue(server.shutdown(Duration.ofSeconds(10)));
            }
        }
    }
}
