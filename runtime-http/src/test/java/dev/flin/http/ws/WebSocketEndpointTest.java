package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHandler;
import dev.flin.http.WebSocketMessage;
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

    @Test
    void a_handler_endpoint_has_no_topics_and_keeps_its_handler_when_its_capacity_changes() {
        final WebSocketHandler.Factory factory = () -> (m, s) -> s.send(m);
        final WebSocketEndpoint endpoint = WebSocketEndpoint.ofHandler("/echo", factory);
        assertTrue(endpoint.hasHandler());
        assertTrue(endpoint.topics().isEmpty());
        assertEquals(WebSocketEndpoint.DEFAULT_MAILBOX_CAPACITY, endpoint.mailboxCapacity());
        final WebSocketEndpoint bigger = endpoint.withMailboxCapacity(1024);
        assertTrue(bigger.hasHandler());
        assertEquals(factory, bigger.handlerFactory());
        assertFalse(WebSocketEndpoint.of("/ws", Topic.of("n", Note.class)).hasHandler());
        assertThrows(IllegalArgumentException.class,
                () -> new WebSocketEndpoint("/ws", Map.of("n", Topic.of("n", Note.class)), 8, factory));
        assertThrows(NullPointerException.class, () -> WebSocketEndpoint.ofHandler("/echo", null));
        assertThrows(IllegalArgumentException.class, () -> WebSocketEndpoint.ofHandler("echo", factory));
    }

    @Test
    void a_binary_message_copies_its_bytes_in_and_out_and_compares_by_content() {
        final byte[] bytes = {0, (byte) 0xFF, (byte) 0x80, 'a'};
        final WebSocketMessage.Binary binary = new WebSocketMessage.Binary(bytes);
        bytes[0] = 42;
        assertArrayEquals(new byte[] {0, (byte) 0xFF, (byte) 0x80, 'a'}, binary.data(), "copied in");
        binary.data()[1] = 7;
        assertArrayEquals(new byte[] {0, (byte) 0xFF, (byte) 0x80, 'a'}, binary.data(), "copied out");
        assertEquals(4, binary.length());
        assertEquals(new WebSocketMessage.Binary(new byte[] {0, (byte) 0xFF, (byte) 0x80, 'a'}), binary);
        assertEquals(new WebSocketMessage.Binary(new byte[] {0, (byte) 0xFF, (byte) 0x80, 'a'}).hashCode(), binary.hashCode());
        assertNotEquals(new WebSocketMessage.Binary(new byte[] {0}), binary);
        assertNotEquals(new WebSocketMessage.Text("\u0000\u00ff\u0080a"), binary, "text is never equal to binary");
        assertThrows(NullPointerException.class, () -> new WebSocketMessage.Binary(null));
        assertThrows(NullPointerException.class, () -> new WebSocketMessage.Text(null));
    }
}
