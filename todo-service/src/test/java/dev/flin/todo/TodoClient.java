package dev.flin.todo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real HTTP/1.1 client for one running service; every call waits for its response (tests may block). */
final class TodoClient {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final URI base;

    TodoClient(final int port) {
        base = URI.create("http://127.0.0.1:" + port);
    }

    URI uri(final String path) {
        return base.resolve(path);
    }

    HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    HttpResponse<String> post(final String path, final String json) throws IOException, InterruptedException {
        return send("POST", path, json);
    }

    HttpResponse<String> patch(final String path, final String json) throws IOException, InterruptedException {
        return send("PATCH", path, json);
    }

    HttpResponse<String> put(final String path, final String json) throws IOException, InterruptedException {
        return send("PUT", path, json);
    }

    HttpResponse<String> delete(final String path) throws IOException, InterruptedException {
        return send("DELETE", path, null);
    }

    HttpResponse<String> send(final String method, final String path, final String json)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (json == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.header("content-type", "application/json").method(method, BodyPublishers.ofString(json));
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    /** Sends {@code body} with the given {@code Content-Type} header, or none if {@code contentType} is null. */
    HttpResponse<String> sendAs(final String method, final String path, final String body, final String contentType)
            throws IOException, InterruptedException {
        final HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT)
                .method(method, BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("content-type", contentType);
        }
        return http.send(request.build(), BodyHandlers.ofString());
    }

    /** Creates a todo and returns it as the service answered it. */
    JsonNode create(final String title) throws IOException, InterruptedException {
        final HttpResponse<String> created = post("/api/todos", "{\"title\":" + JSON.writeValueAsString(title) + "}");
        if (created.statusCode() != 201) {
            throw new AssertionError("POST /api/todos answered " + created.statusCode() + ": " + created.body());
        }
        return json(created);
    }

    static JsonNode json(final HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static JsonNode json(final String text) {
        return JSON.readTree(text);
    }

    static String write(final Object value) {
        return JSON.writeValueAsString(value);
    }

    HttpClient http() {
        return http;
    }
}
