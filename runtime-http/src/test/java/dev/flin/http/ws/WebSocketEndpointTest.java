package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.runtime.Topic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The endpoint refuses what would make an event's topic ambiguous, naming the topics. */
class WebSocketEndpointTest {

    interface Change {
    }

    record Created(String id) implements Change {
    }

    record Note(String text) {
    }

    @Test
    void two_topics_with_the_same_event_type_are_rejected_naming_both() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebSocketEndpoint.of(
                "/ws", Topic.of("a", Note.class), Topic.of("b", Note.class)));
        assertTrue(e.getMessage().contains("'a'") && e.getMessage().contains("'b'"), e.getMessage());
        assertTrue(e.getMessage().contains("the same event type"), e.getMessage());
    }

    @Test
    void two_topics_whose_event_types_are_sub_and_super_type_are_rejected() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WebSocketEndpoint.of(
                "/ws", Topic.of("changes", Change.class), Topic.of("created", Created.class)));
        assertTrue(e.getMessage().contains("related event types"), e.getMessage());
    }

    @Test
    void topics_with_unrelated_event_types_are_accepted_in_order() {
        final WebSocketEndpoint endpoint = WebSocketEndpoint.of("/ws", Topic.of("changes", Change.class),
                Topic.of("notes", Note.class));
        assertEquals(List.of("changes", "notes"), List.copyOf(endpoint.topics().keySet()));
        assertEquals(WebSocketEndpoint.DEFAULT_MAILBOX_CAPACITY, endpoint.mailboxCapacity());
        assertEquals(8, endpoint.withMailboxCapacity(8).mailboxCapacity());
    }

    @Test
    void bad_paths_names_and_capacities_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> WebSocketEndpoint.of("ws"));
        assertThrows(IllegalArgumentException.class,
                () -> new WebSocketEndpoint("/ws", Map.of(" ", Topic.of("n", Note.class))));
        assertThrows(IllegalArgumentException.class, () -> WebSocketEndpoint.of("/ws").withMailboxCapacity(0));
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketEndpoint.of("/ws", Topic.of("n", Note.class), Topic.of("n", Created.class)));
    }
}
