package dev.flin.http.internal;

import dev.flin.http.HttpResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Locale;
import java.util.Map;

/**
 * A handler's {@link HttpResponse} as the Netty response the connection writes, with the headers
 * the server manages itself: {@code Content-Length}, {@code Connection}, {@code X-Correlation-Id},
 * {@code Retry-After} of a 503, and {@code X-Content-Type-Options: nosniff} on every response (a
 * browser takes the declared type as it is: a JSON error echoing a path is never run as HTML or
 * script). Every response says {@code HTTP/1.1}, whatever version the request
 * named (rule 9.12: the highest version the server speaks within the client's major version).
 *
 * <p>Threading: immutable; any thread (used on event loops).
 */
final class ResponseEncoder {

    private static final String NOSNIFF_NAME = "x-content-type-options";
    private static final String NOSNIFF = "nosniff";

    private final int retryAfterSeconds;

    ResponseEncoder(final int retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /**
     * @throws IllegalArgumentException if the response cannot be written as it is: an interim status
     *     (1xx), or a header value Netty refuses (a line break, say)
     */
    FullHttpResponse encode(final Exchange ex, final HttpResponse response) {
        final int status = response.status();
        if (status < 200) {
            // a 1xx is interim: the client would take the next response as this request's answer (rule 9.1)
            throw new IllegalArgumentException("a handler answered " + status + ", an interim status, as its final response");
        }
        final boolean noBodyAllowed = status == 204 || status == 304;
        final byte[] bytes = noBodyAllowed ? new byte[0] : response.body();
        final ByteBuf content = ex.head || bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        final FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), content);
        final HttpHeaders headers = out.headers();
        for (final Map.Entry<String, String> h : response.headers().entrySet()) {
            final String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!isServerManaged(name)) {
                headers.add(name, h.getValue());
            }
        }
        if (!noBodyAllowed) {
            // for HEAD: the length the GET would have had
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        headers.set(CorrelationIds.HEADER, ex.correlationId);
        headers.set(NOSNIFF_NAME, NOSNIFF);
        if (status == 503 && !headers.contains(HttpHeaderNames.RETRY_AFTER)) {
            headers.setInt(HttpHeaderNames.RETRY_AFTER, retryAfterSeconds);
        }
        return out;
    }

    /** @return {@code 100 Continue}: an interim response, for the request being received */
    static FullHttpResponse continueResponse() {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER);
    }

    /**
     * Sets {@code Connection}: {@code close} on the last response of the connection; {@code keep-alive}
     * for an HTTP/1.0 client that keeps its connection (HTTP/1.0 closes by default).
     */
    static void setConnection(final FullHttpResponse out, final boolean last, final HttpVersion requestVersion) {
        if (last) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (requestVersion.majorVersion() == 1 && requestVersion.minorVersion() == 0) {
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }

    private static boolean isServerManaged(final String lowerCaseName) {
        return lowerCaseName.equals("content-length") || lowerCaseName.equals("transfer-encoding")
                || lowerCaseName.equals("connection") || lowerCaseName.equals(CorrelationIds.HEADER);
    }
}
