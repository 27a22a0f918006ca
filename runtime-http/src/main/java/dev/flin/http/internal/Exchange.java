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
 * in-order response queue (rule 9.1).
 *
 * <p>Threading: event-loop confined; only {@link HttpConnection} touches it, on its channel's
 * event loop. Handler agents never see it: they get the immutable {@link HttpRequest}.
 */
final class Exchange {

    final HttpVersion version;
    final String method;
    final String uri;
    final HttpHeaders headers;
    /** A HEAD request: the response is written without its body. */
    final boolean head;
    final String correlationId;

    /** The client asked for {@code 100 Continue} and has not had it yet. */
    boolean continuePending;
    /** Counted in {@code requestsAccepted} and in flight until written or lost. */
    boolean accepted;
    /** Counted in {@code protocolErrors}: refused before acceptance. */
    boolean protocolError;
    /** Routed and waiting for a free dispatch slot on this connection. */
    boolean parked;
    /** Given to a handler agent, answer not back yet. */
    boolean dispatched;
    /** Close the connection once this response is written. */
    boolean closeAfter;
    /** When closing after it: half-close and drain the input first, so the client reads the response. */
    boolean linger;
    /** The connection closed before the response was written. */
    boolean abandoned;

    HttpRequest request;
    HttpHandler handler;

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
        this.closeAfter = !keepAlive;
        this.correlationId = correlationId;
    }

    /** @return an exchange for a request whose head was decoded */
    static Exchange of(final io.netty.handler.codec.http.HttpRequest head, final String correlationId) {
        return new Exchange(head.protocolVersion(), head.method().name(), head.uri(), head.headers(),
                HttpUtil.isKeepAlive(head), correlationId);
    }

    /** @return an exchange for bytes that never made a request: only an error response will be written */
    static Exchange forProtocolError(final String correlationId) {
        return new Exchange(HttpVersion.HTTP_1_1, "", "", DefaultHttpHeadersFactory.headersFactory().newHeaders(),
                false, correlationId);
    }
}
