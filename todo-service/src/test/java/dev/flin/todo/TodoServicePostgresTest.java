package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The main job's {@code --jdbc-url} path end to end: flags parsed as {@code TodoService.main}
 * parses them, the service on PostgreSQL, the REST API through a real client, and the todos still
 * there after a second start on the same database. Skipped without a server (see
 * {@link TodoStorePostgresTest}).
 */
class TodoServicePostgresTest {

    @Test
    void theServiceStoresItsTodosInPostgresqlGivenByFlags() throws Exception {
        final JdbcSettings pg = TodoStorePostgresTest.emptyPostgres();
        final List<String> args = new ArrayList<>(List.of("--jdbc-url", pg.url(), "--port", "0"));
        if (!pg.user().isEmpty()) {
            args.addAll(List.of("--jdbc-user", pg.user()));
        }
        if (!pg.password().isEmpty()) {
            args.addAll(List.of("--jdbc-password", pg.password()));
        }
        final dev.flin.runtime.core.config.Configuration parsed = TodoSettings.registry()
                .parse(args.toArray(String[]::new), Map.of(), Map.of());
        final HttpServerConfig config = dev.flin.http.core.HttpSettings.config(parsed);
        final long id;
        try (TodoService service = TodoService.start(config, TodoSettings.options(parsed).withReminderWorkRounds(0))) {
            final TodoClient client = new TodoClient(service.port());
            final HttpResponse<String> created = client.post("/api/todos", "{\"title\":\"stored in postgres\"}");
            assertEquals(201, created.statusCode(), created.body());
            id = TodoClient.json(created).get("id").asLong();
            assertEquals(200, client.patch("/api/todos/" + id, "{\"completed\":true}").statusCode());
            final HttpResponse<String> health = client.get("/health");
            assertEquals(200, health.statusCode(), health.body());
        }
        try (TodoService again = TodoService.start(config, TodoSettings.options(parsed).withReminderWorkRounds(0))) {
            final TodoClient client = new TodoClient(again.port());
            final JsonNode todo = TodoClient.json(client.get("/api/todos/" + id));
            assertEquals("stored in postgres", todo.get("title").asString());
            assertTrue(todo.get("completed").asBoolean());
            assertEquals(204, client.delete("/api/todos/" + id).statusCode());
            assertEquals(404, client.get("/api/todos/" + id).statusCode());
        }
    }

    @Test
    void titlesPostgresqlCannotStoreExactlyAre400AndTheOthersReadBackAsEchoed() throws Exception {
        TodoStorePostgresTest.emptyPostgres();
        final JdbcSettings pg = TodoStorePostgresTest.postgres();
        try (TodoService service = TodoService.start(HttpServerConfig.builder().port(0).build(),
                TodoOptions.defaults().withJdbc(pg.url(), pg.user(), pg.password()).withReminderWorkRounds(0))) {
            TitleRoundTrip.check(new TodoClient(service.port()));
        }
    }
}
