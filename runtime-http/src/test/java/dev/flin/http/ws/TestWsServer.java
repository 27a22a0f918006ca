package dev.flin.http.ws;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.Json;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.internal.ws.WebSocketSupport;
import dev.flin.runtime.AgentRuntime;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A test-only HTTP server shaped like the real one's pipeline (codec, aggregator, keep-alive,
 * request handler) that hands upgrade GETs on the endpoint's path to {@link WebSocketSupport}:
 * lets the WebSocket side be tested on its own, on loopback port 0.
 *
 * <p>Threading: start and close from the test thread; the rest is thread-safe.
 */
final class TestWsServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel server;
    private final WebSocketSupport support;

    private TestWsServer(final EventLoopGroup group, final Channel server, final WebSocketSupport support) {
        this.group = group;
        this.server = server;
        this.support = support;
    }

    static HttpServerConfig.Builder config() {
        return HttpServerConfig.builder().port(0).wsMaxFramePayload(64 * 1024).wsOutboundLimit(1 << 20)
                .wsPingInterval(java.time.Duration.ofMinutes(5)).wsPongTimeout(java.time.Duration.ofSeconds(5));
    }

    static TestWsServer start(final AgentRuntime runtime, final HttpServerConfig config, final WebSocketEndpoint endpoint) {
        final WebSocketSupport support = new WebSocketSupport(runtime, config, endpoint, Json.create(),
                dev.flin.runtime.FatalErrorHandler.haltProcess());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        final Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(final SocketChannel ch) {
                        ch.pipeline()
                                .addLast("http-codec", new HttpServerCodec())
                                .addLast("http-keepalive", new HttpServerKeepAliveHandler())
                                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                                .addLast("http-handler", new UpgradeOrNotFound(support));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .syncUninterruptibly()
                .channel();
        return new TestWsServer(group, server, support);
    }

    WebSocketSupport support() {
        return support;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + port() + support.path());
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The server's HTTP side, reduced to: upgrade GETs on the path, 404 for the rest. */
    private static final class UpgradeOrNotFound extends ChannelInboundHandlerAdapter {
        private final WebSocketSupport support;

        UpgradeOrNotFound(final WebSocketSupport support) {
            this.support = support;
        }

        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            final String path = new QueryStringDecoder(request.uri()).path();
            if (HttpMethod.GET.equals(request.method()) && path.equals(support.path())
                    && request.headers().contains(HttpHeaderNames.UPGRADE)) {
                support.upgrade(ctx, request); // takes ownership of the request
                return;
            }
            request.release();
            final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.NOT_FOUND, Unpooled.copiedBuffer("no such path\n", StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
