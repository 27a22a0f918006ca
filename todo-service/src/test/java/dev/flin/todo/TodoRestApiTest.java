package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The REST API through a real HTTP client against the real service on an ephemeral port (rules 9.1-9.3). */
class TodoRestApiTest {

    @TempDir
    Path dataDir;

    private TodoService service;
    private TodoClient client;

    @BeforeEach
    void start() {
        service = start(HttpServerConfig.builder().port(0).askTimeout(Duration.ofSeconds(30)).build(), 1024);
    }

    private TodoService start(final HttpServerConfig config, final int storeMailbox) {
        final TodoService started = TodoService.start(config,
                TodoOptions.defaults().withDataDir(dataDir).withStoreMailboxCapacity(storeMailbox).withReminderWorkRounds(0));
        client = new TodoClient(started.port());
        return started;
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void createReadPatchReplaceDelete() throws Exception {
        final HttpResponse<String> created = client.post("/api/todos", "{\"title\":\"  write the demo \"}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("application/json", created.headers().firstValue("content-type").orElse(""));
        final JsonNode todo = TodoClient.json(created);
        final long id = todo.get("id").asLong();
        assertEquals("/api/todos/" + id, created.headers().firstValue("location").orElse(""));
        assertEquals("write the demo", todo.get("title").asString());
        assertFalse(todo.get("completed").asBoolean());
        final Instant createdAt = Instant.parse(todo.get("createdAt").asString());   // ISO-8601 text, not a number
        assertEquals(createdAt, Instant.parse(todo.get("updatedAt").asString()));

        assertEquals(todo, TodoClient.json(client.get("/api/todos/" + id)));
        assertEquals(List.of(todo), list());

        final HttpResponse<String> done = client.patch("/api/todos/" + id, "{\"completed\":true}");
        assertEquals(200, done.statusCode(), done.body());
        assertEquals("write the demo", TodoClient.json(done).get("title").asString());
        assertTrue(TodoClient.json(done).get("completed").asBoolean());
        assertFalse(Instant.parse(TodoClient.json(done).get("updatedAt").asString()).isBefore(createdAt));

        final JsonNode renamed = TodoClient.json(client.patch("/api/todos/" + id, "{\"title\":\"ship the demo\"}"));
        assertEquals("ship the demo", renamed.get("title").asString());
        assertTrue(renamed.get("completed").asBoolean(), "a patch leaves out what it does not name");

        final HttpResponse<String> replaced = client.put("/api/todos/" + id, "{\"title\":\"demo shipped\",\"completed\":false}");
        assertEquals(200, replaced.statusCode(), replaced.body());
        assertEquals("demo shipped", TodoClient.json(replaced).get("title").asString());
        assertFalse(TodoClient.json(replaced).get("completed").asBoolean());
        assertEquals(TodoClient.json(replaced), TodoClient.json(client.get("/api/todos/" + id)));

        final HttpResponse<String> deleted = client.delete("/api/todos/" + id);
        assertEquals(204, deleted.statusCode(), deleted.body());
        assertEquals("", deleted.body());
        assertEquals(404, client.get("/api/todos/" + id).statusCode());
        assertEquals(List.of(), list());
    }

    private List<JsonNode> list() throws Exception {
        final HttpResponse<String> response = client.get("/api/todos");
        assertEquals(200, response.statusCode(), response.body());
        final List<JsonNode> all = new ArrayList<>();
        TodoClient.json(response).forEach(all::add);
        return all;
    }

    @Test
    void unknownIdsAndPathsAre404() throws Exception {
        for (final HttpResponse<String> response : List.of(client.get("/api/todos/999"),
                client.patch("/api/todos/999", "{\"completed\":true}"),
                client.put("/api/todos/999", "{\"title\":\"x\",\"completed\":true}"),
                client.delete("/api/todos/999"),
                client.post("/api/todos/999/remind", null))) {
            assertEquals(404, response.statusCode(), response.body());
            assertTrue(response.body().contains("no todo has id 999"), response.body());
        }
        assertEquals(404, client.get("/api/nothing-here").statusCode());
        assertEquals(List.of(), list());
    }

    @Test
    void badBodiesAndIdsAre400NamingWhatWasWrongAndChangeNothing() throws Exception {
        final long id = client.create("keep me").get("id").asLong();
        final JsonNode before = TodoClient.json(client.get("/api/todos/" + id));
        assert400(client.post("/api/todos", "{\"title\":\"   \"}"), "title must not be blank");
        assert400(client.post("/api/todos", "{\"title\":\"" + "x".repeat(201) + "\"}"), "title must be at most 200 characters, was 201");
        assert400(client.post("/api/todos", "{}"), "title is required");
        assert400(client.post("/api/todos", ""), "body is empty");
        assert400(client.post("/api/todos", "{\"title\":"), "malformed JSON");
        assert400(client.post("/api/todos", "{\"title\":\"x\",\"priority\":1}"), "unknown field 'priority'");
        assert400(client.post("/api/todos", "{\"title\":5}"), "title must be a string, was 5");
        assert400(client.post("/api/todos", "[\"x\"]"), "is a JSON object with [title]");
        assert400(client.patch("/api/todos/" + id, "{\"completed\":\"yes\"}"), "completed must be true or false, was \"yes\"");
        assert400(client.patch("/api/todos/" + id, "{}"), "a patch needs title and/or completed");
        assert400(client.patch("/api/todos/" + id, "{\"title\":null}"), "title must be a string, was null");
        assert400(client.patch("/api/todos/" + id, "{\"title\":\"\"}"), "title must not be blank");
        assert400(client.put("/api/todos/" + id, "{\"title\":\"x\"}"), "completed is required");
        assert400(client.get("/api/todos/abc"), "id must be a positive integer, was 'abc'");
        assert400(client.patch("/api/todos/0", "{\"completed\":true}"), "id must be a positive integer, was 0");
        assert400(client.delete("/api/todos/12345678901234567890"), "id must be a positive integer");
        for (final String version : List.of("0", "-1", "1.5", "\"1\"", "null", "true", "99999999999999999999", "1e30")) {
            assert400(client.patch("/api/todos/" + id, "{\"completed\":true,\"version\":" + version + "}"),
                    "version must be a whole number from 1 to 9223372036854775807");
            assert400(client.put("/api/todos/" + id, "{\"title\":\"x\",\"completed\":true,\"version\":" + version + "}"),
                    "version must be a whole number from 1 to 9223372036854775807");
        }
        assertEquals(List.of(before), list(), "no bad request changed anything");
    }

    @Test
    void everyChangeAddsOneToTheVersionAndAnUpdateAgainstAStaleVersionIs409WithTheCurrentTodo() throws Exception {
        final JsonNode created = client.create("count versions");
        final long id = created.get("id").asLong();
        assertEquals(1, created.get("version").asLong(), created.toString());

        final HttpResponse<String> first = client.patch("/api/todos/" + id, "{\"completed\":true,\"version\":1}");
        assertEquals(200, first.statusCode(), first.body());
        final JsonNode atTwo = TodoClient.json(first);
        assertEquals(2, atTwo.get("version").asLong(), first.body());

        // A second client still holding version 1: refused, nothing written, told what is current.
        for (final HttpResponse<String> stale : List.of(
                client.patch("/api/todos/" + id, "{\"title\":\"renamed from an old view\",\"version\":1}"),
                client.put("/api/todos/" + id, "{\"title\":\"replaced from an old view\",\"completed\":false,\"version\":1}"))) {
            assertEquals(409, stale.statusCode(), stale.body());
            final JsonNode body = TodoClient.json(stale);
            assertEquals(atTwo, body.get("current"), "the 409 carries the todo as it is now: " + stale.body());
            assertTrue(body.get("error").asString().contains("is at version 2, the update was made against version 1"),
                    stale.body());
        }
        assertEquals(atTwo, TodoClient.json(client.get("/api/todos/" + id)), "a stale update changes nothing");

        // Naming a version the todo has not reached is stale too; naming the current one works.
        assertEquals(409, client.patch("/api/todos/" + id, "{\"completed\":false,\"version\":3}").statusCode());
        final HttpResponse<String> put = client.put("/api/todos/" + id, "{\"title\":\"versions counted\",\"completed\":false,"
                + "\"version\":2}");
        assertEquals(200, put.statusCode(), put.body());
        assertEquals(3, TodoClient.json(put).get("version").asLong());
        // Without a version the update applies to whatever is current; one that changes nothing keeps the version.
        assertEquals(4, TodoClient.json(client.patch("/api/todos/" + id, "{\"completed\":true}")).get("version").asLong());
        assertEquals(4, TodoClient.json(client.patch("/api/todos/" + id, "{\"completed\":true,\"version\":4}"))
                .get("version").asLong());
    }

    private static void assert400(final HttpResponse<String> response, final String naming) {
        assertEquals(400, response.statusCode(), response.body());
        final StringBuilder texts = new StringBuilder();   // the error body's text values, unescaped
        collectTexts(TodoClient.json(response), texts);
        assertTrue(texts.toString().contains(naming), "the 400 names what was wrong (" + naming + "): " + response.body());
    }

    private static void collectTexts(final JsonNode node, final StringBuilder into) {
        if (node.isString()) {
            into.append(node.stringValue()).append('\n');
        }
        node.forEach(child -> collectTexts(child, into));
    }
    @Test
    void aWrongMethodIs405WithAllow() throws Exception {
        final HttpResponse<String> response = client.delete("/api/todos");
        assertEquals(405, response.statusCode(), response.body());
        final Set<String> allowed = new TreeSet<>();
        for (final String part : response.headers().firstValue("allow").orElse("").split(",")) {
            allowed.add(part.strip());
        }
        assertTrue(allowed.containsAll(Set.of("GET", "POST")), "Allow: " + allowed);
        assertFalse(allowed.contains("DELETE"), "Allow: " + allowed);
        assertEquals(405, client.post("/api/todos/1", "{}").statusCode());
    }

    @Test
    void thePageAndItsScriptAreServedWithTheirContentTypes() throws Exception {
        final HttpResponse<String> page = client.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"), page.headers().toString());
        assertTrue(page.body().contains("id=\"new-title\""), page.body());
        final HttpResponse<String> script = client.get("/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("content-type").orElse("").startsWith("text/javascript"));
        assertTrue(script.body().contains("subscribe"));
        assertTrue(client.get("/app.css").headers().firstValue("content-type").orElse("").startsWith("text/css"));
    }

    @Test
    void healthIsUpAndStatsShowTheAgentsAndTheServer() throws Exception {
        final HttpResponse<String> health = client.get("/health");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("UP", TodoClient.json(health).get("status").asString());
        assertEquals("H2", TodoClient.json(health).get("database").asString());

        client.create("counted");
        final JsonNode stats = TodoClient.json(client.get("/api/stats"));
        assertTrue(stats.get("runtime").get("spawned").asLong() >= 3, stats.toString());
        assertTrue(stats.get("server").get("requestsAccepted").asLong() >= 2, stats.toString());
        assertEquals(service.runtime().mailboxCapacity(service.store().id()),
                stats.get("store").get("mailboxCapacity").asLong(), stats.toString());
        assertEquals(service.runtime().mailboxCapacity(service.reminders().id()),
                stats.get("reminders").get("mailboxCapacity").asLong(), stats.toString());
        assertEquals(0, stats.get("store").get("mailboxDepth").asLong(), stats.toString());
        assertEquals(0, stats.get("store").get("expiredDropped").asLong(), stats.toString());
        assertTrue(stats.get("jvm").get("heapUsedBytes").asLong() > 0, stats.toString());
        assertTrue(stats.get("jvm").get("heapMaxBytes").asLong() >= stats.get("jvm").get("heapUsedBytes").asLong(), stats.toString());
        assertEquals(0, stats.get("webSocketConnections").asLong(), stats.toString());
    }

    @Test
    void todosSurviveAServiceRestartOnTheSameDataDirectory() throws Exception {
        final JsonNode first = client.create("first");
        final JsonNode second = TodoClient.json(client.patch("/api/todos/" + client.create("second").get("id").asLong(),
                "{\"completed\":true}"));
        service.close();

        service = start(HttpServerConfig.builder().port(0).build(), 1024);
        assertEquals(List.of(first, second), list());
    }

    @Test
    void aFullStoreMailboxIs503WithRetryAfterAndTheWaitingRequestsAreAnswered() throws Exception {
        service.close();
        service = start(HttpServerConfig.builder().port(0).askTimeout(Duration.ofSeconds(60)).retryAfterSeconds(3).build(), 2);
        final int capacity = service.runtime().mailboxCapacity(service.store().id());
        service.runtime().pause(service.store().id());   // the store accepts requests and answers none (rule 3.4)

        final List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            waiting.add(client.http().sendAsync(java.net.http.HttpRequest.newBuilder(client.uri("/api/todos"))
                    .timeout(TodoClient.TIMEOUT.multipliedBy(2)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        Deadline.poll("the store's mailbox fills", () -> service.runtime().mailboxDepth(service.store().id()),
                depth -> depth == capacity);

        final HttpResponse<String> refused = client.get("/api/todos");
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("3", refused.headers().firstValue("retry-after").orElse(""));

        service.runtime().resume(service.store().id());
        for (final CompletableFuture<HttpResponse<String>> request : waiting) {
            assertEquals(200, request.get().statusCode(), "every accepted request is answered once the store resumes");
        }
    }

    @Test
    void aDatabaseFailureIs500WithACorrelationIdAndNoDetailsThenTheRestartedStoreServesTheData() throws Exception {
        final JsonNode kept = client.create("still here");
        // Shut the database down under the store (same JVM, same H2 file): its connection is dead.
        try (java.sql.Connection other = java.sql.DriverManager.getConnection(
                service.options().jdbc().url(), service.options().jdbc().user(), "");
                java.sql.Statement statement = other.createStatement()) {
            statement.execute("SHUTDOWN");
        }

        final HttpResponse<String> failed = client.get("/api/todos");
        assertEquals(500, failed.statusCode(), failed.body());
        final String correlationId = failed.headers().firstValue("x-correlation-id").orElse("");
        assertFalse(correlationId.isEmpty(), "a 500 names its correlation id");
        assertTrue(failed.body().contains(correlationId), failed.body());
        for (final String leak : List.of("SQL", "h2", "Exception", "\tat ")) {
            assertFalse(failed.body().contains(leak), "no failure details in a 500's body: " + failed.body());
        }

        // The store restarted (rule 4.2) and reopened the database: the data is served again.
        assertEquals(List.of(kept), list());
        assertTrue(service.runtime().counters().restarts() >= 1, "the store was restarted, not replaced");
    }

    @Test
    void aStoreThatDoesNotAnswerIs504AndHealthSaysDown() throws Exception {
        service.close();
        service = start(HttpServerConfig.builder().port(0).askTimeout(Duration.ofMillis(600)).build(), 1024);
        service.runtime().pause(service.store().id());
        try {
            assertEquals(504, client.get("/api/todos").statusCode());
            final HttpResponse<String> health = client.get("/health");
            assertEquals(503, health.statusCode(), health.body());
            assertEquals("DOWN", TodoClient.json(health).get("status").asString());
            assertTrue(TodoClient.json(health).get("store").asString().contains("AskTimeout"), health.body());
        } finally {
            service.runtime().resume(service.store().id());
        }
    }

    private static final Pattern NEXT = Pattern.compile("^<(/api/todos\\?limit=(\\d+)&cursor=([^>]+))>; rel=\"next\"$");

    @Test
    void twoHundredFiftyTodosAreWalkedPageByPageAlongTheNextLinksEachOnceInIdOrder() throws Exception {
        final List<Long> created = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            created.add(client.create("todo " + i).get("id").asLong());
        }

        final HttpResponse<String> byDefault = client.get("/api/todos");
        assertEquals(200, byDefault.statusCode(), byDefault.body());
        assertEquals(100, TodoClient.json(byDefault).size(), "100 todos a page unless asked");
        final Matcher defaultNext = NEXT.matcher(byDefault.headers().firstValue("link").orElse(""));
        assertTrue(defaultNext.matches(), "Link: " + byDefault.headers().firstValue("link"));
        assertEquals("100", defaultNext.group(2));

        final List<Long> walked = new ArrayList<>();
        final List<Integer> pageSizes = new ArrayList<>();
        String url = "/api/todos?limit=60";
        while (url != null) {
            final HttpResponse<String> page = client.get(url);
            assertEquals(200, page.statusCode(), page.body());
            assertTrue(TodoClient.json(page).isArray(), "the body stays a JSON array");
            TodoClient.json(page).forEach(todo -> walked.add(todo.get("id").asLong()));
            pageSizes.add(TodoClient.json(page).size());
            final String link = page.headers().firstValue("link").orElse(null);
            if (link == null) {
                url = null;
            } else {
                final Matcher next = NEXT.matcher(link);
                assertTrue(next.matches(), "Link: " + link);
                assertEquals("60", next.group(2), "the next page keeps the limit");
                url = next.group(1);
            }
        }
        assertEquals(created, walked, "every todo exactly once, in id order");
        assertEquals(List.of(60, 60, 60, 60, 10), pageSizes);

        final HttpResponse<String> everything = client.get("/api/todos?limit=1000");
        assertEquals(250, TodoClient.json(everything).size());
        assertTrue(everything.headers().firstValue("link").isEmpty(), "no next page after the last todo");
    }

    @Test
    void limitsAndCursorsThatAreNotOnesTheServiceTakesAre400NamingThem() throws Exception {
        client.create("one");
        for (final String limit : List.of("0", "1001", "-1", "abc", "1.5", "", "99999999999")) {
            assert400(client.get("/api/todos?limit=" + limit), "limit must be an integer from 1 to 1000, was '" + limit + "'");
        }
        for (final String cursor : List.of("abc", "0", "-5", "", "1e3", "99999999999999999999")) {
            assert400(client.get("/api/todos?cursor=" + cursor), "cursor is malformed: '" + cursor + "'");
        }
        assert400(client.get("/api/todos?limit=5&limit=6"), "limit must be given at most once");
        assertEquals(200, client.get("/api/todos?limit=1000&cursor=1").statusCode());
    }

    @Test
    void jsonBodiesSentAsAnotherMediaTypeAre415AndChangeNothing() throws Exception {
        final long id = client.create("keep me").get("id").asLong();
        final JsonNode before = TodoClient.json(client.get("/api/todos/" + id));
        for (final String type : new String[] {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/jsonp", null}) {
            final String sent = type == null ? "none" : "'" + type + "'";
            assert415(client.sendAs("POST", "/api/todos", "{\"title\":\"from a form\"}", type),
                    "a new todo must be sent with Content-Type: application/json, was " + sent);
            assert415(client.sendAs("PUT", "/api/todos/" + id, "{\"title\":\"x\",\"completed\":true}", type),
                    "a replacement must be sent with Content-Type: application/json, was " + sent);
            assert415(client.sendAs("PATCH", "/api/todos/" + id, "{\"completed\":true}", type),
                    "a patch must be sent with Content-Type: application/json, was " + sent);
        }
        assertEquals(List.of(before), list(), "a form post creates nothing, changes nothing");

        for (final String type : List.of("application/json", "Application/JSON; charset=utf-8", "application/json;charset=UTF-8")) {
            final HttpResponse<String> created = client.sendAs("POST", "/api/todos", "{\"title\":\"json\"}", type);
            assertEquals(201, created.statusCode(), type + ": " + created.body());
        }
    }

    private static void assert415(final HttpResponse<String> response, final String message) {
        assertEquals(415, response.statusCode(), response.body());
        assertEquals(message, TodoClient.json(response).get("error").asString());
    }

    @Test
    void thePageSendsItsSecurityHeadersAndTheApiForbidsSniffing() throws Exception {
        for (final String path : List.of("/", "/index.html", "/app.js", "/app.css")) {
            final HttpResponse<String> page = client.get(path);
            assertEquals(200, page.statusCode(), path);
            assertEquals("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
                    + " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
                    page.headers().firstValue("content-security-policy").orElse(""), path);
            assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElse(""), path);
            assertEquals("DENY", page.headers().firstValue("x-frame-options").orElse(""), path);
            assertEquals("no-referrer", page.headers().firstValue("referrer-policy").orElse(""), path);
        }
        final String html = client.get("/").body();
        assertFalse(Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no inline script: " + html);
        assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(html).find(),
                "no inline style or event-handler attribute: " + html);

        final long id = client.create("sniffed?").get("id").asLong();
        for (final HttpResponse<String> api : List.of(client.get("/api/todos"), client.get("/api/todos/" + id),
                client.post("/api/todos", "{\"title\":\"x\"}"), client.patch("/api/todos/" + id, "{\"completed\":true}"),
                client.put("/api/todos/" + id, "{\"title\":\"y\",\"completed\":false}"), client.delete("/api/todos/" + id),
                client.get("/health"), client.get("/api/stats"), client.get("/api/jobs"))) {
            assertTrue(api.statusCode() < 300, api.request().uri() + ": " + api.statusCode());
            assertEquals("nosniff", api.headers().firstValue("x-content-type-options").orElse(""), api.request().uri().toString());
        }
    }

    @Test
    void titlesTheDatabaseCannotStoreExactlyAre400AndTheOthersReadBackAsEchoed() throws Exception {
        TitleRoundTrip.check(client);
    }

    @Test
    void onAReadOnlyDatabaseWritesAre503WithRetryAfterReadsAre200AndHealthSaysWhy() throws Exception {
        final JsonNode kept = client.create("written while writable");
        service.close();
        final JdbcSettings file = JdbcSettings.h2File(dataDir);
        service = TodoService.start(HttpServerConfig.builder().port(0).retryAfterSeconds(7).build(), TodoOptions.defaults()
                .withJdbc(file.url() + ";ACCESS_MODE_DATA=r", file.user(), "").withReminderWorkRounds(0));
        client = new TodoClient(service.port());

        for (final HttpResponse<String> write : List.of(client.post("/api/todos", "{\"title\":\"refused\"}"),
                client.patch("/api/todos/" + kept.get("id").asLong(), "{\"completed\":true}"),
                client.delete("/api/todos/" + kept.get("id").asLong()))) {
            assertEquals(503, write.statusCode(), write.body());
            assertEquals("7", write.headers().firstValue("retry-after").orElse(""), write.headers().toString());
            final String error = TodoClient.json(write).get("error").asString();
            assertEquals("the todo store cannot write: the database is read-only (SQLState 90097)", error);
        }
        assertEquals(List.of(kept), list(), "reads are served");
        final HttpResponse<String> health = client.get("/health");
        assertEquals(503, health.statusCode(), health.body());
        assertEquals("DOWN", TodoClient.json(health).get("status").asString());
        assertEquals("the todo store cannot write: the H2 database is open read-only",
                TodoClient.json(health).get("store").asString());
        assertEquals(0L, service.runtime().counters().restarts(), "nothing restarted");
    }

    @Test
    void aRequestAnswered504IsNotRunWhenTheStoreGetsToItAndIsCounted() throws Exception {
        service.close();
        service = start(HttpServerConfig.builder().port(0).askTimeout(Duration.ofMillis(500)).build(), 1024);
        service.runtime().pause(service.store().id());
        try {
            final HttpResponse<String> timedOut = client.post("/api/todos", "{\"title\":\"answered 504\"}");
            assertEquals(504, timedOut.statusCode(), timedOut.body());
        } finally {
            service.runtime().resume(service.store().id());
        }
        final HttpResponse<String> after = client.get("/api/todos");
        assertEquals(200, after.statusCode(), after.body());
        assertEquals(0, TodoClient.json(after).size(), "the create the client was told had timed out never ran");
        final JsonNode stats = TodoClient.json(client.get("/api/stats"));
        assertEquals(1, stats.get("store").get("expiredDropped").asLong(), stats.toString());
    }
}
