package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.HttpServerStats;
import dev.flin.http.Json;
import dev.flin.http.Router;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.AgentRuntime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;

/** The Netty server behind {@link dev.flin.http.HttpServer}. Not API. TODO(helper A): implement. */
public final class NettyServer {

    public static NettyServer start(final AgentRuntime runtime, final HttpServerConfig config, final Router router,
            final WebSocketEndpoint webSocket, final Json json) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public InetSocketAddress address() {
        throw new UnsupportedOperationException();
    }

    public String transportName() {
        throw new UnsupportedOperationException();
    }

    public HttpServerConfig config() {
        throw new UnsupportedOperationException();
    }

    public HttpServerStats stats() {
        throw new UnsupportedOperationException();
    }

    public Optional<WebSocketHub> webSockets() {
        throw new UnsupportedOperationException();
    }

    public boolean shutdown(final Duration grace) {
        throw new UnsupportedOperationException();
    }
}
