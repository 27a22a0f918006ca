package dev.flin.http.internal.ws;

import dev.flin.http.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;

/**
 * Writes the JSON frames the server sends to WebSocket clients (see
 * {@link dev.flin.http.WebSocketEndpoint}), property by property in the documented order; events
 * are written with the server's {@link Json}.
 *
 * <p>Threading: stateless; any thread.
 */
final class Frames {

    private Frames() {
    }

    /** @return {@code {"type":"subscribed"|"unsubscribed","topic":...}} */
    static byte[] topicAck(final Json json, final String type, final String topic) {
        return write(json, g -> {
            g.writeStringProperty("type", type);
            g.writeStringProperty("topic", topic);
        });
    }

    /** @return {@code {"type":"unsubscribed","topic":...,"message":...}}: an unsubscribe of a topic not subscribed */
    static byte[] topicAck(final Json json, final String type, final String topic, final String message) {
        return write(json, g -> {
            g.writeStringProperty("type", type);
            g.writeStringProperty("topic", topic);
            g.writeStringProperty("message", message);
        });
    }

    /**
     * @return {@code {"type":"event","topic":...,"event":...}}
     * @throws JacksonException if the event cannot be written as JSON
     */
    static byte[] event(final Json json, final String topic, final Object event) {
        return write(json, g -> {
            g.writeStringProperty("type", "event");
            g.writeStringProperty("topic", topic);
            g.writePOJOProperty("event", event);
        });
    }

    /**
     * @return {@code {"type":"broadcast","event":...}}, as text: one immutable frame for every connection
     * @throws JacksonException if the event cannot be written as JSON
     */
    static String broadcast(final Json json, final Object event) {
        return new String(write(json, g -> {
            g.writeStringProperty("type", "broadcast");
            g.writePOJOProperty("event", event);
        }), StandardCharsets.UTF_8);
    }

    /** @return {@code {"type":"missed","frames":n}}: n frames were discarded here because the client read too slowly */
    static byte[] missed(final Json json, final long frames) {
        return write(json, g -> {
            g.writeStringProperty("type", "missed");
            g.writeNumberProperty("frames", frames);
        });
    }

    /** @return {@code {"type":"error","message":...}} */
    static byte[] error(final Json json, final String message) {
        return write(json, g -> {
            g.writeStringProperty("type", "error");
            g.writeStringProperty("message", message);
        });
    }

    /** The properties of one frame object. */
    @FunctionalInterface
    private interface Properties {
        void write(JsonGenerator generator);
    }

    private static byte[] write(final Json json, final Properties properties) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = json.mapper().createGenerator(out)) {
            g.writeStartObject();
            properties.write(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }
}
