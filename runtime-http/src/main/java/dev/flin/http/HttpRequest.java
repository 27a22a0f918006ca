package dev.flin.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One HTTP request, fully received and size-checked: an immutable value (rule 1.5). Header names
 * are lower-case; the body is copied in and out.
 *
 * <p>Threading: immutable, safe to share.
 */
public final class HttpRequest {

    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final Map<String, String> pathParams;
    private final byte[] body;
    private final String correlationId;

    /**
     * @param method upper-case method, e.g. {@code GET}
     * @param path the decoded path without the query, e.g. {@code /todos/42}
     * @param query query parameters, in order of appearance
     * @param headers header values by lower-case name
     * @param pathParams values of the route pattern's {@code {name}} segments
     * @param body the body (copied)
     * @param correlationId the id that names this request in logs and error bodies
     */
    public HttpRequest(final String method, final String path, final Map<String, List<String>> query,
            final Map<String, List<String>> headers, final Map<String, String> pathParams, final byte[] body,
            final String correlationId) {
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.query = copy(Objects.requireNonNull(query, "query"));
        this.headers = copy(Objects.requireNonNull(headers, "headers"));
        this.pathParams = Map.copyOf(Objects.requireNonNull(pathParams, "pathParams"));
        this.body = Objects.requireNonNull(body, "body").clone();
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
    }

    private static Map<String, List<String>> copy(final Map<String, List<String>> in) {
        final Map<String, List<String>> out = new java.util.LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** @return a copy of this request with {@code params} as its path parameters */
    public HttpRequest withPathParams(final Map<String, String> params) {
        return new HttpRequest(method, path, query, headers, params, body, correlationId);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** @return all query parameters (unmodifiable) */
    public Map<String, List<String>> query() {
        return query;
    }

    /** @return the first value of query parameter {@code name} */
    public Optional<String> queryParam(final String name) {
        final List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return all headers by lower-case name (unmodifiable) */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** @return the first value of header {@code name} (any case) */
    public Optional<String> header(final String name) {
        final List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** @return the path parameters of the matched route (unmodifiable) */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    /**
     * @return the value of path parameter {@code name}
     * @throws IllegalArgumentException if the route has no such parameter
     */
    public String pathParam(final String name) {
        final String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("the route has no path parameter '" + name + "', it has " + pathParams.keySet());
        }
        return value;
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

    /** @return the id that names this request in logs and in a 500's body */
    public String correlationId() {
        return correlationId;
    }

    @Override
    public String toString() {
        return method + " " + path + " [" + correlationId + ", " + body.length + " B]";
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HttpRequest r && method.equals(r.method) && path.equals(r.path) && query.equals(r.query)
                && headers.equals(r.headers) && pathParams.equals(r.pathParams) && Arrays.equals(body, r.body)
                && correlationId.equals(r.correlationId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(method, path, correlationId);
    }
}
