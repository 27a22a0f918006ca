package dev.flin.http;

import dev.flin.runtime.AgentRuntime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP/1.1 and WebSocket server on Netty whose requests are handled by agents of an
 * {@link AgentRuntime} (rules 9.1-9.8 in {@code docs/spec.md}). Start with {@link #builder}.
 *
 * <p>The server never blocks a Netty event loop on an agent: a request is handed to its handler
 * agent by a non-blocking send, and the answer comes back as the completion of an ask.
 *
 * <p>The server does not own the runtime: {@link #shutdown} stops the server (stop accepting,
 * finish in-flight requests, close WebSockets with 1001) and leaves the runtime to its owner.
 *
 * <p>Threading: thread-safe. {@link #stats()} and {@link #webSockets()} may be called from any
 * thread, including agents.
 */
public final class HttpServer implements AutoCloseable {

    private final dev.flin.http.internal.NettyServer server;

    private HttpServer(final dev.flin.http.internal.NettyServer server) {
        this.server = server;
    }

    /** @return a builder for a server whose handler agents live in {@code runtime} */
    public static Builder builder(final AgentRuntime runtime) {
        return new Builder(Objects.requireNonNull(runtime, "runtime"));
    }

    /** @return the bound address (the real port when the config asked for 0) */
    public InetSocketAddress address() {
        return server.address();
    }

    /** @return the bound port */
    public int port() {
        return address().getPort();
    }

    /** @return "epoll" or "nio" */
    public String transportName() {
        return server.transportName();
    }

    /** @return the configuration it runs with */
    public HttpServerConfig config() {
        return server.config();
    }

    /** @return a snapshot of the counters */
    public HttpServerStats stats() {
        return server.stats();
    }

    /** @return the WebSocket connections, empty if no endpoint was configured */
    public Optional<WebSocketHub> webSockets() {
        return server.webSockets();
    }

    /**
     * Graceful shutdown (rule 9.8): stops accepting connections (new ones are refused), answers
     * new requests on open connections with 503 and {@code Connection: close}, closes idle
     * connections, lets in-flight requests finish for up to {@code grace}, closes WebSockets with
     * status 1001, then closes the remaining connections, stops the handler pool's agents and the
     * event loops. The runtime keeps running. Idempotent: a second call waits for the first and
     * returns its result. Waits, so it must not be called from an agent or an event loop.
     *
     * @return whether every in-flight request was answered within {@code grace}
     */
    public boolean shutdown(final Duration grace) {
        return server.shutdown(Objects.requireNonNull(grace, "grace"));
    }

    /** {@link #shutdown} with the configured grace. */
    @Override
    public void close() {
        shutdown(server.config().shutdownGrace());
    }

    /** Collects the server's parts; not thread-safe. */
    public static final class Builder {
        private final AgentRuntime runtime;
        private HttpServerConfig config = HttpServerConfig.defaults();
        private Router router = Router.builder().build();
        private @Nullable WebSocketEndpoint webSocket;
        private Json json = Json.create();
        private io.netty.channel.@Nullable EventLoopGroup ioLoops;
        private @Nullable Transport ioLoopsTransport;
        private dev.flin.runtime.FatalErrorHandler fatalErrors = dev.flin.runtime.FatalErrorHandler.haltProcess();

        private Builder(final AgentRuntime runtime) {
            this.runtime = runtime;
        }

        public Builder config(final HttpServerConfig value) {
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        public Builder router(final Router value) {
            router = Objects.requireNonNull(value, "router");
            return this;
        }

        public Builder webSocket(final WebSocketEndpoint value) {
            webSocket = Objects.requireNonNull(value, "webSocket");
            return this;
        }

        public Builder json(final Json value) {
            json = Objects.requireNonNull(value, "json");
            return this;
        }

        /**
         * Serves connections on {@code loops} instead of event loops of the server's own, for
         * example those of a {@link dev.flin.http.core.EventLoopDispatcher} that also runs the
         * runtime's agents. The server never shuts them down; {@code config.ioThreads()} is then
         * ignored.
         *
         * @param loops     the event loops
         * @param transport what they were made for: {@link Transport#EPOLL} or {@link Transport#NIO}
         */
        public Builder ioLoops(final io.netty.channel.EventLoopGroup loops, final Transport transport) {
            Objects.requireNonNull(loops, "loops");
            Objects.requireNonNull(transport, "transport");
            if (transport == Transport.AUTO) {
                throw new IllegalArgumentException("name the transport the loops were made for: EPOLL or NIO, not AUTO");
            }
            ioLoops = loops;
            ioLoopsTransport = transport;
            return this;
        }

        /**
         * What a fatal error (out of memory, rule 4.9) on one of the server's threads does. By default
         * the process halts with one line on standard error, so that its supervisor restarts it: a
         * server that can no longer allocate must not live on with its port open. The runtime's own
         * threads follow the runtime's handler ({@code RuntimeOptions.withFatalErrorHandler}).
         *
         * @param handler the handler, e.g. one that records in a test
         */
        public Builder fatalErrorHandler(final dev.flin.runtime.FatalErrorHandler handler) {
            fatalErrors = Objects.requireNonNull(handler, "handler");
            return this;
        }

        /**
         * Binds and starts serving.
         *
         * @throws java.io.UncheckedIOException if the address cannot be bound, naming it
         * @throws dev.flin.runtime.RuntimeStoppedException if the runtime is shut down
         * @throws IllegalStateException if {@link Transport#EPOLL} was asked for and does not load here
         */
        public HttpServer start() {
            return new HttpServer(dev.flin.http.internal.NettyServer.start(runtime, config, router, webSocket, json, ioLoops,
                    ioLoopsTransport, fatalErrors));
        }
    }
}
