package dev.flin.http;

import dev.flin.runtime.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where WebSocket clients connect, and what their connection agents do: the subscription protocol
 * below (topics clients may subscribe to by name), or, for an endpoint made with
 * {@link #ofHandler}, a {@link WebSocketHandler} of the service's own. Each connection is an agent
 * (rule 9.5) that holds its own subscriptions (or handler); it terminates, and its subscriptions
 * are removed, as soon as the connection closes (rule 9.6).
 *
 * <h2>Protocol (JSON text frames)</h2>
 * Client to server:
 * <pre>
 * {"op":"subscribe","topic":"todo"}
 * {"op":"unsubscribe","topic":"todo"}
 * </pre>
 * Server to client:
 * <pre>
 * {"type":"subscribed","topic":"todo"}                the subscription is in place: every event published from now on arrives
 * {"type":"unsubscribed","topic":"todo"}              no event of that topic follows this frame
 * {"type":"unsubscribed","topic":"todo","message":"..."}   the same, for a topic that was not subscribed (the message says so)
 * {"type":"event","topic":"todo","event":{...}}      an event published on a subscribed topic, in publish order
 * {"type":"broadcast","event":{...}}                  sent to every connection by WebSocketHub.broadcast
 * {"type":"missed","frames":3}                        the client read too slowly: the 3 oldest frames waiting for it
 *                                                     were discarded here, what follows is newer
 * {"type":"error","message":"..."}                    a bad client frame (malformed JSON, unknown op or topic,
 *                                                     a binary frame); the message names what was wrong and
 *                                                     the connection stays open
 * </pre>
 * Events are written with the server's {@link Json}. A frame over
 * {@link HttpServerConfig#wsMaxFramePayload()} closes with 1009, a protocol violation with 1002.
 * The bytes held for one client stay within {@link HttpServerConfig#wsOutboundLimit()} (plus about
 * one frame, rule 9.7): a client that falls behind loses the oldest waiting frames (a
 * {@code missed} frame says how many) and keeps the newest; a client that takes nothing for
 * {@link HttpServerConfig#wsPongTimeout()} while frames wait for it is dropped with 1008. A client
 * that sends faster than its connection agent takes its messages is held back: once half the
 * agent's mailbox of its messages waits, the server stops reading from it until the agent caught
 * up (TCP pushes back on the client); it is closed with 1008 as flooding only if its agent takes
 * none of them for {@code wsPongTimeout}. A client that answers no ping within
 * {@code wsPongTimeout} is closed; a graceful server shutdown closes with 1001 (rule 9.8).
 *
 * <h2>Handler endpoints</h2>
 * An endpoint made with {@link #ofHandler} has no topics and speaks no protocol of its own: each
 * connection agent makes a handler with the endpoint's factory and hands it every complete text
 * and binary message the client sends (binary messages too, up to {@code wsMaxFramePayload});
 * the handler answers through its {@link WebSocketSession}. The frame rules are the same for both
 * kinds (1009, 1002, 1007, pings, keep-alive, shutdown with 1001; rule 9.14), as is the bound on
 * the bytes held for a client, except that a handler endpoint never discards a frame: a client
 * that falls behind by more than the bound is dropped with 1008 (see {@link WebSocketSession}).
 *
 * <p>An event names its topic by its type: a connection agent receives the events of all its
 * topics in one mailbox, so no two topics may have related event types (equal, or one a subtype
 * of the other); the constructor rejects such an endpoint.
 *
 * <p>Threading: an immutable value. A handler factory is called by many connection agents, on their
 * threads, possibly at once: it must be thread-safe (a lambda that makes a new handler is).
 *
 * @param path the upgrade path, e.g. {@code /ws}
 * @param topics the subscribable topics by name (copied; iteration order kept)
 * @param mailboxCapacity the mailbox bound of each connection agent: client frames and events
 *     waiting for it. The client's messages take at most half of it (then reading is held back,
 *     see above); an event that finds it full is lost for that client and counted (rule 6.6), and
 *     a client message that finds it full (events took it) closes the connection with 1008
 * @param handlerFactory for a handler endpoint, makes each connection's {@link WebSocketHandler}
 *     (called once per connection, on its agent's thread); {@code null} for the subscription
 *     protocol
 */
public record WebSocketEndpoint(String path, Map<String, Topic<?>> topics, int mailboxCapacity,
        WebSocketHandler.@Nullable Factory handlerFactory) {

    /** The mailbox bound of a connection agent unless {@link #withMailboxCapacity} says otherwise. */
    public static final int DEFAULT_MAILBOX_CAPACITY = 256;

    /**
     * @throws IllegalArgumentException naming what was wrong: a path not starting with '/', a blank
     *     topic name, a capacity below 1, two topics whose event types are related, or topics on a
     *     handler endpoint
     */
    public WebSocketEndpoint {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a WebSocket path starts with '/', was '" + path + "'");
        }
        Objects.requireNonNull(topics, "topics");
        if (mailboxCapacity < 1) {
            throw new IllegalArgumentException("mailboxCapacity must be >= 1, was " + mailboxCapacity);
        }
        final Map<String, Topic<?>> copy = new LinkedHashMap<>();
        for (final Map.Entry<String, Topic<?>> e : topics.entrySet()) {
            final String name = Objects.requireNonNull(e.getKey(), "topic name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("a WebSocket topic name must not be blank");
            }
            copy.put(name, Objects.requireNonNull(e.getValue(), "topic '" + name + "'"));
        }
        requireUnrelatedEventTypes(copy);
        if (handlerFactory != null && !copy.isEmpty()) {
            throw new IllegalArgumentException("a handler endpoint has no topics: its connection agents hand every"
                    + " client message to the handler, got topics " + copy.keySet());
        }
        topics = java.util.Collections.unmodifiableMap(copy);
    }

    /** A subscription endpoint (no handler). */
    public WebSocketEndpoint(final String path, final Map<String, Topic<?>> topics, final int mailboxCapacity) {
        this(path, topics, mailboxCapacity, null);
    }

    /** A subscription endpoint with {@link #DEFAULT_MAILBOX_CAPACITY}. */
    public WebSocketEndpoint(final String path, final Map<String, Topic<?>> topics) {
        this(path, topics, DEFAULT_MAILBOX_CAPACITY);
    }

    /**
     * A handler endpoint: each connection agent makes its own handler with {@code handlerFactory}
     * and hands it every client message, e.g. an echo:
     * <pre>{@code
     * WebSocketEndpoint.ofHandler("/echo", () -> (message, session) -> session.send(message))
     * }</pre>
     *
     * @param path the upgrade path, e.g. {@code /echo}
     * @param handlerFactory makes one handler per connection, on its agent's thread; a factory that
     *     throws or returns null fails that connection's agent (closed with 1011)
     * @return an endpoint with {@link #DEFAULT_MAILBOX_CAPACITY} and no topics
     */
    public static WebSocketEndpoint ofHandler(final String path, final WebSocketHandler.Factory handlerFactory) {
        return new WebSocketEndpoint(path, Map.of(), DEFAULT_MAILBOX_CAPACITY,
                Objects.requireNonNull(handlerFactory, "handlerFactory"));
    }

    /** @return whether this is a handler endpoint ({@link #ofHandler}) rather than the subscription protocol */
    public boolean hasHandler() {
        return handlerFactory != null;
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

    /** @return a copy whose connection agents have mailboxes of {@code capacity} */
    public WebSocketEndpoint withMailboxCapacity(final int capacity) {
        return new WebSocketEndpoint(path, topics, capacity, handlerFactory);
    }

    private static void requireUnrelatedEventTypes(final Map<String, Topic<?>> topics) {
        final List<Map.Entry<String, Topic<?>>> entries = new ArrayList<>(topics.entrySet());
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                final Class<?> a = entries.get(i).getValue().eventType();
                final Class<?> b = entries.get(j).getValue().eventType();
                if (a.isAssignableFrom(b) || b.isAssignableFrom(a)) {
                    throw new IllegalArgumentException("WebSocket topics '" + entries.get(i).getKey() + "' ("
                            + a.getName() + ") and '" + entries.get(j).getKey() + "' (" + b.getName()
                            + ") have " + (a == b ? "the same event type" : "related event types")
                            + ": a connection agent tells its topics apart by the event's type, so an event"
                            + " must belong to exactly one topic of the endpoint");
                }
            }
        }
    }
}
