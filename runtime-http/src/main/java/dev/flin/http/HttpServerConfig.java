package dev.flin.http;

import dev.flin.http.internal.HostNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything configurable about an {@link HttpServer}. Build with {@link #builder()}, or read
 * command-line flags, system properties, environment variables and a properties file with the
 * settings registry of runtime-core: {@link dev.flin.http.core.HttpSettings} declares one setting
 * per field.
 *
 * <p>Threading: an immutable value, safe to share; its {@link Builder} is not thread-safe.
 *
 * @param host the address to bind; {@code 127.0.0.1} by default
 * @param port the port; 0 takes an ephemeral port
 * @param transport Netty transport
 * @param ioThreads event-loop threads; 0 = one per core
 * @param maxInitialLineLength longest request line, else 414
 * @param maxHeaderSize largest header block in bytes, else 431
 * @param maxContentLength largest body in bytes, else 413
 * @param maxPipelinedRequests requests one connection may have in flight before the server stops reading it
 * @param maxInFlightRequests requests the whole server may have in flight before it answers 503
 * @param maxConnections connections (HTTP and WebSocket) the server keeps open at once; a connection
 *     accepted beyond it is closed at once, counted and logged (rule 9.10). By default 8192, or
 *     three quarters of the process's file-descriptor limit if that is lower, so that the process
 *     never runs out of descriptors for its own files and its database
 * @param maxBufferedRequestBytes request body bytes the whole server holds in memory at once (bodies
 *     being received and bodies of requests not yet answered); a body that would take it over is
 *     answered 503 with {@code Retry-After} and its connection closed (rule 9.10). By default an
 *     eighth of the maximum heap, at most 256 MiB; at least {@code maxContentLength}
 * @param idleTimeout a connection with no request in flight and no traffic for this long is closed;
 *     so is one whose client leaves its answers unread (the socket stays full) for this long
 * @param headerTimeout a request whose headers are not complete this long after its first byte gets 408 and the connection is closed
 * @param bodyTimeout a request whose body is not complete this long after its headers gets 408 and
 *     the connection is closed, however steadily it trickles (rule 9.10)
 * @param askTimeout how long a request may wait for its handler agent's answer, else 504
 * @param shutdownGrace how long a graceful shutdown waits for in-flight requests
 * @param handlerMode one agent per request or a pool
 * @param handlerPoolSize agents in the pool when {@code handlerMode} is {@link HandlerMode#POOL}
 * @param handlerMailboxCapacity mailbox capacity of a handler agent
 * @param retryAfterSeconds the {@code Retry-After} value of a 503
 * @param wsMaxFramePayload largest WebSocket frame payload in bytes, else the connection is closed with 1009
 * @param wsOutboundLimit bytes one WebSocket client may have queued (socket and agent together); past it the oldest event frames are discarded and announced as missed, and a client that takes nothing for {@code wsPongTimeout} meanwhile is dropped (rule 9.7)
 * @param wsPingInterval how often the server pings an idle WebSocket client
 * @param wsPongTimeout how long the server waits for a pong (or any frame) after a ping before it closes
 * @param allowedHosts the host names a request's {@code Host} header may carry (without port, any
 *     case); anything else, or a missing or repeated {@code Host}, is 400 (rule 9.11). Empty (the
 *     default) means the bound address, {@code localhost}, {@code 127.0.0.1} and {@code [::1]};
 *     {@code *} allows any host (behind a proxy that checks it)
 * @param allowedOrigins the origins ({@code scheme://host[:port]}) whose pages may send state-changing
 *     requests (any method but GET, HEAD and OPTIONS) and open WebSockets; a request with any other
 *     {@code Origin} is 403 (rule 9.11), one without is allowed. {@code self} (the default) is the
 *     server's own origin: the request's own {@code Host}; {@code *} allows any origin
 */
public record HttpServerConfig(
        String host,
        int port,
        Transport transport,
        int ioThreads,
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxContentLength,
        int maxPipelinedRequests,
        int maxInFlightRequests,
        int maxConnections,
        int maxBufferedRequestBytes,
        Duration idleTimeout,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration askTimeout,
        Duration shutdownGrace,
        HandlerMode handlerMode,
        int handlerPoolSize,
        int handlerMailboxCapacity,
        int retryAfterSeconds,
        int wsMaxFramePayload,
        int wsOutboundLimit,
        Duration wsPingInterval,
        Duration wsPongTimeout,
        List<String> allowedHosts,
        List<String> allowedOrigins) {

    /** In {@link #allowedHosts} and {@link #allowedOrigins}: anything is allowed. */
    public static final String ANY = "*";
    /** In {@link #allowedOrigins}: the server's own origin, the one its {@code Host} names. */
    public static final String SELF = "self";

    /** Checks every setting, naming the first that is out of range. */
    public HttpServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(handlerMode, "handlerMode");
        requireRange("port", port, 0, 65535);
        requireRange("ioThreads", ioThreads, 0, 1024);
        requireRange("maxInitialLineLength", maxInitialLineLength, 64, 1 << 20);
        requireRange("maxHeaderSize", maxHeaderSize, 256, 1 << 20);
        requireRange("maxContentLength", maxContentLength, 0, Integer.MAX_VALUE);
        requireRange("maxPipelinedRequests", maxPipelinedRequests, 1, 1 << 16);
        requireRange("maxInFlightRequests", maxInFlightRequests, 1, 1 << 24);
        requireRange("maxConnections", maxConnections, 1, 1 << 22);
        requireRange("maxBufferedRequestBytes", maxBufferedRequestBytes, 0, Integer.MAX_VALUE);
        if (maxBufferedRequestBytes < maxContentLength) {
            throw new IllegalArgumentException("maxBufferedRequestBytes must be at least maxContentLength ("
                    + maxContentLength + "), or no body of the largest allowed size could ever be received; was "
                    + maxBufferedRequestBytes);
        }
        requireRange("handlerPoolSize", handlerPoolSize, 1, 1 << 16);
        requireRange("handlerMailboxCapacity", handlerMailboxCapacity, 1, 1 << 20);
        requireRange("retryAfterSeconds", retryAfterSeconds, 0, 86_400);
        requireRange("wsMaxFramePayload", wsMaxFramePayload, 125, 1 << 26);
        requireRange("wsOutboundLimit", wsOutboundLimit, 1024, Integer.MAX_VALUE);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("headerTimeout", headerTimeout);
        requirePositive("bodyTimeout", bodyTimeout);
        requirePositive("askTimeout", askTimeout);
        requirePositive("shutdownGrace", shutdownGrace);
        requirePositive("wsPingInterval", wsPingInterval);
        requirePositive("wsPongTimeout", wsPongTimeout);
        allowedHosts = hostList(allowedHosts);
        allowedOrigins = originList(allowedOrigins);
    }

    private static List<String> hostList(final List<String> hosts) {
        Objects.requireNonNull(hosts, "allowedHosts");
        final List<String> out = new ArrayList<>(hosts.size());
        for (final String h : hosts) {
            Objects.requireNonNull(h, "allowedHosts entry");
            final String host = h.trim().toLowerCase(Locale.ROOT);
            if (!host.equals(ANY) && !HostNames.isValidHost(host)) {
                throw new IllegalArgumentException("allowedHosts: '" + h + "' is not a host name or address"
                        + " (no port, no scheme; '*' for any)");
            }
            out.add(host);
        }
        return List.copyOf(out);
    }

    private static List<String> originList(final List<String> origins) {
        Objects.requireNonNull(origins, "allowedOrigins");
        final List<String> out = new ArrayList<>(origins.size());
        for (final String o : origins) {
            Objects.requireNonNull(o, "allowedOrigins entry");
            final String origin = o.trim().toLowerCase(Locale.ROOT);
            if (!origin.equals(ANY) && !origin.equals(SELF) && HostNames.parseOrigin(origin) == null) {
                throw new IllegalArgumentException("allowedOrigins: '" + o + "' is not an origin such as"
                        + " https://app.example.com or http://localhost:3000 ('self' for the server's own, '*' for any)");
            }
            out.add(origin);
        }
        return List.copyOf(out);
    }

    /**
     * @return the hosts {@code Host} may name: {@link #allowedHosts()}, or if that is empty the bound
     *     address, {@code localhost}, {@code 127.0.0.1} and {@code [::1]}
     */
    public List<String> effectiveAllowedHosts() {
        if (!allowedHosts.isEmpty()) {
            return allowedHosts;
        }
        final List<String> hosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));
        final String bound = HostNames.bracketIfIpv6(host.toLowerCase(Locale.ROOT));
        if (!hosts.contains(bound)) {
            hosts.add(0, bound);
        }
        return List.copyOf(hosts);
    }

    /** @return the default of {@link #maxConnections}: 8192, or three quarters of the file-descriptor limit if lower */
    static int defaultMaxConnections() {
        long descriptors = Long.MAX_VALUE;
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            descriptors = unix.getMaxFileDescriptorCount();
        }
        return (int) Math.max(16, Math.min(8192, descriptors / 4 * 3));
    }

    /** @return the default of {@link #maxBufferedRequestBytes}: an eighth of the maximum heap, at most 256 MiB, at least 1 MiB */
    static int defaultMaxBufferedRequestBytes() {
        final long eighth = Runtime.getRuntime().maxMemory() / 8;
        return (int) Math.max(1 << 20, Math.min(256L << 20, eighth));
    }

    private static void requireRange(final String name, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    private static void requirePositive(final String name, final Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** @return the defaults: 127.0.0.1:8080, limits as in {@link Builder} */
    public static HttpServerConfig defaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private Transport transport = Transport.AUTO;
        private int ioThreads = 0;
        private int maxInitialLineLength = 4096;
        private int maxHeaderSize = 8192;
        private int maxContentLength = 1 << 20;
        private int maxPipelinedRequests = 16;
        private int maxInFlightRequests = 4096;
        private int maxConnections = defaultMaxConnections();
        private int maxBufferedRequestBytes = defaultMaxBufferedRequestBytes();
        private Duration idleTimeout = Duration.ofSeconds(60);
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration askTimeout = Duration.ofSeconds(5);
        private Duration shutdownGrace = Duration.ofSeconds(10);
        private HandlerMode handlerMode = HandlerMode.PER_REQUEST;
        private int handlerPoolSize = 2 * Runtime.getRuntime().availableProcessors();
        private int handlerMailboxCapacity = 64;
        private int retryAfterSeconds = 1;
        private int wsMaxFramePayload = 64 * 1024;
        private int wsOutboundLimit = 1 << 20;
        private Duration wsPingInterval = Duration.ofSeconds(30);
        private Duration wsPongTimeout = Duration.ofSeconds(10);
        private List<String> allowedHosts = List.of();
        private List<String> allowedOrigins = List.of(SELF);

        private Builder() {
        }

        private Builder(final HttpServerConfig c) {
            host = c.host; port = c.port; transport = c.transport; ioThreads = c.ioThreads;
            maxInitialLineLength = c.maxInitialLineLength; maxHeaderSize = c.maxHeaderSize;
            maxContentLength = c.maxContentLength; maxPipelinedRequests = c.maxPipelinedRequests;
            maxInFlightRequests = c.maxInFlightRequests; maxConnections = c.maxConnections;
            maxBufferedRequestBytes = c.maxBufferedRequestBytes; idleTimeout = c.idleTimeout; headerTimeout = c.headerTimeout;
            bodyTimeout = c.bodyTimeout; allowedHosts = c.allowedHosts; allowedOrigins = c.allowedOrigins;
            askTimeout = c.askTimeout; shutdownGrace = c.shutdownGrace; handlerMode = c.handlerMode;
            handlerPoolSize = c.handlerPoolSize; handlerMailboxCapacity = c.handlerMailboxCapacity;
            retryAfterSeconds = c.retryAfterSeconds; wsMaxFramePayload = c.wsMaxFramePayload;
            wsOutboundLimit = c.wsOutboundLimit; wsPingInterval = c.wsPingInterval; wsPongTimeout = c.wsPongTimeout;
        }

        public Builder host(final String v) { host = v; return this; }
        public Builder port(final int v) { port = v; return this; }
        public Builder transport(final Transport v) { transport = v; return this; }
        public Builder ioThreads(final int v) { ioThreads = v; return this; }
        public Builder maxInitialLineLength(final int v) { maxInitialLineLength = v; return this; }
        public Builder maxHeaderSize(final int v) { maxHeaderSize = v; return this; }
        public Builder maxContentLength(final int v) { maxContentLength = v; return this; }
        public Builder maxPipelinedRequests(final int v) { maxPipelinedRequests = v; return this; }
        public Builder maxInFlightRequests(final int v) { maxInFlightRequests = v; return this; }
        public Builder maxConnections(final int v) { maxConnections = v; return this; }
        public Builder maxBufferedRequestBytes(final int v) { maxBufferedRequestBytes = v; return this; }
        public Builder bodyTimeout(final Duration v) { bodyTimeout = v; return this; }
        public Builder allowedHosts(final List<String> v) { allowedHosts = v; return this; }
        public Builder allowedOrigins(final List<String> v) { allowedOrigins = v; return this; }
        public Builder idleTimeout(final Duration v) { idleTimeout = v; return this; }
        public Builder headerTimeout(final Duration v) { headerTimeout = v; return this; }
        public Builder askTimeout(final Duration v) { askTimeout = v; return this; }
        public Builder shutdownGrace(final Duration v) { shutdownGrace = v; return this; }
        public Builder handlerMode(final HandlerMode v) { handlerMode = v; return this; }
        public Builder handlerPoolSize(final int v) { handlerPoolSize = v; return this; }
        public Builder handlerMailboxCapacity(final int v) { handlerMailboxCapacity = v; return this; }
        public Builder retryAfterSeconds(final int v) { retryAfterSeconds = v; return this; }
        public Builder wsMaxFramePayload(final int v) { wsMaxFramePayload = v; return this; }
        public Builder wsOutboundLimit(final int v) { wsOutboundLimit = v; return this; }
        public Builder wsPingInterval(final Duration v) { wsPingInterval = v; return this; }
        public Builder wsPongTimeout(final Duration v) { wsPongTimeout = v; return this; }

        /** @throws IllegalArgumentException naming the first invalid setting */
        public HttpServerConfig build() {
            return new HttpServerConfig(host, port, transport, ioThreads, maxInitialLineLength, maxHeaderSize,
                    maxContentLength, maxPipelinedRequests, maxInFlightRequests, maxConnections, maxBufferedRequestBytes,
                    idleTimeout, headerTimeout, bodyTimeout, askTimeout, shutdownGrace, handlerMode, handlerPoolSize,
                    handlerMailboxCapacity, retryAfterSeconds, wsMaxFramePayload, wsOutboundLimit, wsPingInterval,
                    wsPongTimeout, allowedHosts, allowedOrigins);
        }
    }
}
