package dev.flin.http;

import dev.flin.runtime.Topic;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where WebSocket clients connect, and which topics they may subscribe to by name. Each
 * connection is an agent (rule 9.5) that holds its own subscriptions.
 *
 * <h2>Protocol (JSON text frames)</h2>
 * Client to server:
 * <pre>
 * {"op":"subscribe","topic":"todo"}
 * {"op":"unsubscribe","topic":"todo"}
 * </pre>
 * Server to client:
 * <pre>
 * {"type":"subscribed","topic":"todo"}
 * {"type":"unsubscribed","topic":"todo"}
 * {"type":"event","topic":"todo","event":{...}}      an event published on a subscribed topic
 * {"type":"broadcast","event":{...}}                  sent to every connection by WebSocketHub.broadcast
 * {"type":"error","message":"..."}                    a bad client frame; the connection stays open
 * </pre>
 * Events are written with the server's {@link Json}. Binary frames are refused with an error frame;
 * a frame over {@link HttpServerConfig#wsMaxFramePayload()} closes with 1009.
 *
 * @param path the upgrade path, e.g. {@code /ws}
 * @param topics the subscribable topics by name (copied)
 */
public record WebSocketEndpoint(String path, Map<String, Topic<?>> topics) {

    public WebSocketEndpoint {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path starts with '/', was '" + path + "'");
        }
        topics = Map.copyOf(Objects.requireNonNull(topics, "topics"));
    }

    /** @return an endpoint at {@code path} whose topics are subscribable by their own names */
    public static WebSocketEndpoint of(final String path, final Topic<?>... topics) {
        final Map<String, Topic<?>> byName = new LinkedHashMap<>();
        for (final Topic<?> t : topics) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("duplicate topic name '" + t.name() + "'");
            }
        }
        return new WebSocketEndpoint(path, byName);
    }
}
