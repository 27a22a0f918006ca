package dev.flin.http.internal.ws;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.Json;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.AgentRuntime;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import java.time.Duration;

/**
 * The seam between the HTTP pipeline and WebSocket connection agents. Not API.
 * TODO(helper B): implement.
 *
 * <p>Threading: {@link #upgrade} is called on the connection's event loop; everything else is
 * thread-safe.
 */
public final class WebSocketSupport {

    public WebSocketSupport(final AgentRuntime runtime, final HttpServerConfig config, final WebSocketEndpoint endpoint,
            final Json json) {
    }

    /** @return the endpoint's path, e.g. {@code /ws} */
    public String path() {
        throw new UnsupportedOperationException();
    }

    /**
     * Called by the HTTP pipeline, on the event loop, with a complete GET request for
     * {@link #path()} that asks for an upgrade. Performs the handshake (or answers 400 itself),
     * replaces the HTTP handlers of the channel's pipeline with WebSocket ones, and spawns the
     * connection's agent. Takes ownership of {@code request} (releases it).
     */
    public void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        throw new UnsupportedOperationException();
    }

    /** @return the hub: list and broadcast */
    public WebSocketHub hub() {
        throw new UnsupportedOperationException();
    }

    /** @return connections open now */
    public long openConnections() {
        throw new UnsupportedOperationException();
    }

    /** @return frames written to clients since start */
    public long framesOut() {
        throw new UnsupportedOperationException();
    }

    /** @return clients dropped as slow since start */
    public long droppedSlow() {
        throw new UnsupportedOperationException();
    }

    /**
     * Graceful shutdown: refuse new upgrades, close every connection with 1001 (Going Away), and
     * wait up to {@code timeout} for them to close.
     *
     * @return whether every connection closed in time
     */
    public boolean closeAll(final Duration timeout) {
        throw new UnsupportedOperationException();
    }
}
