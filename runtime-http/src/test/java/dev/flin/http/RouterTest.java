package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link Router}: matching, precedence, 404/405 outcomes and pattern validation; and {@link HttpResponse} headers. */
class RouterTest {

    private static final HttpHandler A = (r, c) -> CompletableFuture.completedFuture(HttpResponse.text(200, "a"));
    private static final HttpHandler B = (r, c) -> CompletableFuture.completedFuture(HttpResponse.text(200, "b"));

    @Test
    void shouldMatchParametersAndPreferLiterals() {
        final Router router = Router.builder().get("/todos/{id}", A).get("/todos/done", B).build();
        final RouteMatch.Found param = assertInstanceOf(RouteMatch.Found.class, router.match("GET", "/todos/7"));
        assertSame(A, param.handler());
        assertEquals(Map.of("id", "7"), param.pathParams());
        assertSame(B, ((RouteMatch.Found) router.match("GET", "/todos/done")).handler());
        assertSame(RouteMatch.NotFound.INSTANCE, router.match("GET", "/todos"));
        assertSame(RouteMatch.NotFound.INSTANCE, router.match("GET", "/todos/"), "an empty segment is no parameter");
    }

    @Test
    void shouldReportTheAllowedMethodsAndServeHeadFromGet() {
        final Router router = Router.builder().get("/x", A).post("/x", B).delete("/y", A).build();
        final RouteMatch.MethodNotAllowed notAllowed = assertInstanceOf(RouteMatch.MethodNotAllowed.class, router.match("PUT", "/x"));
        assertEquals(Set.of("GET", "POST"), notAllowed.allowed());
        assertSame(A, ((RouteMatch.Found) router.match("HEAD", "/x")).handler());
        assertInstanceOf(RouteMatch.MethodNotAllowed.class, router.match("HEAD", "/y"));
    }

    @Test
    void shouldRejectMalformedAndDuplicateRoutes() {
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("todos", A));
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/todos/{id", A));
        assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/todos/{}", A));
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Router.builder().get("/a/{x}/{x}", A));
        assertTrue(twice.getMessage().contains("{x}"), twice.getMessage());
        final IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> Router.builder().get("/t/{id}", A).get("/t/{name}", B));
        assertTrue(duplicate.getMessage().contains("duplicate route GET /t/{name}"), duplicate.getMessage());
        assertThrows(NullPointerException.class, () -> Router.builder().get("/x", null));
    }

    @Test
    void shouldKeepResponseHeaderNamesInLowerCase() {
        final HttpResponse r = HttpResponse.text(200, "x").withHeader("Content-Type", "text/html").withHeader("X-Thing", "1");
        assertEquals("text/html", r.headers().get("content-type"), "one header, the later value");
        assertEquals(2, r.headers().size());
        assertThrows(IllegalArgumentException.class, () -> HttpResponse.text(99, "x"));
        assertThrows(IllegalArgumentException.class, () -> new HttpException(200, "not an error"));
    }
}
