package dev.flin.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
     * @param method the request's method
     * @param path the request's decoded path, without the query
     * @return the handler and path parameters, or why there is none (404 or 405, rule 9.3)
     */
    public RouteMatch match(final String method, final String path) {
        final String[] segments = split(path);
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

        Map<String, String> match(final String[] path) {
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
