package dev.flin.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A snapshot of an {@link HttpServer}'s counters. Each counter is exact at quiescence; during
 * traffic the fields are read one by one, not atomically together.
 *
 * <p>At quiescence every request the server read is accounted for once (rule 9.1):
 * <pre>
 *   requestsAccepted + protocolErrors == responses2xx + responses4xx + responses5xx + responsesLost
 * </pre>
 * (with {@code requestsInFlight == 0}). WebSocket upgrades are handed to the WebSocket side and
 * counted in {@code wsConnectionsOpen}, not here.
 *
 * <p>A snapshot is built with {@link #builder()}; a field the server does not set reads 0. New
 * counters are added as new accessors and builder methods, so adding one breaks no caller (this type
 * was a positional record before 0.1.0).
 *
 * <p>Threading: an immutable value, safe to share between threads. Its {@link Builder} is not
 * thread-safe: build it on one thread.
 */
public final class HttpServerStats {
    private final long connectionsOpen;
    private final long connectionsAccepted;
    private final long requestsAccepted;
    private final long requestsInFlight;
    private final long responses2xx;
    private final long responses4xx;
    private final long responses5xx;
    private final long rejectedOverload;
    private final long askTimeouts;
    private final long handlerFailures;
    private final long wsConnectionsOpen;
    private final long wsFramesOut;
    private final long wsDroppedSlow;
    private final long wsRefusedUpgrades;
    private final long protocolErrors;
    private final long responsesLost;
    private final long droppedNotReading;
    private final long connectionsRefused;
    private final long rejectedMemory;
    private final long rejectedOrigin;
    private final long requestsExpired;
    private final long requestBytesBuffered;

    private HttpServerStats(final Builder b) {
        this.connectionsOpen = b.connectionsOpen;
        this.connectionsAccepted = b.connectionsAccepted;
        this.requestsAccepted = b.requestsAccepted;
        this.requestsInFlight = b.requestsInFlight;
        this.responses2xx = b.responses2xx;
        this.responses4xx = b.responses4xx;
        this.responses5xx = b.responses5xx;
        this.rejectedOverload = b.rejectedOverload;
        this.askTimeouts = b.askTimeouts;
        this.handlerFailures = b.handlerFailures;
        this.wsConnectionsOpen = b.wsConnectionsOpen;
        this.wsFramesOut = b.wsFramesOut;
        this.wsDroppedSlow = b.wsDroppedSlow;
        this.wsRefusedUpgrades = b.wsRefusedUpgrades;
        this.protocolErrors = b.protocolErrors;
        this.responsesLost = b.responsesLost;
        this.droppedNotReading = b.droppedNotReading;
        this.connectionsRefused = b.connectionsRefused;
        this.rejectedMemory = b.rejectedMemory;
        this.rejectedOrigin = b.rejectedOrigin;
        this.requestsExpired = b.requestsExpired;
        this.requestBytesBuffered = b.requestBytesBuffered;
    }

    /**
     * @return a builder whose every counter is 0
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @return a builder holding this snapshot's values
     */
    public Builder toBuilder() {
        final Builder b = new Builder();
        b.connectionsOpen = connectionsOpen;
        b.connectionsAccepted = connectionsAccepted;
        b.requestsAccepted = requestsAccepted;
        b.requestsInFlight = requestsInFlight;
        b.responses2xx = responses2xx;
        b.responses4xx = responses4xx;
        b.responses5xx = responses5xx;
        b.rejectedOverload = rejectedOverload;
        b.askTimeouts = askTimeouts;
        b.handlerFailures = handlerFailures;
        b.wsConnectionsOpen = wsConnectionsOpen;
        b.wsFramesOut = wsFramesOut;
        b.wsDroppedSlow = wsDroppedSlow;
        b.wsRefusedUpgrades = wsRefusedUpgrades;
        b.protocolErrors = protocolErrors;
        b.responsesLost = responsesLost;
        b.droppedNotReading = droppedNotReading;
        b.connectionsRefused = connectionsRefused;
        b.rejectedMemory = rejectedMemory;
        b.rejectedOrigin = rejectedOrigin;
        b.requestsExpired = requestsExpired;
        b.requestBytesBuffered = requestBytesBuffered;
        return b;
    }

    /**
     * @return HTTP and WebSocket connections open now
     */
    public long connectionsOpen() {
        return connectionsOpen;
    }

    /**
     * @return connections accepted since start
     */
    public long connectionsAccepted() {
        return connectionsAccepted;
    }

    /**
     * @return requests fully received and routed, since start (each gets exactly one response, rule 9.1)
     */
    public long requestsAccepted() {
        return requestsAccepted;
    }

    /**
     * @return accepted requests not yet answered
     */
    public long requestsInFlight() {
        return requestsInFlight;
    }

    /**
     * @return successful responses (2xx and 3xx)
     */
    public long responses2xx() {
        return responses2xx;
    }

    /**
     * @return client-error responses, including those the server sends itself (400, 404, 405, 408, 413, 414, 417, 431)
     */
    public long responses4xx() {
        return responses4xx;
    }

    /**
     * @return server-error responses
     */
    public long responses5xx() {
        return responses5xx;
    }

    /**
     * @return 503s because a mailbox was full or too many requests were in flight (rule 9.3)
     */
    public long rejectedOverload() {
        return rejectedOverload;
    }

    /**
     * @return 504s
     */
    public long askTimeouts() {
        return askTimeouts;
    }

    /**
     * @return 500s: handlers that threw (rule 9.3)
     */
    public long handlerFailures() {
        return handlerFailures;
    }

    /**
     * @return WebSocket connections open now
     */
    public long wsConnectionsOpen() {
        return wsConnectionsOpen;
    }

    /**
     * @return WebSocket frames written to clients since start
     */
    public long wsFramesOut() {
        return wsFramesOut;
    }

    /**
     * @return WebSocket clients closed because their outbound buffer passed the limit (rule 9.7)
     */
    public long wsDroppedSlow() {
        return wsDroppedSlow;
    }

    /**
     * @return WebSocket upgrade requests answered with an error and a closed connection: a bad handshake (400), an unsupported version (426), or the server or runtime shutting down (503)
     */
    public long wsRefusedUpgrades() {
        return wsRefusedUpgrades;
    }

    /**
     * @return requests refused before they were accepted, each answered with an error and a closed connection: malformed (400), too slow (408), too large (413, 414, 431), unsupported {@code Expect} (417), HTTP version (505), bad {@code Host} (400), no memory for the body (503) (rules 9.3, 9.9-9.12)
     */
    public long protocolErrors() {
        return protocolErrors;
    }

    /**
     * @return accepted requests whose connection closed (the client left, or was dropped for not reading) before their response could be written
     */
    public long responsesLost() {
        return responsesLost;
    }

    /**
     * @return HTTP connections closed because their client left its answers unread: the socket stayed full (Netty's write buffer over its high-water mark) for the idle timeout (rule 9.9)
     */
    public long droppedNotReading() {
        return droppedNotReading;
    }

    /**
     * @return connections closed at once because {@code maxConnections} were open (rule 9.10)
     */
    public long connectionsRefused() {
        return connectionsRefused;
    }

    /**
     * @return request bodies refused with 503 (and a closed connection) because the server held {@code maxBufferedRequestBytes} of request bodies (rule 9.10); also in {@code protocolErrors}
     */
    public long rejectedMemory() {
        return rejectedMemory;
    }

    /**
     * @return requests answered 403 because their {@code Origin} is not allowed (rule 9.11)
     */
    public long rejectedOrigin() {
        return rejectedOrigin;
    }

    /**
     * @return accepted requests a handler agent dropped without running them, because their client had already been answered 504 (rule 9.10)
     */
    public long requestsExpired() {
        return requestsExpired;
    }

    /**
     * @return request body bytes held in memory now (bounded by {@code maxBufferedRequestBytes})
     */
    public long requestBytesBuffered() {
        return requestBytesBuffered;
    }

    /** @return every response the server wrote, whatever its status */
    public long responses() {
        return responses2xx + responses4xx + responses5xx;
    }

    /**
     * Every counter by its accessor's name, in declaration order: for exporters (JSON, metrics) that
     * should pick up a counter added later without a change of their own.
     *
     * @return an unmodifiable, ordered map from counter name to value
     */
    public Map<String, Long> asMap() {
        final Map<String, Long> m = new LinkedHashMap<>();
        m.put("connectionsOpen", connectionsOpen);
        m.put("connectionsAccepted", connectionsAccepted);
        m.put("requestsAccepted", requestsAccepted);
        m.put("requestsInFlight", requestsInFlight);
        m.put("responses2xx", responses2xx);
        m.put("responses4xx", responses4xx);
        m.put("responses5xx", responses5xx);
        m.put("rejectedOverload", rejectedOverload);
        m.put("askTimeouts", askTimeouts);
        m.put("handlerFailures", handlerFailures);
        m.put("wsConnectionsOpen", wsConnectionsOpen);
        m.put("wsFramesOut", wsFramesOut);
        m.put("wsDroppedSlow", wsDroppedSlow);
        m.put("wsRefusedUpgrades", wsRefusedUpgrades);
        m.put("protocolErrors", protocolErrors);
        m.put("responsesLost", responsesLost);
        m.put("droppedNotReading", droppedNotReading);
        m.put("connectionsRefused", connectionsRefused);
        m.put("rejectedMemory", rejectedMemory);
        m.put("rejectedOrigin", rejectedOrigin);
        m.put("requestsExpired", requestsExpired);
        m.put("requestBytesBuffered", requestBytesBuffered);
        return Collections.unmodifiableMap(m);
    }

    @Override
    public boolean equals(final Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof HttpServerStats c)) {
            return false;
        }
        return connectionsOpen == c.connectionsOpen
                && connectionsAccepted == c.connectionsAccepted
                && requestsAccepted == c.requestsAccepted
                && requestsInFlight == c.requestsInFlight
                && responses2xx == c.responses2xx
                && responses4xx == c.responses4xx
                && responses5xx == c.responses5xx
                && rejectedOverload == c.rejectedOverload
                && askTimeouts == c.askTimeouts
                && handlerFailures == c.handlerFailures
                && wsConnectionsOpen == c.wsConnectionsOpen
                && wsFramesOut == c.wsFramesOut
                && wsDroppedSlow == c.wsDroppedSlow
                && wsRefusedUpgrades == c.wsRefusedUpgrades
                && protocolErrors == c.protocolErrors
                && responsesLost == c.responsesLost
                && droppedNotReading == c.droppedNotReading
                && connectionsRefused == c.connectionsRefused
                && rejectedMemory == c.rejectedMemory
                && rejectedOrigin == c.rejectedOrigin
                && requestsExpired == c.requestsExpired
                && requestBytesBuffered == c.requestBytesBuffered;
    }

    @Override
    public int hashCode() {
        long h = 17;
        h = 31 * h + connectionsOpen;
        h = 31 * h + connectionsAccepted;
        h = 31 * h + requestsAccepted;
        h = 31 * h + requestsInFlight;
        h = 31 * h + responses2xx;
        h = 31 * h + responses4xx;
        h = 31 * h + responses5xx;
        h = 31 * h + rejectedOverload;
        h = 31 * h + askTimeouts;
        h = 31 * h + handlerFailures;
        h = 31 * h + wsConnectionsOpen;
        h = 31 * h + wsFramesOut;
        h = 31 * h + wsDroppedSlow;
        h = 31 * h + wsRefusedUpgrades;
        h = 31 * h + protocolErrors;
        h = 31 * h + responsesLost;
        h = 31 * h + droppedNotReading;
        h = 31 * h + connectionsRefused;
        h = 31 * h + rejectedMemory;
        h = 31 * h + rejectedOrigin;
        h = 31 * h + requestsExpired;
        h = 31 * h + requestBytesBuffered;
        return Long.hashCode(h);
    }

    @Override
    public String toString() {
        return "HttpServerStats[connectionsOpen=" + connectionsOpen
                + ", connectionsAccepted=" + connectionsAccepted
                + ", requestsAccepted=" + requestsAccepted
                + ", requestsInFlight=" + requestsInFlight
                + ", responses2xx=" + responses2xx
                + ", responses4xx=" + responses4xx
                + ", responses5xx=" + responses5xx
                + ", rejectedOverload=" + rejectedOverload
                + ", askTimeouts=" + askTimeouts
                + ", handlerFailures=" + handlerFailures
                + ", wsConnectionsOpen=" + wsConnectionsOpen
                + ", wsFramesOut=" + wsFramesOut
                + ", wsDroppedSlow=" + wsDroppedSlow
                + ", wsRefusedUpgrades=" + wsRefusedUpgrades
                + ", protocolErrors=" + protocolErrors
                + ", responsesLost=" + responsesLost
                + ", droppedNotReading=" + droppedNotReading
                + ", connectionsRefused=" + connectionsRefused
                + ", rejectedMemory=" + rejectedMemory
                + ", rejectedOrigin=" + rejectedOrigin
                + ", requestsExpired=" + requestsExpired
                + ", requestBytesBuffered=" + requestBytesBuffered
                + ']';
    }

    /**
     * Builds an {@link HttpServerStats}. Every counter starts at 0.
     *
     * <p>Threading: not thread-safe; use it on one thread.
     */
    public static final class Builder {
        private long connectionsOpen;
        private long connectionsAccepted;
        private long requestsAccepted;
        private long requestsInFlight;
        private long responses2xx;
        private long responses4xx;
        private long responses5xx;
        private long rejectedOverload;
        private long askTimeouts;
        private long handlerFailures;
        private long wsConnectionsOpen;
        private long wsFramesOut;
        private long wsDroppedSlow;
        private long wsRefusedUpgrades;
        private long protocolErrors;
        private long responsesLost;
        private long droppedNotReading;
        private long connectionsRefused;
        private long rejectedMemory;
        private long rejectedOrigin;
        private long requestsExpired;
        private long requestBytesBuffered;

        private Builder() {
        }

        /**
         * @param value HTTP and WebSocket connections open now
         * @return this builder
         */
        public Builder connectionsOpen(final long value) {
            this.connectionsOpen = value;
            return this;
        }

        /**
         * @param value connections accepted since start
         * @return this builder
         */
        public Builder connectionsAccepted(final long value) {
            this.connectionsAccepted = value;
            return this;
        }

        /**
         * @param value requests fully received and routed, since start (each gets exactly one response, rule 9.1)
         * @return this builder
         */
        public Builder requestsAccepted(final long value) {
            this.requestsAccepted = value;
            return this;
        }

        /**
         * @param value accepted requests not yet answered
         * @return this builder
         */
        public Builder requestsInFlight(final long value) {
            this.requestsInFlight = value;
            return this;
        }

        /**
         * @param value successful responses (2xx and 3xx)
         * @return this builder
         */
        public Builder responses2xx(final long value) {
            this.responses2xx = value;
            return this;
        }

        /**
         * @param value client-error responses, including those the server sends itself (400, 404, 405, 408, 413, 414, 417, 431)
         * @return this builder
         */
        public Builder responses4xx(final long value) {
            this.responses4xx = value;
            return this;
        }

        /**
         * @param value server-error responses
         * @return this builder
         */
        public Builder responses5xx(final long value) {
            this.responses5xx = value;
            return this;
        }

        /**
         * @param value 503s because a mailbox was full or too many requests were in flight (rule 9.3)
         * @return this builder
         */
        public Builder rejectedOverload(final long value) {
            this.rejectedOverload = value;
            return this;
        }

        /**
         * @param value 504s
         * @return this builder
         */
        public Builder askTimeouts(final long value) {
            this.askTimeouts = value;
            return this;
        }

        /**
         * @param value 500s: handlers that threw (rule 9.3)
         * @return this builder
         */
        public Builder handlerFailures(final long value) {
            this.handlerFailures = value;
            return this;
        }

        /**
         * @param value WebSocket connections open now
         * @return this builder
         */
        public Builder wsConnectionsOpen(final long value) {
            this.wsConnectionsOpen = value;
            return this;
        }

        /**
         * @param value WebSocket frames written to clients since start
         * @return this builder
         */
        public Builder wsFramesOut(final long value) {
            this.wsFramesOut = value;
            return this;
        }

        /**
         * @param value WebSocket clients closed because their outbound buffer passed the limit (rule 9.7)
         * @return this builder
         */
        public Builder wsDroppedSlow(final long value) {
            this.wsDroppedSlow = value;
            return this;
        }

        /**
         * @param value WebSocket upgrade requests answered with an error and a closed connection: a bad handshake (400), an unsupported version (426), or the server or runtime shutting down (503)
         * @return this builder
         */
        public Builder wsRefusedUpgrades(final long value) {
            this.wsRefusedUpgrades = value;
            return this;
        }

        /**
         * @param value requests refused before they were accepted, each answered with an error and a closed connection: malformed (400), too slow (408), too large (413, 414, 431), unsupported {@code Expect} (417), HTTP version (505), bad {@code Host} (400), no memory for the body (503) (rules 9.3, 9.9-9.12)
         * @return this builder
         */
        public Builder protocolErrors(final long value) {
            this.protocolErrors = value;
            return this;
        }

        /**
         * @param value accepted requests whose connection closed (the client left, or was dropped for not reading) before their response could be written
         * @return this builder
         */
        public Builder responsesLost(final long value) {
            this.responsesLost = value;
            return this;
        }

        /**
         * @param value HTTP connections closed because their client left its answers unread: the socket stayed full (Netty's write buffer over its high-water mark) for the idle timeout (rule 9.9)
         * @return this builder
         */
        public Builder droppedNotReading(final long value) {
            this.droppedNotReading = value;
            return this;
        }

        /**
         * @param value connections closed at once because {@code maxConnections} were open (rule 9.10)
         * @return this builder
         */
        public Builder connectionsRefused(final long value) {
            this.connectionsRefused = value;
            return this;
        }

        /**
         * @param value request bodies refused with 503 (and a closed connection) because the server held {@code maxBufferedRequestBytes} of request bodies (rule 9.10); also in {@code protocolErrors}
         * @return this builder
         */
        public Builder rejectedMemory(final long value) {
            this.rejectedMemory = value;
            return this;
        }

        /**
         * @param value requests answered 403 because their {@code Origin} is not allowed (rule 9.11)
         * @return this builder
         */
        public Builder rejectedOrigin(final long value) {
            this.rejectedOrigin = value;
            return this;
        }

        /**
         * @param value accepted requests a handler agent dropped without running them, because their client had already been answered 504 (rule 9.10)
         * @return this builder
         */
        public Builder requestsExpired(final long value) {
            this.requestsExpired = value;
            return this;
        }

        /**
         * @param value request body bytes held in memory now (bounded by {@code maxBufferedRequestBytes})
         * @return this builder
         */
        public Builder requestBytesBuffered(final long value) {
            this.requestBytesBuffered = value;
            return this;
        }

        /**
         * @return the snapshot
         */
        public HttpServerStats build() {
            return new HttpServerStats(this);
        }
    }
}
