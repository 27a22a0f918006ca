package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.http.internal.ws.WebSocketSupport;

/**
 * What every connection of one server shares.
 *
 * <p>Threading: an immutable holder of thread-safe parts. A final class, not a record: it is
 * shared state of the server, not a message, and holds mutable (thread-safe) parts.
 *
 * Parts: the configuration, the routes, the server's own answers, the dispatcher that hands
 * requests to handler agents, the counters and in-flight gauge, correlation ids, and the
 * WebSocket side and its path (both null if no endpoint is configured).
 */
final class ServerState {

    private final HttpServerConfig config;
    private final Router router;
    private final ErrorResponses errors;
    private final HandlerDispatcher dispatcher;
    private final ServerCounters counters;
    private final CorrelationIds ids;
    private final WebSocketSupport webSockets;
    private final String webSocketPath;
    private final LogBudget connectionLogs = new LogBudget(10);

    ServerState(final HttpServerConfig config, final Router router, final ErrorResponses errors,
            final HandlerDispatcher dispatcher, final ServerCounters counters, final CorrelationIds ids,
            final WebSocketSupport webSockets, final String webSocketPath) {
        this.config = config;
        this.router = router;
        this.errors = errors;
        this.dispatcher = dispatcher;
        this.counters = counters;
        this.ids = ids;
        this.webSockets = webSockets;
        this.webSocketPath = webSocketPath;
    }

    HttpServerConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    ErrorResponses errors() {
        return errors;
    }

    HandlerDispatcher dispatcher() {
        return dispatcher;
    }

    ServerCounters counters() {
        return counters;
    }

    CorrelationIds ids() {
        return ids;
    }

    WebSocketSupport webSockets() {
        return webSockets;
    }

    String webSocketPath() {
        return webSocketPath;
    }

    /** @return the budget of per-connection log lines (failures, drops): about 10 a second */
    LogBudget connectionLogs() {
        return connectionLogs;
    }
}
