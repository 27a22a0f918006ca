package dev.flin.http.internal;

import dev.flin.http.HandlerMode;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.HttpServerStats;
import dev.flin.http.Json;
import dev.flin.http.Router;
import dev.flin.http.Transport;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHub;
import dev.flin.http.internal.ws.WebSocketSupport;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.RuntimeStoppedException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server behind {@link dev.flin.http.HttpServer}: transports, event loops, the listening
 * channel, the per-connection pipeline, and graceful shutdown (rule 9.8). Not API.
 *
 * <p>Pipeline of each connection: {@link TimedRequestDecoder} (Netty's request decoder with the
 * configured line and header limits, timing slow headers), {@link HttpResponseEncoder}, then
 * {@link HttpConnection} (aggregation, limits, routing, handler agents, in-order responses).
 *
 * <p>Threading: thread-safe. {@link #shutdown} may be called from any thread except an event loop
 * of this server or an agent thread (it waits); it is idempotent, and a second call waits for the
 * first and returns its result.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
public final class NettyServer {

    private static final Logger LOG = LoggerFactory.getLogger(NettyServer.class);
    /** The decoder hands body content on in pieces of at most this size. */
    private static final int MAX_CHUNK_SIZE = 8192;

    private final HttpServerConfig config;
    private final ServerState state;
    private final ServerCounters counters;
    private final String transportName;
    private final EventLoopGroup acceptLoop;
    private final EventLoopGroup ioLoops;
    private final boolean ownsIoLoops;
    private final ChannelGroup channels;
    private final Channel serverChannel;
    private final InetSocketAddress address;
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CompletableFuture<Boolean> shutdownResult = new CompletableFuture<>();

    private NettyServer(final HttpServerConfig config, final ServerState state, final String transportName,
            final EventLoopGroup acceptLoop, final EventLoopGroup ioLoops, final boolean ownsIoLoops,
            final ChannelGroup channels, final Channel serverChannel) {
        this.config = config;
        this.state = state;
        this.counters = state.counters();
        this.transportName = transportName;
        this.acceptLoop = acceptLoop;
        this.ioLoops = ioLoops;
        this.ownsIoLoops = ownsIoLoops;
        this.channels = channels;
        this.serverChannel = serverChannel;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds and starts serving.
     *
     * @param webSocket the WebSocket endpoint, or null for none
     * @throws UncheckedIOException    if the address cannot be bound
     * @throws RuntimeStoppedException if the runtime is shut down
     * @throws IllegalStateException   if {@link Transport#EPOLL} was asked for and cannot load
     */
    public static NettyServer start(final AgentRuntime runtime, final HttpServerConfig config, final Router router,
            final WebSocketEndpoint webSocket, final Json json) {
        return start(runtime, config, router, webSocket, json, null, null, FatalErrorHandler.haltProcess());
    }

    /**
     * @param sharedIoLoops event loops to serve connections on, not owned (never shut down), or null for loops of its own
     * @param sharedTransport EPOLL or NIO: what {@code sharedIoLoops} were made for; ignored when they are null
     * @param fatalErrors what a fatal error on one of the server's threads does (rule 4.9)
     */
    public static NettyServer start(final AgentRuntime runtime, final HttpServerConfig config, final Router router,
            final WebSocketEndpoint webSocket, final Json json, final EventLoopGroup sharedIoLoops,
            final Transport sharedTransport, final FatalErrorHandler fatalErrors) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(fatalErrors, "fatalErrors");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(json, "json");
        if (runtime.isShutdown()) {
            throw new RuntimeStoppedException("start an HTTP server on a runtime that is shut down");
        }
        final boolean epoll = sharedIoLoops != null ? sharedTransport == Transport.EPOLL : config.transport().resolve() == Transport.EPOLL;
        final IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        final Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;

        final ErrorResponses errors = new ErrorResponses(json, config.retryAfterSeconds());
        final ServerHandlerContext handlerContext = new ServerHandlerContext(runtime, config.askTimeout(), json);
        final ServerCounters counters = new ServerCounters();
        final HandlerDispatcher dispatcher = config.handlerMode() == HandlerMode.POOL
                ? new PoolDispatcher(runtime, handlerContext, errors, counters.expired, config.handlerPoolSize(),
                        config.handlerMailboxCapacity())
                : new PerRequestDispatcher(runtime, handlerContext, errors, counters.expired, config.handlerMailboxCapacity());
        final WebSocketSupport webSockets = webSocket == null ? null
                : new WebSocketSupport(runtime, config, webSocket, json, fatalErrors);
        final ServerState state = new ServerState(config, router, errors, dispatcher, counters,
                new RequestMemory(config.maxBufferedRequestBytes()), new CorrelationIds(), fatalErrors, webSockets,
                webSocket == null ? null : webSocket.path());

        final EventLoopGroup acceptLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("flin-http-accept"), io);
        final boolean ownsIoLoops = sharedIoLoops == null;
        final EventLoopGroup ioLoops = ownsIoLoops
                ? new MultiThreadIoEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("flin-http-io"), io)
                : sharedIoLoops;
        final ChannelGroup channels = new DefaultChannelGroup("flin-http", GlobalEventExecutor.INSTANCE);
        final HttpDecoderConfig decoderConfig = new HttpDecoderConfig()
                .setMaxInitialLineLength(config.maxInitialLineLength())
                .setMaxHeaderSize(config.maxHeaderSize())
                .setMaxChunkSize(MAX_CHUNK_SIZE);
        final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptLoop, ioLoops)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(new ConnectionLimiter(config.maxConnections(), counters, state.connectionLogs(), fatalErrors))
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(final Channel ch) {
                        channels.add(ch);
                        final HttpConnection connection = new HttpConnection(state);
                        ch.pipeline()
                                .addLast("flin-http-decoder", new TimedRequestDecoder(decoderConfig, connection))
                                .addLast("flin-http-encoder", new HttpResponseEncoder())
                                .addLast("flin-http", connection);
                    }
                });
        final Channel serverChannel;
        try {
            serverChannel = bootstrap.bind(config.host(), config.port()).syncUninterruptibly().channel();
        } catch (final Exception e) {
            dispatcher.close();
            acceptLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            if (ownsIoLoops) {
                ioLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            if (e instanceof IOException io2) {
                throw new UncheckedIOException("cannot bind the HTTP server to " + config.host() + ":" + config.port()
                        + ": " + io2.getMessage(), io2);
            }
            throw e;
        }
        channels.add(serverChannel);
        final NettyServer server = new NettyServer(config, state, epoll ? "epoll" : "nio", acceptLoop, ioLoops, ownsIoLoops,
                channels, serverChannel);
        LOG.info("HTTP server listening on {} ({}, {} handlers)", server.address, server.transportName,
                config.handlerMode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        return server;
    }

    /** @return the bound address (the real port when the config asked for 0) */
    public InetSocketAddress address() {
        return address;
    }

    /** @return "epoll" or "nio" */
    public String transportName() {
        return transportName;
    }

    /** @return the configuration */
    public HttpServerConfig config() {
        return config;
    }

    /** @return a snapshot of the counters */
    public HttpServerStats stats() {
        return counters.snapshot(state.webSockets(), state.memory());
    }

    /** @return the WebSocket hub, if an endpoint is configured */
    public Optional<WebSocketHub> webSockets() {
        return state.webSockets() == null ? Optional.empty() : Optional.of(state.webSockets().hub());
    }

    /** @return whether {@link #shutdown} was called */
    public boolean isShutdown() {
        return shutdownStarted.get();
    }

    /**
     * Graceful shutdown (rule 9.8): closes the listening channel (new connections are refused),
     * answers new requests on open connections with 503 and {@code Connection: close}, closes idle
     * connections, waits up to {@code grace} for the requests in flight (on a future completed when
     * the in-flight count reaches zero, no polling), closes the WebSockets with 1001, closes every
     * remaining connection, stops the pool's handler agents and the event loops. Does not stop the
     * runtime.
     *
     * @return whether every in-flight request was answered within {@code grace}
     */
    public boolean shutdown(final Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!shutdownStarted.compareAndSet(false, true)) {
            return shutdownResult.join();
        }
        try {
            final boolean finished = doShutdown(grace);
            shutdownResult.complete(finished);
            return finished;
        } catch (final RuntimeException | Error e) {
            shutdownResult.completeExceptionally(e);
            throw e;
        }
    }

    private boolean doShutdown(final Duration grace) {
        final long deadline = System.nanoTime() + grace.toNanos();
        counters.startDraining();
        serverChannel.close().awaitUninterruptibly();
        for (final Channel ch : channels) {
            if (ch != serverChannel) {
                ch.pipeline().fireUserEventTriggered(HttpConnection.Drain.INSTANCE);
            }
        }
        boolean finished;
        try {
            counters.drained().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            finished = true;
        } catch (final TimeoutException e) {
            finished = false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            finished = false;
        } catch (final ExecutionException e) {
            throw new IllegalStateException("draining failed", e.getCause());
        }
        if (!finished) {
            LOG.warn("HTTP server shutdown: {} request(s) still in flight after the grace period of {}", counters.inFlight(),
                    Durations.format(grace));
        }
        if (state.webSockets() != null) {
            final long leftMillis = TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadline - System.nanoTime()));
            try {
                state.webSockets().closeAll(Duration.ofMillis(Math.max(leftMillis, 1000)));
            } catch (final RuntimeException e) {
                LOG.warn("closing the WebSocket connections failed", e);
            }
        }
        // A draining connection closes itself once its last response has been written (with
        // Connection: close). "Drained" counts a response when it is queued, so wait, within the
        // grace, for those closes: a large response still in the socket buffer is not cut short.
        for (final Channel ch : channels) {
            final long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (ch != serverChannel && leftMillis > 0) {
                ch.closeFuture().awaitUninterruptibly(leftMillis);
            }
        }
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        state.dispatcher().close();
        acceptLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        if (ownsIoLoops) {
            ioLoops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        LOG.info("HTTP server on {} stopped ({})", address, finished ? "all requests answered" : "grace period exceeded");
        return finished;
    }
}
