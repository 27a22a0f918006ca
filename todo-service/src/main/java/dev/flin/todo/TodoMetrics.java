package dev.flin.todo;

import dev.flin.http.HttpHandler;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.micrometer.FlinAgentMetrics;
import dev.flin.micrometer.FlinHttpServerMetrics;
import dev.flin.micrometer.FlinRuntimeMetrics;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The service's metrics in the Prometheus text format, at {@code GET /metrics}: the runtime's
 * counters, handler times and named agents' mailbox depths ({@code runtime-micrometer}), and the
 * HTTP server's counters.
 *
 * <p>Use: {@link #instrument} the runtime's options, then {@link #bind(AgentRuntime)} the runtime
 * made with them and {@link #bind(HttpServer)} the server; {@link #handler()} serves the scrape.
 *
 * <p>Threading: the binds are called once each by the starting thread; {@link #handler()}'s
 * handler runs on handler agents, any number at once ({@code scrape()} is thread-safe).
 */
final class TodoMetrics {

    /** The Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final FlinAgentMetrics agents = new FlinAgentMetrics();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** @return the options with the handler timer and named-agent listener of the agent metrics */
    RuntimeOptions instrument(final RuntimeOptions options) {
        return agents.instrument(options);
    }

    /**
     * Binds the runtime's counters and per-agent meters.
     *
     * @param runtime made with {@link #instrument}'s options
     */
    void bind(final AgentRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        agents.attach(runtime).bindTo(registry);
        new FlinRuntimeMetrics(runtime).bindTo(registry);
    }

    /**
     * Binds the server's counters.
     *
     * @param server the started server
     */
    void bind(final HttpServer server) {
        new FlinHttpServerMetrics(Objects.requireNonNull(server, "server")).bindTo(registry);
    }

    /** @return the handler of {@code GET /metrics} */
    HttpHandler handler() {
        return (request, context) -> CompletableFuture.completedFuture(
                HttpResponse.of(200, CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8)));
    }
}
