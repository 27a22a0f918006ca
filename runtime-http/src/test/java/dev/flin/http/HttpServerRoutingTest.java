package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse.BodyHandlers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Routing and answers through real HTTP: rule 9.2 (handled by agents) and the 404/405 of rule 9.3. */
class HttpServerRoutingTest extends ServerTestSupport {

    record Todo(String title, boolean done) {
    }

    private Router router() {
        return Router.builder()
                .get("/hello", text("hello"))
                .get("/todos/{id}", (req, ctx) -> CompletableFuture.completedFuture(
                        HttpResponse.json(200, ctx.json().write(Map.of("id", req.pathParam("id"),
                                "q", req.queryParam("q").orElse(""))))))
                .get("/todos/special", text("literal wins"))
                .post("/todos", (req, ctx) -> {
                    final Todo todo = ctx.json().read(req, Todo.class);
                    return CompletableFuture.completedFuture(HttpResponse.json(201, ctx.json().write(todo)));
                })
                .delete("/todos/{id}", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.noContent()))
                .get("/teapot", (req, ctx) -> {
                    throw new HttpException(418, "short and stout");
                })
                .get("/later", (req, ctx) -> CompletableFuture.supplyAsync(() -> HttpResponse.text(200, "later")))
                .build();
    }

    @ParameterizedTest
    @EnumSource(HandlerMode.class)
    void shouldServeHelloInEitherHandlerMode(final HandlerMode mode) throws Exception {
        final HttpServer server = start(config().handlerMode(mode).handlerPoolSize(2).build(), router());
        for (int i = 0; i < 5; i++) {
            final var response = get(server, "/hello");
            assertEquals(200, response.statusCode());
            assertEquals("hello", response.body());
            assertTrue(response.headers().firstValue("x-correlation-id").isPresent());
        }
        final var later = get(server, "/later");
        assertEquals("later", later.body(), "a stage completed later on another thread is answered too");
        assertEquals(6, server.stats().responses2xx());
    }

    @Test
    void shouldPassPathParamsAndQueryAndPreferLiteralSegments() throws Exception {
        final HttpServer server = start(router());
        final JsonNode node = Json.create().mapper().readTree(get(server, "/todos/42?q=a%20b").body());
        assertEquals("42", node.get("id").asString());
        assertEquals("a b", node.get("q").asString());
        assertEquals("literal wins", get(server, "/todos/special").body());
    }

    @Test
    void shouldAnswer404WithThePath() throws Exception {
        final HttpServer server = start(router());
        final var response = get(server, "/nope/x");
        assertEquals(404, response.statusCode());
        final JsonNode node = Json.create().mapper().readTree(response.body());
        assertEquals("not found", node.get("error").asString());
        assertEquals("/nope/x", node.get("path").asString());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    }

    @Test
    void shouldAnswer405WithAllow() throws Exception {
        final HttpServer server = start(router());
        final var response = client.send(request(server, "/todos/7").PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals("DELETE, GET", response.headers().firstValue("allow").orElseThrow());
    }

    @Test
    void shouldAnswerHeadWithoutBodyButWithTheLength() throws Exception {
        final HttpServer server = start(router());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("HEAD /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            final RawConnection.Response head = raw.readHead();
            assertEquals(200, head.status());
            assertEquals("5", head.header("content-length"), "the length a GET would have");
            // the next response on the connection starts right after the head's headers: no body was sent
            raw.send("GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            final RawConnection.Response get = raw.read();
            assertEquals(200, get.status());
            assertEquals("hello", get.body());
        }
    }

    @Test
    void shouldReadJsonBodiesAndAnswerHandlerErrorsWithTheirStatus() throws Exception {
        final HttpServer server = start(router());
        final var created = client.send(request(server, "/todos")
                .header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":\"write tests\",\"done\":false}")).build(),
                BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        assertEquals("write tests", Json.create().mapper().readTree(created.body()).get("title").asString());

        final var bad = client.send(request(server, "/todos")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"title\":")).build(), BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("malformed JSON for Todo"), bad.body());

        final var teapot = get(server, "/teapot");
        assertEquals(418, teapot.statusCode());
        assertEquals("short and stout", Json.create().mapper().readTree(teapot.body()).get("error").asString());
        assertEquals(0, server.stats().handlerFailures(), "an HttpException is an answer, not a failure");

        final var deleted = client.send(request(server, "/todos/3").DELETE().build(), BodyHandlers.ofString());
        assertEquals(204, deleted.statusCode());
        assertFalse(deleted.headers().firstValue("content-length").isPresent(), "204 carries no Content-Length");
    }

    @Test
    void shouldKeepTheClientsCorrelationIdAndMakeOneOtherwise() throws Exception {
        final HttpServer server = start(router());
        final var mine = client.send(request(server, "/hello").header("X-Correlation-Id", "abc-123").GET().build(),
                BodyHandlers.ofString());
        assertEquals("abc-123", mine.headers().firstValue("x-correlation-id").orElseThrow());
        final var hostile = client.send(request(server, "/hello").header("X-Correlation-Id", "<script>").GET().build(),
                BodyHandlers.ofString());
        final String made = hostile.headers().firstValue("x-correlation-id").orElseThrow();
        assertFalse(made.contains("<"), made);
    }
}
