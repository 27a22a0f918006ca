package dev.flin.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Method + path pattern to {@link HttpHandler}. A pattern is a literal path whose segments may be
 * {@code {name}} parameters, e.g. {@code /todos/{id}}; a literal segment wins over a parameter
 * when both match. Build with {@link #builder()}.
 *
 * <p>Threading: immutable once built, safe to share.
 */
public final class Router {

    private final List<Route> routes;

    private Router(final List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    /** @return a new, empty builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Matches the path as it was sent, still percent-encoded (rule 9.13): it is split into segments at
     * its slashes first, and each segment is decoded after, so an encoded slash ({@code %2F}) or dot
     * ({@code %2E}) never becomes a separator or a segment of its own. Literal segments of a pattern
     * are compared with the decoded segments; parameters get decoded values.
     *
     * @param method the request's method
     * @param rawPath the request's path as sent, without the query, e.g. {@code /todos/caf%C3%A9}
     * @return the handler and path parameters, or why there is none (404 or 405, rule 9.3)
     * @throws IllegalArgumentException if a segment's percent-encoding is malformed, is not UTF-8, or
     *     decodes to a control character (the server answers 400)
     */
    public RouteMatch match(final String method, final String rawPath) {
        final String[] segments = split(rawPath);
        for (int i = 0; i < segments.length; i++) {
            segments[i] = decodeSegment(segments[i]);
        }
        Route best = null;
        Map<String, String> bestParams = null;
        int bestLiterals = -1;
        final Set<String> allowed = new TreeSet<>();
        for (final Route route : routes) {
            final Map<String, String> params = route.match(segments);
            if (params == null) {
                continue;
            }
            allowed.add(route.method);
            if (route.method.equals(method) || ("HEAD".equals(method) && "GET".equals(route.method) && best == null)) {
                final int literals = route.literalCount();
                if (literals > bestLiterals) {
                    best = route;
                    bestParams = params;
                    bestLiterals = literals;
                }
            }
        }
        if (best != null) {
            return new RouteMatch.Found(best.pattern, best.handler, Map.copyOf(bestParams));
        }
        if (!allowed.isEmpty()) {
            return new RouteMatch.MethodNotAllowed(Set.copyOf(allowed));
        }
        return RouteMatch.NotFound.INSTANCE;
    }

    /**
     * Percent-decodes one path segment strictly: {@code +} stays a plus, every {@code %} is followed by
     * two hex digits, the bytes are UTF-8, and no control character results.
     */
    static String decodeSegment(final String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            final char c = raw.charAt(i);
            if (c != '%') {
                if (c > 0x7F) {
                    throw new IllegalArgumentException("a path segment holds a non-ASCII character: percent-encode it");
                }
                bytes.write(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw new IllegalArgumentException("malformed percent-encoding in the path: '%' needs two hex digits");
            }
            final int hi = Character.digit(raw.charAt(i + 1), 16);
            final int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("malformed percent-encoding in the path: '%" + raw.charAt(i + 1)
                        + raw.charAt(i + 2) + "'");
            }
            final int b = (hi << 4) | lo;
            if (b < 0x20 || b == 0x7F) {
                throw new IllegalArgumentException(String.format("the path encodes a control character (%%%02X)", b));
            }
            bytes.write(b);
            i += 2;
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (final java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("the path's percent-encoding is not UTF-8");
        }
    }

    private static String[] split(final String path) {
        final String trimmed = path.startsWith("/") ? path.substring(1) : path;
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }

    /** Collects routes; not thread-safe. */
    public static final class Builder {
        private final List<Route> routes = new ArrayList<>();

        private Builder() {
        }

        /**
         * @throws IllegalArgumentException if the pattern is malformed or already routed for that method
         */
        public Builder route(final String method, final String pattern, final HttpHandler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(pattern, "pattern");
            Objects.requireNonNull(handler, "handler");
            if (!pattern.startsWith("/")) {
                throw new IllegalArgumentException("a route pattern starts with '/', was '" + pattern + "'");
            }
            final String m = method.toUpperCase(Locale.ROOT);
            final Route route = new Route(m, pattern, split(pattern), handler);
            for (final Route existing : routes) {
                if (existing.method.equals(m) && existing.shape().equals(route.shape())) {
                    throw new IllegalArgumentException("duplicate route " + m + " " + pattern + " (already " + existing.pattern + ")");
                }
            }
            routes.add(route);
            return this;
        }

        public Builder get(final String pattern, final HttpHandler handler) {
            return route("GET", pattern, handler);
        }

        public Builder post(final String pattern, final HttpHandler handler) {
            return route("POST", pattern, handler);
        }

        public Builder put(final String pattern, final HttpHandler handler) {
            return route("PUT", pattern, handler);
        }

        public Builder patch(final String pattern, final HttpHandler handler) {
            return route("PATCH", pattern, handler);
        }

        public Builder delete(final String pattern, final HttpHandler handler) {
            return route("DELETE", pattern, handler);
        }

        public Router build() {
            return new Router(routes);
        }
    }

    private static final class Route {
        final String method;
        final String pattern;
        final String[] segments;
        final HttpHandler handler;

        Route(final String method, final String pattern, final String[] segments, final HttpHandler handler) {
            final Set<String> names = new TreeSet<>();
            for (final String s : segments) {
                if (s.startsWith("{") != s.endsWith("}") || (s.startsWith("{") && s.length() < 3)) {
                    throw new IllegalArgumentException("malformed segment '" + s + "' in route pattern '" + pattern + "'");
                }
                if (s.startsWith("{") && !names.add(s)) {
                    throw new IllegalArgumentException("path parameter " + s + " appears twice in route pattern '" + pattern + "'");
                }
            }
            this.method = method;
            this.pattern = pattern;
            this.segments = segments;
            this.handler = handler;
        }

        String shape() {
            final StringBuilder b = new StringBuilder();
            for (final String s : segments) {
                b.append('/').append(s.startsWith("{") ? "{}" : s);
            }
            return b.toString();
        }

        int literalCount() {
            int n = 0;
            for (final String s : segments) {
                if (!s.startsWith("{")) {
                    n++;
                }
            }
            return n;
        }

        @Nullable Map<String, String> match(final String[] path) {
            if (path.length != segments.length) {
                return null;
            }
            Map<String, String> params = Map.of();
            for (int i = 0; i < segments.length; i++) {
                final String s = segments[i];
                if (s.startsWith("{")) {
                    if (path[i].isEmpty()) {
                        return null;
                    }
                    if (params.isEmpty()) {
                        params = new LinkedHashMap<>();
                    }
                    params.put(s.substring(1, s.length() - 1), path[i]);
                } else if (!s.equals(path[i])) {
                    return null;
                }
            }
            return params;
        }
    }
}
