package dev.flin.micrometer;

import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds an {@link HttpServer}'s counters ({@link HttpServer#stats()}) as meters. Needs runtime-http
 * on the class path, which this module declares optional: a runtime-core user who never names this
 * class never loads it, nor Netty.
 *
 * <pre>
 *   flin.http.connections.open       gauge     flin.http.connections.accepted   counter
 *   flin.http.requests.in.flight     gauge     flin.http.requests.accepted      counter
 *   flin.http.responses{status=2xx|4xx|5xx}    counter (2xx counts 3xx too)
 *   flin.http.responses.lost         counter   flin.http.protocol.errors        counter
 *   flin.http.rejected{reason=overload|memory|origin|connections}  counter
 *   flin.http.ask.timeouts           counter   flin.http.handler.failures       counter
 *   flin.http.requests.expired       counter   flin.http.dropped.not.reading    counter
 *   flin.http.request.bytes.buffered gauge
 *   flin.ws.connections.open         gauge     flin.ws.frames.out               counter
 *   flin.ws.dropped.slow             counter   flin.ws.refused.upgrades         counter
 * </pre>
 * (In Prometheus: {@code flin_http_requests_accepted_total}, {@code flin_http_responses_total}, ...)
 *
 * <p>The meters read {@code stats()} when the registry reads them; nothing is added to the server's
 * request path.
 *
 * <p>Threading: immutable; {@link #bindTo} from any thread, for any number of registries; the
 * meters' functions run on the reading thread ({@code stats()} is thread-safe).
 */
public final class FlinHttpServerMetrics implements MeterBinder {

    private final HttpServer server;
    private final Tags tags;

    /**
     * @param server the server whose counters to bind
     * @param tags   tags added to every meter, may be empty
     */
    public FlinHttpServerMetrics(final HttpServer server, final Iterable<Tag> tags) {
        this.server = Objects.requireNonNull(server, "server");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** @param server the server whose counters to bind, with no extra tags */
    public FlinHttpServerMetrics(final HttpServer server) {
        this(server, Tags.empty());
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        gauge(registry, "flin.http.connections.open", "HTTP and WebSocket connections open now",
                HttpServerStats::connectionsOpen);
        counter(registry, "flin.http.connections.accepted", Tags.empty(), "connections accepted",
                HttpServerStats::connectionsAccepted);
        counter(registry, "flin.http.requests.accepted", Tags.empty(), "requests fully received and routed",
                HttpServerStats::requestsAccepted);
        gauge(registry, "flin.http.requests.in.flight", "accepted requests not yet answered",
                HttpServerStats::requestsInFlight);
        counter(registry, "flin.http.responses", Tags.of("status", "2xx"), "responses written, by status class",
                HttpServerStats::responses2xx);
        counter(registry, "flin.http.responses", Tags.of("status", "4xx"), "responses written, by status class",
                HttpServerStats::responses4xx);
        counter(registry, "flin.http.responses", Tags.of("status", "5xx"), "responses written, by status class",
                HttpServerStats::responses5xx);
        counter(registry, "flin.http.responses.lost", Tags.empty(),
                "accepted requests whose connection closed before their response", HttpServerStats::responsesLost);
        counter(registry, "flin.http.protocol.errors", Tags.empty(), "requests refused before they were accepted",
                HttpServerStats::protocolErrors);
        final String rejected = "requests or connections refused, by reason (rules 9.3, 9.10, 9.11)";
        counter(registry, "flin.http.rejected", Tags.of("reason", "overload"), rejected,
                HttpServerStats::rejectedOverload);
        counter(registry, "flin.http.rejected", Tags.of("reason", "memory"), rejected, HttpServerStats::rejectedMemory);
        counter(registry, "flin.http.rejected", Tags.of("reason", "origin"), rejected, HttpServerStats::rejectedOrigin);
        counter(registry, "flin.http.rejected", Tags.of("reason", "connections"), rejected,
                HttpServerStats::connectionsRefused);
        counter(registry, "flin.http.ask.timeouts", Tags.empty(), "504 responses", HttpServerStats::askTimeouts);
        counter(registry, "flin.http.handler.failures", Tags.empty(), "500 responses: handlers that threw",
                HttpServerStats::handlerFailures);
        counter(registry, "flin.http.requests.expired", Tags.empty(),
                "requests dropped unrun because their client was already answered 504", HttpServerStats::requestsExpired);
        counter(registry, "flin.http.dropped.not.reading", Tags.empty(),
                "connections closed because their client left its answers unread", HttpServerStats::droppedNotReading);
        gauge(registry, "flin.http.request.bytes.buffered", "request body bytes held in memory now",
                HttpServerStats::requestBytesBuffered);
        gauge(registry, "flin.ws.connections.open", "WebSocket connections open now", HttpServerStats::wsConnectionsOpen);
        counter(registry, "flin.ws.frames.out", Tags.empty(), "WebSocket frames written", HttpServerStats::wsFramesOut);
        counter(registry, "flin.ws.dropped.slow", Tags.empty(), "WebSocket clients closed for not reading",
                HttpServerStats::wsDroppedSlow);
        counter(registry, "flin.ws.refused.upgrades", Tags.empty(), "WebSocket upgrades refused",
                HttpServerStats::wsRefusedUpgrades);
    }

    private void counter(final MeterRegistry registry, final String name, final Tags extra, final String description,
            final ToLongFunction<HttpServerStats> field) {
        FunctionCounter.builder(name, server, s -> field.applyAsLong(s.stats()))
                .description(description).tags(tags.and(extra)).register(registry);
    }

    private void gauge(final MeterRegistry registry, final String name, final String description,
            final ToLongFunction<HttpServerStats> field) {
        Gauge.builder(name, server, s -> field.applyAsLong(s.stats())).description(description).tags(tags)
                .register(registry);
    }
}
