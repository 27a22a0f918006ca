package dev.flin.http.internal;

import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * One request on a connection, from its head to its response: the entry of the connection's
 * in-order {@link ResponseQueue} (rule 9.1).
 *
 * <p>Its life is one {@link Stage}, what it counts as one {@link Admission}, and what follows its
 * response one {@link After}; everything else is the request and its response.
 *
 * <p>Threading: event-loop confined; only the connection's parts touch it, on its channel's event
 * loop. Handler agents never see it: they get the immutable {@link HttpRequest}.
 */
final class Exchange {

    /** Where an exchange is in its life; each stage follows the one before it, or is skipped. */
    enum Stage {
        /** Its head was decoded; the client asked for {@code 100 Continue} and has not had it. */
        AWAITING_CONTINUE,
        /** Its head was decoded; its body is arriving. */
        RECEIVING,
        /** Accepted and routed; waits for a dispatch slot on its connection (maxPipelinedRequests). */
        PARKED,
        /** At a handler agent; its answer has not come back. */
        DISPATCHED,
        /** Its response is ready and waits until every earlier response is written. */
        ANSWERED,
        /** Its response was handed to the channel. */
        WRITTEN,
        /** The connection closed before its response was written. */
        ABANDONED
    }

    /** What an exchange counts as in the server's accounting (rule 9.1, {@code HttpServerStats}). */
    enum Admission {
        /** Not decided yet: its body may still be arriving. */
        PENDING,
        /** Fully received and routed: counted in {@code requestsAccepted}, in flight until written or lost. */
        ACCEPTED,
        /** Refused before acceptance (malformed, too large, too slow, ...): counted in {@code protocolErrors}. */
        REFUSED
    }

    /** What the connection does once this exchange's response is written. */
    enum After {
        /** Goes on reading requests. */
        KEEP_ALIVE,
        /** Closes ({@code Connection: close}, HTTP/1.0, shutdown). */
        CLOSE,
        /** Half-closes, drains what the client still sends, then closes: the framing can no longer be trusted. */
        CLOSE_LINGERING
    }

    final HttpVersion version;
    final String method;
    final String uri;
    final HttpHeaders headers;
    /** A HEAD request: the response is written without its body. */
    final boolean head;
    final String correlationId;

    Stage stage;
    Admission admission = Admission.PENDING;
    After after;

    HttpRequest request;
    HttpHandler handler;
    /** {@link System#nanoTime()} by which the client gets its answer (504 at the latest), set on acceptance. */
    long deadlineNanos;
    /** Body bytes this exchange holds in the server's {@link RequestMemory}, released when it ends. */
    int reservedBytes;

    /** The response, ready to write once every earlier response is written. */
    FullHttpResponse response;
    int status;

    private Exchange(final HttpVersion version, final String method, final String uri, final HttpHeaders headers,
            final boolean keepAlive, final String correlationId) {
        this.version = version;
        this.method = method;
        this.uri = uri;
        this.headers = headers;
        this.head = HttpMethod.HEAD.name().equals(method);
        this.after = keepAlive ? After.KEEP_ALIVE : After.CLOSE;
        this.correlationId = correlationId;
        this.stage = Stage.RECEIVING;
    }

    /** @return an exchange for a request whose head was decoded, in stage {@link Stage#RECEIVING} */
    static Exchange of(final io.netty.handler.codec.http.HttpRequest head, final String correlationId) {
        return new Exchange(head.protocolVersion(), head.method().name(), head.uri(), head.headers(),
                HttpUtil.isKeepAlive(head), correlationId);
    }

    /** @return an exchange for bytes that never made a request: only an error response will be written */
    static Exchange forProtocolError(final String correlationId) {
        return new Exchange(HttpVersion.HTTP_1_1, "", "", DefaultHttpHeadersFactory.headersFactory().newHeaders(),
                false, correlationId);
    }

    /** @return whether its head was decoded and its body is not complete yet */
    boolean isReceiving() {
        return stage == Stage.AWAITING_CONTINUE || stage == Stage.RECEIVING;
    }

    /** @return whether it holds, or will hold, a response that is not written yet */
    boolean isOpen() {
        return stage != Stage.WRITTEN && stage != Stage.ABANDONED;
    }
}
