package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Titles over HTTP against whichever database the service runs on: what a 2xx echoed is exactly
 * what a later GET returns (emoji, combining marks, characters outside the Basic Multilingual
 * Plane), and titles the databases cannot store exactly (NUL, unpaired surrogates) are refused
 * with a 400 naming the field and the position, creating and changing nothing.
 */
final class TitleRoundTrip {

    /** Each title as JSON string content (escapes as a client would send them), and what it decodes to. */
    private static final List<String[]> STORED = List.of(
            new String[] {"\\uD83D\\uDCDD write the \\uD83D\\uDE00 demo", "\uD83D\uDCDD write the \uD83D\uDE00 demo"},
            new String[] {"e\\u0301t\\u00E9 \\u4E2D\\u6587", "e\u0301t\u00E9 \u4E2D\u6587"},
            new String[] {"\uD834\uDD1E raw UTF-8", "\uD834\uDD1E raw UTF-8"});

    private static final List<String[]> REFUSED = List.of(
            new String[] {"a\\u0000b", "title must not contain NUL (U+0000), found at index 1"},
            new String[] {"\\uD800", "title must not contain an unpaired surrogate: high surrogate U+D800 at index 0"},
            new String[] {"ok \\uDE00", "title must not contain an unpaired surrogate: low surrogate U+DE00 at index 3"},
            new String[] {"\\uD83D\\uD83D\\uDE00", "high surrogate U+D83D at index 0 is not followed by a low surrogate"});

    private TitleRoundTrip() {
    }

    static void check(final TodoClient client) throws Exception {
        final long id = client.create("to be renamed").get("id").asLong();
        final JsonNode before = TodoClient.json(client.get("/api/todos/" + id));
        for (final String[] refused : REFUSED) {
            final String body = "{\"title\":\"" + refused[0] + "\"}";
            for (final HttpResponse<String> response : List.of(client.post("/api/todos", body),
                    client.patch("/api/todos/" + id, body),
                    client.put("/api/todos/" + id, "{\"title\":\"" + refused[0] + "\",\"completed\":true}"))) {
                assertEquals(400, response.statusCode(), response.body());
                final String error = TodoClient.json(response).get("error").asString();
                assertTrue(error.contains(refused[1]), "the 400 names the field and the position (" + refused[1] + "): " + error);
            }
        }
        assertEquals(before, TodoClient.json(client.get("/api/todos/" + id)), "no refused title changed anything");

        for (final String[] stored : STORED) {
            final HttpResponse<String> created = client.post("/api/todos", "{\"title\":\"" + stored[0] + "\"}");
            assertEquals(201, created.statusCode(), created.body());
            final JsonNode echoed = TodoClient.json(created);
            assertEquals(stored[1], echoed.get("title").asString(), "the 201 echoes the title as sent");
            assertEquals(echoed, TodoClient.json(client.get("/api/todos/" + echoed.get("id").asLong())),
                    "a later GET returns exactly what the 201 echoed");

            final HttpResponse<String> renamed = client.patch("/api/todos/" + id, "{\"title\":\"" + stored[0] + "\"}");
            assertEquals(200, renamed.statusCode(), renamed.body());
            assertEquals(stored[1], TodoClient.json(renamed).get("title").asString());
            assertEquals(TodoClient.json(renamed), TodoClient.json(client.get("/api/todos/" + id)));
        }
    }
}
