package dev.flin.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP response: status, headers and body. An immutable value; {@link #withHeader} returns a
 * copy. Header names are kept in lower case (HTTP header names are case-insensitive), so that
 * {@code Content-Type} and {@code content-type} are one header; the later value wins.
 *
 * <p>The server manages {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection} and
 * {@code X-Correlation-Id} itself and ignores them here.
 *
 * <p>Threading: immutable, safe to share.
 */
public final class HttpResponse {

    private static final byte[] EMPTY = new byte[0];

    private final int status;
    private final Map<String, String> headers;
    private final byte[] body;

    /**
     * @param status 100..599
     * @param headers header values by name (copied, names lower-cased)
     * @param body the body (copied)
     */
    public HttpResponse(final int status, final Map<String, String> headers, final byte[] body) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100..599, was " + status);
        }
        this.status = status;
        final Map<String, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(headers, "headers").forEach((name, value) -> copy.put(
                Objects.requireNonNull(name, "header name").toLowerCase(Locale.ROOT), Objects.requireNonNull(value, name)));
        this.headers = java.util.Collections.unmodifiableMap(copy);
        this.body = Objects.requireNonNull(body, "body").clone();
    }

    /** @return a response with {@code body} as {@code contentType} */
    public static HttpResponse of(final int status, final String contentType, final byte[] body) {
        return new HttpResponse(status, Map.of("content-type", contentType), body);
    }

    /** @return a {@code text/plain; charset=utf-8} response */
    public static HttpResponse text(final int status, final String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** @return an {@code application/json} response whose body is {@code json} (already encoded) */
    public static HttpResponse json(final int status, final String json) {
        return of(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    /** @return 204 No Content */
    public static HttpResponse noContent() {
        return new HttpResponse(204, Map.of(), EMPTY);
    }

    /** @return a copy with header {@code name} set to {@code value} */
    public HttpResponse withHeader(final String name, final String value) {
        final Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT), Objects.requireNonNull(value, "value"));
        return new HttpResponse(status, copy, body);
    }

    public int status() {
        return status;
    }

    /** @return the headers by lower-case name (unmodifiable) */
    public Map<String, String> headers() {
        return headers;
    }

    /** @return a copy of the body */
    public byte[] body() {
        return body.clone();
    }

    /** @return the body's length in bytes */
    public int bodyLength() {
        return body.length;
    }

    /** @return the body decoded as UTF-8 */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return status + " " + headers + " [" + body.length + " B]";
    }
}
