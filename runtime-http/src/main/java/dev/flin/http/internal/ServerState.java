package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.http.internal.ws.WebSocketSupport;

/**
 * What every connection of one server shares.
 *
 * <p>Threading: an immutable holder of thread-safe parts.
 *
 * @param config        the configuration
 * @param router        the routes
 * @param errors        the server's own answers
 * @param dispatcher    hands requests to handler agents
 * @param counters      the counters and the in-flight gauge
 * @param ids           correlation ids
 * @param webSockets    the WebSocket side, or null if no endpoint is configured
 * @param webSocketPath the upgrade path, or null
 */
record ServerState(HttpServerConfig config, Router router, ErrorResponses errors, HandlerDispatcher dispatcher,
        ServerCounters counters, CorrelationIds ids, WebSocketSupport webSockets, String webSocketPath) {
}
