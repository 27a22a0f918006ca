package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flin.http.HttpServerConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A WebSocket client subscribed to "todo" sees every REST change as an event, in commit order (rules 9.5, 6.3). */
class LiveUpdatesWebSocketTest {

    @TempDir
    Path dataDir;

    private TodoService service;
    private TodoClient client;

    @BeforeEach
    void start() {
        service = TodoService.start(HttpServerConfig.builder().port(0).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderWorkRounds(0));
        client = new TodoClient(service.port());
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void restChangesArriveAsCreatedUpdatedAndDeletedEventsInOrder() throws Exception {
        final WsClient ws = WsClient.connect(client.http(), service.port()).subscribe(TodoTopics.TODO.name());
        final WsClient second = WsClient.connect(client.http(), service.port()).subscribe(TodoTopics.TODO.name());

        final JsonNode created = client.create("watch the build");
        final long id = created.get("id").asLong();
        final JsonNode completed = TodoClient.json(client.patch("/api/todos/" + id, "{\"completed\":true}"));
        final JsonNode renamed = TodoClient.json(client.put("/api/todos/" + id, "{\"title\":\"build watched\",\"completed\":true}"));
        assertEquals(204, client.delete("/api/todos/" + id).statusCode());

        for (final WsClient subscriber : new WsClient[] {ws, second}) {
            assertEvent(subscriber.next(), "CREATED", created);
            assertEvent(subscriber.next(), "UPDATED", completed);
            assertEvent(subscriber.next(), "UPDATED", renamed);
            assertEvent(subscriber.next(), "DELETED", renamed);
        }
    }

    private static void assertEvent(final JsonNode frame, final String change, final JsonNode entity) {
        assertEquals("event", frame.path("type").asString(), frame.toString());
        assertEquals("todo", frame.path("topic").asString(), frame.toString());
        final JsonNode event = frame.path("event");
        assertEquals("todo", event.path("entityType").asString(), frame.toString());
        assertEquals(change, event.path("change").asString(), frame.toString());
        assertEquals(entity, event.path("entity"), "the event carries the entity as the REST answer did");
    }

    @Test
    void anUnsubscribedClientGetsNoMoreEvents() throws Exception {
        final WsClient ws = WsClient.connect(client.http(), service.port()).subscribe(TodoTopics.TODO.name());
        final JsonNode first = client.create("seen");
        assertEvent(ws.next(), "CREATED", first);
        ws.send("{\"op\":\"unsubscribe\",\"topic\":\"todo\"}");
        assertEquals("unsubscribed", ws.next().path("type").asString());
        client.create("not seen");
        // Subscribe again: the next message is the acknowledgement, not the event published while unsubscribed.
        ws.subscribe(TodoTopics.TODO.name());
        final JsonNode third = client.create("seen again");
        assertEvent(ws.next(), "CREATED", third);
    }
}
