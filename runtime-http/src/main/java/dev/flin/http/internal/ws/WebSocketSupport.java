package dev.flin.http.internal.ws;

import dev.flin.http.internal.LogBudget;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Json;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seam between the HTTP pipeline and WebSocket connection agents (rules 9.5-9.8). Not API.
 *
 * <p>An upgrade turns the HTTP connection into a WebSocket one: the handshake (Netty's RFC 6455
 * handshaker), then a pipeline of frame codec, {@link Utf8FrameValidator} (text is UTF-8),
 * {@link WebSocketFrameAggregator} (continuation
 * frames, bounded by {@code wsMaxFramePayload}), an {@link IdleStateHandler} for keep-alive pings,
 * and a {@link FrameHandler}; and one {@link ConnectionAgent} per connection, spawned in the
 * server's runtime. The connection and its agent end together: the channel's close stops the
 * agent and removes its subscriptions at once (rule 9.6); an agent that terminates (it failed, or
 * the runtime shut down) closes its channel.
 *
 * <p>Threading: {@link #upgrade} is called on the connection's event loop and never waits;
 * {@link #closeAll} waits and must not be called on an event loop; everything else is thread-safe
 * and non-blocking. The counters are exact at quiescence.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
public final class WebSocketSupport {

    private static final Logger log = LoggerFactory.getLogger(WebSocketSupport.class);

    /** How long {@link #closeAll} waits for the connections it force-closed after the grace. */
    private static final Duration FORCE_CLOSE_WAIT = Duration.ofSeconds(2);

    private final AgentRuntime runtime;
    private final HttpServerConfig config;
    private final WebSocketEndpoint endpoint;
    private final Shared shared;
    private final ConnectionHub hub;
    private final WebSocketDecoderConfig decoderConfig;

    /** Set once by {@link #closeAll}; read by every upgrade. */
    private volatile boolean closing;

    /**
     * @throws NullPointerException if an argument is null
     */
    public WebSocketSupport(final AgentRuntime runtime, final HttpServerConfig config, final WebSocketEndpoint endpoint,
            final Json json, final FatalErrorHandler fatalErrors) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.config = Objects.requireNonNull(config, "config");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.shared = new Shared(endpoint, Objects.requireNonNull(json, "json"), new WebSocketCounters(),
                config.wsMaxFramePayload(), config.wsOutboundLimit(), config.wsPongTimeout(),
                Objects.requireNonNull(fatalErrors, "fatalErrors"));
        this.hub = new ConnectionHub(shared, config.askTimeout());
        // Frame errors are closed by FrameHandler, through the encoder: the decoder's own close
        // would be written from its place in the pipeline, before the frame encoder.
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(config.wsMaxFramePayload())
                .expectMaskedFrames(true)
                .allowMaskMismatch(false)
                .allowExtensions(false)
                .closeOnProtocolViolation(false)
                // only Netty's WebSocketServerProtocolHandler reads this flag; accept() installs the
                // Utf8FrameValidator itself
                .withUTF8Validator(false)
                .build();
    }

    /** @return the endpoint's path, e.g. {@code /ws} */
    public String path() {
        return endpoint.path();
    }

    /** @return the endpoint this support serves */
    public WebSocketEndpoint endpoint() {
        return endpoint;
    }

    /**
     * Called by the HTTP pipeline, on the event loop, with a complete GET request for
     * {@link #path()} that asks for an upgrade. Performs the handshake (or answers the refusal
     * itself and closes the connection: 400 naming what is wrong with the handshake, 426 for a
     * WebSocket version other than 13, 503 with {@code Retry-After} once {@link #closeAll} began
     * or the runtime is shut down), removes every handler after the HTTP codec from the channel's
     * pipeline (the handshaker then swaps the codec for the frame codec) and installs the
     * WebSocket handlers, and spawns the connection's agent. Takes ownership of {@code request}
     * (releases it).
     *
     * <p>Handlers before the HTTP codec stay: put there what must outlive an upgrade (connection
     * counting, TLS); put after it what is HTTP-only.
     *
     * @throws IllegalStateException if the pipeline has no HTTP/1.1 server codec
     */
    public void upgrade(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        try {
            if (closing) {
                refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server is shutting down: no new WebSocket"
                        + " connections");
                return;
            }
            final Refusal refusal = checkHandshake(request);
            if (refusal != null) {
                refuse(ctx, refusal.status(), refusal.message());
                return;
            }
            accept(ctx, request);
        } finally {
            request.release();
        }
    }

    private void accept(final ChannelHandlerContext ctx, final FullHttpRequest request) {
        final Channel channel = ctx.channel();
        final String remote = describe(channel.remoteAddress());
        final List<String> httpOnly = handlersAfterCodec(channel.pipeline()); // checked before anything is spawned
        final AgentRef<ConnectionCommand> agent;
        try {
            agent = runtime.spawn(ConnectionCommand.class, () -> new ConnectionAgent(channel, remote, shared),
                    SpawnOptions.defaults().withMailboxCapacity(endpoint.mailboxCapacity()));
        } catch (final RuntimeStoppedException stopped) {
            refuse(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "the agent runtime is shut down: no new WebSocket"
                    + " connections");
            return;
        }
        // Registered before the 101 leaves: a client that got its 101 finds itself in the hub.
        final Connection connection = new Connection(agent, channel, remote, Instant.now());
        hub.add(connection);
        shared.counters().accepted.increment();
        channel.closeFuture().addListener(closed -> onClosed(connection));
        runtime.whenTerminated(agent.id()).thenAccept(cause -> onAgentTerminated(connection, cause));

        final ChannelPipeline pipeline = channel.pipeline();
        for (final String name : httpOnly) {
            pipeline.remove(name);
        }
        final int high = highWaterMark(config.wsOutboundLimit());
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(high / 2, high));
        // After the codec, which the handshake replaces by the frame decoder and encoder; nothing
        // is read before this event-loop task returns, so no frame misses them.
        // Text must be UTF-8, also across fragments (RFC 6455 8.1): the decoder's own flag does not
        // check it, only this handler does; its failure is a CorruptedWebSocketFrameException with
        // 1007, which FrameHandler turns into the close (rule 9.14). Close reasons are checked by the
        // decoder itself.
        pipeline.addLast("ws-utf8", new Utf8FrameValidator(false));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(config.wsMaxFramePayload()));
        pipeline.addLast("ws-keepalive", new IdleStateHandler(config.wsPingInterval().toNanos(), 0, 0,
                TimeUnit.NANOSECONDS));
        pipeline.addLast("ws-frames", new FrameHandler(agent, remote, shared));
        final WebSocketServerHandshaker handshaker = new WebSocketServerHandshaker13(
                "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + endpoint.path(), null,
                decoderConfig);
        final ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(channel, request);
        } catch (final WebSocketHandshakeException e) { // checkHandshake should have caught it
            log.warn("WebSocket handshake with {} failed after its checks: {}", remote, e.getMessage());
            channel.close(); // the close listener stops the agent
            return;
        }
        handshake.addListener(done -> {
            if (!done.isSuccess()) {
                log.debug("WebSocket handshake with {} failed: {}", remote, String.valueOf(done.cause()));
                channel.close();
            }
        });
        if (closing) { // closeAll began during this upgrade and may not have seen the connection
            channel.pipeline().fireUserEventTriggered(CloseRequest.shuttingDown());
        }
        log.debug("WebSocket {} connected on {}", connection.describe(), endpoint.path());
    }

    /** The channel closed, either side or an error (rule 9.6): runs on the event loop. */
    private void onClosed(final Connection connection) {
        hub.remove(connection);
        try {
            runtime.stop(connection.agent().id());
        } catch (final AgentNotFoundException alreadyGone) {
            // it terminated first (failure, runtime shutdown): nothing to stop
        }
        // A stopping agent drains its mailbox before it terminates; its subscriptions go now, so
        // nothing more is published to a connection that is gone (rules 6.4, 9.6).
        for (final Topic<?> topic : endpoint.topics().values()) {
            runtime.unsubscribe(topic, connection.agent().id());
        }
        connection.closed().complete(null);
        log.debug("WebSocket {} closed", connection.describe());
    }

    /** The agent terminated on its own (failure, runtime shutdown): its connection goes with it. */
    private void onAgentTerminated(final Connection connection, final TerminationCause cause) {
        final Channel channel = connection.channel();
        if (!channel.isActive()) {
            return;
        }
        if (cause == TerminationCause.FAILED) {
            shared.counters().closedAgentFailed.increment();
            final long dropped = shared.clientLogs().tryLog();
            if (dropped >= 0) {
                log.warn("WebSocket {}: its agent failed; closing with 1011{}", connection.describe(), LogBudget.note(dropped));
            }
            channel.pipeline().fireUserEventTriggered(
                    new CloseRequest(CloseRequest.INTERNAL_ERROR, "internal error", false));
        } else {
            channel.pipeline().fireUserEventTriggered(
                    new CloseRequest(CloseRequest.GOING_AWAY, "connection agent stopped", false));
        }
    }

    /** @return the hub: list and broadcast */
    public WebSocketHub hub() {
        return hub;
    }

    /**
     * @return the bytes Netty may queue for a client's socket before the channel turns unwritable:
     *     half of the configured outbound limit; the connection's agent may hold the other half
     */
    static int highWaterMark(final int outboundLimit) {
        return outboundLimit / 2;
    }

    /** @return connections open now */
    public long openConnections() {
        return hub.connectionCount();
    }

    /** @return connections accepted (upgraded) since start */
    public long acceptedConnections() {
        return shared.counters().accepted.sum();
    }

    /** @return data frames written to clients by connection agents since start (control frames not counted) */
    public long framesOut() {
        return shared.counters().framesOut.sum();
    }

    /**
     * @return clients dropped as slow since start (rule 9.7): frames waited for them, their queue
     *     at the limit, and they took nothing for {@code wsPongTimeout}
     */
    public long droppedSlow() {
        return shared.counters().droppedSlow.sum();
    }

    /**
     * @return frames discarded for clients that read too slowly, oldest first, to keep their queue
     *     within {@code wsOutboundLimit} (each gap announced to its client by a {@code missed} frame)
     */
    public long framesMissed() {
        return shared.counters().framesMissed.sum();
    }

    /** @return clients closed with 1008 because their frames found their agent's mailbox full */
    public long closedFlooding() {
        return shared.counters().closedFlooding.sum();
    }

    /** @return clients closed with 1009: a frame or message over {@code wsMaxFramePayload} */
    public long closedTooBig() {
        return shared.counters().closedTooBig.sum();
    }

    /** @return clients closed for a protocol error (1002, or 1007 for invalid UTF-8) */
    public long closedProtocolError() {
        return shared.counters().closedProtocolError.sum();
    }

    /** @return clients closed because no frame came within {@code wsPongTimeout} after a ping */
    public long closedPongTimeout() {
        return shared.counters().closedPongTimeout.sum();
    }

    /** @return connections closed with 1011 because their agent failed */
    public long closedAgentFailed() {
        return shared.counters().closedAgentFailed.sum();
    }

    /** @return keep-alive pings sent since start */
    public long pingsSent() {
        return shared.counters().pingsSent.sum();
    }

    /** @return upgrade requests answered with an error status instead of 101 */
    public long refusedUpgrades() {
        return shared.counters().refusedUpgrades.sum();
    }

    /**
     * @return the most bytes ever seen held for one client (Netty's queue for its socket plus the
     *     frames waiting in its agent): at most {@code wsOutboundLimit} plus about one frame
     */
    public long peakQueuedBytes() {
        return shared.counters().peakQueuedBytes();
    }

    /**
     * Graceful shutdown (rule 9.8): refuse new upgrades (503), send Close 1001 "server shutting
     * down" to every connection, and wait up to {@code timeout} for them to close (each waits for
     * its client's Close). Connections still open then are closed without more ado. Idempotent.
     * Blocks the caller: must not be called on an event loop.
     *
     * @return whether every connection closed within {@code timeout}
     * @throws IllegalStateException if called on an event loop of a connection
     */
    public boolean closeAll(final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        for (final Connection c : hub.snapshot()) {
            if (c.channel().eventLoop().inEventLoop()) {
                throw new IllegalStateException("closeAll waits for connections to close: call it off the event"
                        + " loops");
            }
        }
        closing = true;
        final long deadline = System.nanoTime() + timeout.toNanos();
        for (final Connection c : hub.snapshot()) {
            c.channel().pipeline().fireUserEventTriggered(CloseRequest.shuttingDown());
        }
        boolean inTime = true;
        Collection<Connection> left = hub.snapshot();
        while (!left.isEmpty()) {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || !awaitClosed(left, remaining)) {
                inTime = false;
                break;
            }
            left = hub.snapshot(); // an upgrade racing closeAll closes itself; wait for it too
        }
        if (!inTime) {
            final List<Connection> forced = new ArrayList<>(hub.snapshot());
            log.warn("{} WebSocket connection(s) did not close within {}; closing them now", forced.size(), timeout);
            for (final Connection c : forced) {
                c.channel().close();
            }
            awaitClosed(forced, FORCE_CLOSE_WAIT.toNanos());
        }
        return inTime;
    }

    private static boolean awaitClosed(final Collection<Connection> connections, final long nanos) {
        final CompletableFuture<?>[] closed = connections.stream().map(Connection::closed)
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(closed).get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (final TimeoutException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (final ExecutionException e) {
            return true; // the futures are only ever completed normally
        }
    }

    // ---- the handshake

    /** Why an upgrade request is refused. */
    private static final class Refusal {
        private final HttpResponseStatus status;
        private final String message;

        Refusal(final HttpResponseStatus status, final String message) {
            this.status = status;
            this.message = message;
        }

        HttpResponseStatus status() {
            return status;
        }

        String message() {
            return message;
        }
    }

    /** @return what is wrong with the handshake request, or null if it is a valid RFC 6455 one */
    private static Refusal checkHandshake(final FullHttpRequest request) {
        final HttpHeaders headers = request.headers();
        if (!HttpMethod.GET.equals(request.method())) {
            return bad("a WebSocket upgrade must be a GET, was " + request.method());
        }
        if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            return bad("a WebSocket upgrade needs HTTP/1.1, was " + request.protocolVersion());
        }
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return bad("missing header 'Upgrade: websocket'");
        }
        if (!headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return bad("the Connection header must include 'Upgrade', was '" + headers.get(HttpHeaderNames.CONNECTION)
                    + "'");
        }
        final String version = headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        if (version == null) {
            return bad("missing header Sec-WebSocket-Version (this server speaks version 13)");
        }
        if (!"13".equals(version.trim())) {
            return new Refusal(HttpResponseStatus.UPGRADE_REQUIRED, "unsupported Sec-WebSocket-Version '" + version
                    + "': this server speaks version 13");
        }
        final String key = headers.get(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        if (key == null) {
            return bad("missing header Sec-WebSocket-Key");
        }
        byte[] nonce;
        try {
            nonce = Base64.getDecoder().decode(key.trim());
        } catch (final IllegalArgumentException e) {
            nonce = null;
        }
        if (nonce == null || nonce.length != 16) {
            return bad("Sec-WebSocket-Key must be 16 bytes in base64, was '" + key + "'");
        }
        return null;
    }

    private static Refusal bad(final String message) {
        return new Refusal(HttpResponseStatus.BAD_REQUEST, "bad WebSocket handshake: " + message);
    }

    private void refuse(final ChannelHandlerContext ctx, final HttpResponseStatus status, final String message) {
        shared.counters().refusedUpgrades.increment();
        log.debug("WebSocket upgrade from {} refused with {}: {}", ctx.channel().remoteAddress(), status.code(), message);
        ctx.writeAndFlush(refusal(status, message)).addListener(ChannelFutureListener.CLOSE);
    }

    private FullHttpResponse refusal(final HttpResponseStatus status, final String message) {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status.equals(HttpResponseStatus.SERVICE_UNAVAILABLE)) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, config.retryAfterSeconds());
        } else if (status.equals(HttpResponseStatus.UPGRADE_REQUIRED)) {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        }
        return response;
    }

    /**
     * @return the names of the handlers after the HTTP codec: the HTTP-only part of the pipeline
     *     (aggregator, keep-alive, the server's request handling), which the upgrade removes
     * @throws IllegalStateException if there is no HTTP/1.1 server codec
     */
    private static List<String> handlersAfterCodec(final ChannelPipeline pipeline) {
        final List<String> names = new ArrayList<>();
        boolean afterCodec = false;
        boolean sawDecoder = false;
        boolean sawEncoder = false;
        for (final Map.Entry<String, ChannelHandler> e : pipeline) {
            final ChannelHandler h = e.getValue();
            if (afterCodec) {
                names.add(e.getKey());
            } else if (h instanceof HttpServerCodec) {
                afterCodec = true;
            } else {
                sawDecoder |= h instanceof HttpRequestDecoder;
                sawEncoder |= h instanceof HttpResponseEncoder;
                afterCodec = sawDecoder && sawEncoder;
            }
        }
        if (!afterCodec) {
            throw new IllegalStateException("a WebSocket upgrade needs an HttpServerCodec (or an HttpRequestDecoder and"
                    + " HttpResponseEncoder) in the pipeline, found " + pipeline.names());
        }
        return names;
    }

    private static String describe(final SocketAddress address) {
        return address == null ? "unknown" : address.toString();
    }
}
