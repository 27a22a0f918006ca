package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import java.net.http.WebSocket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rule 9.5: subscriptions are acknowledged, events of subscribed topics are pushed as JSON in publish order. */
class WebSocketSubscriptionTest extends WsTestBase {

    @Test
    void spec_9_5_subscribe_is_acknowledged_then_published_events_arrive_as_json() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);

        subscribe(ws, client, "todo");
        assertEquals(1, runtime.subscriberCount(TODO), "the ack comes after the subscription is in place");
        assertEquals(1, runtime.publish(TODO, new TodoChanged(1, "buy milk")));

        final JsonNode event = client.next();
        assertEquals("event", event.get("type").stringValue());
        assertEquals("todo", event.get("topic").stringValue());
        assertEquals(1, event.get("event").get("seq").intValue());
        assertEquals("buy milk", event.get("event").get("title").stringValue());
    }

    @Test
    void spec_9_5_a_thousand_events_arrive_in_publish_order() throws Exception {
        start(TestWsServer.config().build(), WebSocketEndpoint.of("/ws", TODO, NOTES).withMailboxCapacity(2048));
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");

        for (int i = 0; i < 1_000; i++) {
            assertEquals(1, runtime.publish(TODO, new TodoChanged(i, "t" + i)), "the mailbox holds all 1,000");
        }
        for (int i = 0; i < 1_000; i++) {
            final JsonNode event = client.next();
            assertEquals("event", event.get("type").stringValue(), event.toString());
            assertEquals(i, event.get("event").get("seq").intValue(), "publish order");
        }
        assertEquals(0, runtime.counters().droppedEvents());
    }

    @Test
    void spec_9_5_unsubscribe_is_acknowledged_and_stops_delivery() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        subscribe(ws, client, "notes");

        send(ws, "{\"op\":\"unsubscribe\",\"topic\":\"todo\"}");
        final JsonNode ack = client.next();
        assertEquals("unsubscribed", ack.get("type").stringValue());
        assertEquals("todo", ack.get("topic").stringValue());
        assertEquals(false, ack.has("message"), ack.toString());
        assertEquals(0, runtime.subscriberCount(TODO));

        runtime.publish(TODO, new TodoChanged(7, "not for this client"));
        runtime.publish(NOTES, new Note("marker"));
        final JsonNode next = client.next();
        assertEquals("notes", next.get("topic").stringValue(), "the todo event must not arrive: " + next);
        assertEquals("marker", next.get("event").get("text").stringValue());
    }

    @Test
    void spec_9_5_unsubscribe_of_a_topic_not_subscribed_says_so() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);

        send(ws, "{\"op\":\"unsubscribe\",\"topic\":\"notes\"}");
        final JsonNode ack = client.next();
        assertEquals("unsubscribed", ack.get("type").stringValue());
        assertEquals("notes", ack.get("topic").stringValue());
        assertTrue(ack.get("message").stringValue().contains("was not subscribed"), ack.toString());
    }

    @Test
    void spec_9_5_two_topics_each_event_names_its_own_topic() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        subscribe(ws, client, "notes");

        runtime.publish(TODO, new TodoChanged(1, "a"));
        runtime.publish(NOTES, new Note("b"));
        runtime.publish(TODO, new TodoChanged(2, "c"));

        // One publishing thread, one subscriber mailbox: the three arrive in publish order (rules 2.3, 6.3).
        final JsonNode first = client.next();
        final JsonNode second = client.next();
        final JsonNode third = client.next();
        assertEquals("todo", first.get("topic").stringValue());
        assertEquals(1, first.get("event").get("seq").intValue());
        assertEquals("notes", second.get("topic").stringValue());
        assertEquals("b", second.get("event").get("text").stringValue());
        assertEquals("todo", third.get("topic").stringValue());
        assertEquals(2, third.get("event").get("seq").intValue());
    }

    @Test
    void spec_9_5_subscribing_twice_acknowledges_twice_and_delivers_once() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "todo");
        subscribe(ws, client, "todo");
        assertEquals(1, runtime.subscriberCount(TODO));

        assertEquals(1, runtime.publish(TODO, new TodoChanged(1, "once")));
        assertEquals(1, client.next().get("event").get("seq").intValue());
        subscribe(ws, client, "notes");
        runtime.publish(NOTES, new Note("marker"));
        // A second copy of the todo event would have been enqueued before the marker (rule 6.3).
        assertEquals("marker", client.next().get("event").get("text").stringValue());
    }

    @Test
    void spec_9_5_two_clients_each_get_their_own_topics() throws Exception {
        start();
        final RecordingListener a = new RecordingListener();
        final RecordingListener b = new RecordingListener();
        final WebSocket wsA = connect(a);
        final WebSocket wsB = connect(b);
        subscribe(wsA, a, "todo");
        subscribe(wsB, b, "notes");

        runtime.publish(TODO, new TodoChanged(1, "for a"));
        runtime.publish(NOTES, new Note("for b"));

        assertEquals("for a", a.next().get("event").get("title").stringValue());
        assertEquals("for b", b.next().get("event").get("text").stringValue());
        assertEquals(2, server.support().openConnections());
    }
}
