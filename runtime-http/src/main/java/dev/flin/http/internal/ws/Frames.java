package dev.flin.http.internal.ws;

/**
 * The JSON shapes the server writes to WebSocket clients (see {@link dev.flin.http.WebSocketEndpoint}).
 * Records, so {@link dev.flin.http.Json} writes their components in declaration order.
 *
 * <p>Threading: immutable values.
 */
public final class Frames {

    private Frames() {
    }

    /** {@code {"type":"subscribed"|"unsubscribed","topic":...}} */
    public record TopicAck(String type, String topic) {
    }

    /** {@code {"type":"unsubscribed","topic":...,"message":...}}: an unsubscribe of a topic not subscribed. */
    public record TopicAckWithMessage(String type, String topic, String message) {
    }

    /** {@code {"type":"event","topic":...,"event":...}} */
    public record Event(String type, String topic, Object event) {
    }

    /** {@code {"type":"broadcast","event":...}} */
    public record Broadcast(String type, Object event) {
    }

    /** {@code {"type":"missed","frames":n}}: n frames were discarded here because the client read too slowly. */
    public record Missed(String type, long frames) {
    }

    /** {@code {"type":"error","message":...}} */
    public record Error(String type, String message) {
    }
}
