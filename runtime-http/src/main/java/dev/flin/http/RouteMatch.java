package dev.flin.http;

import java.util.Map;
import java.util.Set;

/** The outcome of {@link Router#match}. Threading: immutable values. */
public sealed interface RouteMatch permits RouteMatch.Found, RouteMatch.NotFound, RouteMatch.MethodNotAllowed {

    /** A handler for the method and path, with the pattern's parameters. */
    record Found(String pattern, HttpHandler handler, Map<String, String> pathParams) implements RouteMatch {
        public Found {
            pathParams = Map.copyOf(pathParams);
        }
    }

    /** No route has the path: 404. */
    enum NotFound implements RouteMatch {
        INSTANCE
    }

    /** Routes have the path but not the method: 405 with {@code Allow}. */
    record MethodNotAllowed(Set<String> allowed) implements RouteMatch {
        public MethodNotAllowed {
            allowed = Set.copyOf(allowed);
        }
    }
}
