package dev.flin.http.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.WebSocketEndpoint;
import dev.flin.runtime.Topic;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Rule 9.3 for WebSocket clients: a bad client frame gets an error frame naming what was wrong,
 * and the connection stays open and usable.
 */
class WebSocketBadInputTest extends WsTestBase {

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("{\"op\":\"subscribe\",\"topic\":\"nope\"}", "unknown topic 'nope'"),
                Arguments.of("{\"op\":\"unsubscribe\",\"topic\":\"nope\"}", "unknown topic 'nope'"),
                Arguments.of("{\"op\":\"subscribe\",\"topic\":", "malformed JSON"),
                Arguments.of("not json at all", "malformed JSON"),
                Arguments.of("{\"op\":\"publish\",\"topic\":\"todo\"}", "unknown op 'publish'"),
                Arguments.of("{\"topic\":\"todo\"}", "missing \"op\""),
                Arguments.of("{\"op\":\"subscribe\"}", "missing \"topic\" for subscribe"),
                Arguments.of("{\"op\":\"subscribe\",\"topic\":7}", "missing \"topic\" for subscribe"),
                Arguments.of("{\"op\":\"subscribe\",\"topic\":\"todo\",\"id\":1}", "unknown field 'id'"),
                Arguments.of("[\"subscribe\",\"todo\"]", "got array"),
                Arguments.of("\"subscribe\"", "got string"));
    }

    @ParameterizedTest
    @MethodSource("badFrames")
    void spec_9_3_a_bad_text_frame_gets_an_error_naming_it_and_the_connection_stays_usable(final String frame,
            final String expected) throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);

        send(ws, frame);
        final String message = nextError(client);
        assertTrue(message.contains(expected), "'" + message + "' should say " + expected);

        subscribe(ws, client, "todo");
        runtime.publish(TODO, new TodoChanged(1, "still open"));
        assertEquals("still open", client.next().get("event").get("title").stringValue());
        assertEquals(0, runtime.counters().failures(), "bad input is an answer, not an agent failure");
    }

    @Test
    void spec_9_3_an_unknown_topic_error_lists_the_topics_on_offer() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        send(ws, "{\"op\":\"subscribe\",\"topic\":\"todos\"}");
        final String message = nextError(client);
        assertTrue(message.contains("[todo, notes]"), message);
    }

    @Test
    void spec_9_3_a_binary_frame_is_refused_with_an_error_and_the_connection_stays_usable() throws Exception {
        start();
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);

        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(RecordingListener.WAIT.toMillis(),
                TimeUnit.MILLISECONDS);
        final String message = nextError(client);
        assertTrue(message.contains("binary frames are not supported (got 3 bytes)"), message);

        subscribe(ws, client, "notes");
    }

    /** An event the server's Json cannot write: its accessor throws. */
    record Unwritable(String value) {
        @Override
        public String value() {
            throw new IllegalStateException("not today");
        }
    }

    @Test
    void spec_9_5_an_event_that_cannot_be_written_as_json_becomes_an_error_frame_not_a_failure() throws Exception {
        final Topic<Unwritable> odd = Topic.of("odd", Unwritable.class);
        start(TestWsServer.config().build(), WebSocketEndpoint.of("/ws", TODO, odd));
        final RecordingListener client = new RecordingListener();
        final WebSocket ws = connect(client);
        subscribe(ws, client, "odd");
        subscribe(ws, client, "todo");

        runtime.publish(odd, new Unwritable("x"));
        final String message = nextError(client);
        assertTrue(message.contains("Unwritable on topic 'odd' could not be written as JSON"), message);

        runtime.publish(TODO, new TodoChanged(2, "next"));
        final JsonNode next = client.next();
        assertEquals(2, next.get("event").get("seq").intValue());
        assertEquals(0, runtime.counters().failures());
    }
}
