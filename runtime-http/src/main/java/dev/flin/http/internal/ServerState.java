package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.http.internal.ws.WebSocketSupport;
import dev.flin.runtime.FatalErrorHandler;
import io.netty.channel.ChannelFutureListener;

/**
 * What every connection of one server shares.
 *
 * <p>Threading: an immutable holder of thread-safe parts. A final class, not a record: it is
 * shared state of the server, not a message, and holds mutable (thread-safe) parts.
 *
 * Parts: the configuration, the routes, the request checks, the server's own answers and their
 * encoding, the dispatcher that hands requests to handler agents, the counters and in-flight
 * gauge, the bound on buffered request bodies, the requests dropped because their client had its
 * 504, correlation ids, what a fatal error does, and the WebSocket side and its path (both null
 * if no endpoint is configured).
 */
final class ServerState {

    private final HttpServerConfig config;
    private final Router router;
    private final RequestChecks checks;
    private final ErrorResponses errors;
    private final ResponseEncoder encoder;
    private final HandlerDispatcher dispatcher;
    private final ServerCounters counters;
    private final RequestMemory memory;
    private final CorrelationIds ids;
    private final FatalErrorHandler fatalErrors;
    private final ChannelFutureListener fatalWriteListener;
    private final WebSocketSupport webSockets;
    private final String webSocketPath;
    private final LogBudget connectionLogs = new LogBudget(10);

    ServerState(final HttpServerConfig config, final Router router, final ErrorResponses errors,
            final HandlerDispatcher dispatcher, final ServerCounters counters, final RequestMemory memory,
            final CorrelationIds ids, final FatalErrorHandler fatalErrors, final WebSocketSupport webSockets,
            final String webSocketPath) {
        this.config = config;
        this.router = router;
        this.checks = new RequestChecks(config);
        this.errors = errors;
        this.encoder = new ResponseEncoder(config.retryAfterSeconds());
        this.dispatcher = dispatcher;
        this.counters = counters;
        this.memory = memory;
        this.ids = ids;
        this.fatalErrors = fatalErrors;
        this.fatalWriteListener = written -> {
            final Throwable cause = written.cause();
            if (cause != null) {
                FatalErrorHandler.escalateIfFatal(fatalErrors, cause);
            }
        };
        this.webSockets = webSockets;
        this.webSocketPath = webSocketPath;
    }

    HttpServerConfig config() {
        return config;
    }

    Router router() {
        return router;
    }

    RequestChecks checks() {
        return checks;
    }

    ErrorResponses errors() {
        return errors;
    }

    ResponseEncoder encoder() {
        return encoder;
    }

    HandlerDispatcher dispatcher() {
        return dispatcher;
    }

    ServerCounters counters() {
        return counters;
    }

    RequestMemory memory() {
        return memory;
    }

    CorrelationIds ids() {
        return ids;
    }

    /** @return what a fatal error on one of the server's threads does (rule 4.9) */
    FatalErrorHandler fatalErrors() {
        return fatalErrors;
    }

    /** @return a listener for writes whose failure may be a fatal error (the encoder ran out of memory, say) */
    ChannelFutureListener fatalWriteListener() {
        return fatalWriteListener;
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
