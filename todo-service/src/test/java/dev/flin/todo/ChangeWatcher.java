package dev.flin.todo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A WebSocket client of one node subscribed to {@code todo} that keeps every change it is sent, in
 * arrival order, and applies them to its own view of the todos the way a careful client does: a
 * change never replaces a newer version of the same todo.
 *
 * <p>Threading: the socket's listener calls arrive one at a time; the test thread reads under this
 * object's monitor and waits on it (no sleeping).
 */
final class ChangeWatcher implements WebSocket.Listener {

    /** One change as received. */
    record Seen(long seq, long id, String change, long version, String node, String title, boolean completed) {
    }

    private final String name;
    private final List<Seen> seen = new ArrayList<>();
    private final List<String> other = new ArrayList<>();
    private final CompletableFuture<Void> subscribed = new CompletableFuture<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private ChangeWatcher(final String name) {
        this.name = name;
    }

    /** Connects to the node on {@code port} and waits until the subscription is acknowledged. */
    static ChangeWatcher subscribe(final HttpClient http, final int port, final String name) throws Exception {
        final ChangeWatcher watcher = new ChangeWatcher(name);
        watcher.socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + TodoService.WEB_SOCKET_PATH), watcher)
                .get(30, TimeUnit.SECONDS);
        watcher.socket.sendText("{\"op\":\"subscribe\",\"topic\":\"todo\"}", true).get(30, TimeUnit.SECONDS);
        watcher.subscribed.get(30, TimeUnit.SECONDS);
        return watcher;
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            final String text = partial.toString();
            partial = new StringBuilder();
            received(TodoClient.json(text), text);
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void received(final JsonNode frame, final String text) {
        final String type = frame.path("type").asString();
        if ("subscribed".equals(type)) {
            subscribed.complete(null);
        } else if ("event".equals(type)) {
            final JsonNode event = frame.path("event");
            final JsonNode entity = event.path("entity");
            seen.add(new Seen(event.path("sequence").asLong(), entity.path("id").asLong(), event.path("change").asString(),
                    entity.path("version").asLong(), event.path("node").asString(), entity.path("title").asString(),
                    entity.path("completed").asBoolean()));
            notifyAll();
        } else {
            other.add(text);
            notifyAll();
        }
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
        closed.complete(statusCode);
        synchronized (this) {
            notifyAll();
        }
        return null;
    }

    @Override
    public void onError(final WebSocket webSocket, final Throwable error) {
        closed.completeExceptionally(error);
        synchronized (this) {
            notifyAll();
        }
    }

    /**
     * Waits until a change with sequence {@code seq} or later has arrived.
     *
     * @throws AssertionError naming the watcher and what it has, at the deadline or if the socket closed
     */
    synchronized void awaitSequence(final long seq, final Duration timeout) throws InterruptedException {
        final long end = System.nanoTime() + timeout.toNanos();
        while (seen.isEmpty() || seen.get(seen.size() - 1).seq() < seq) {
            final long left = end - System.nanoTime();
            if (left <= 0 || closed.isDone()) {
                throw new AssertionError(name + " did not receive change " + seq + " within " + timeout + (closed.isDone()
                        ? " (its connection closed)" : "") + "; it has " + seen.size() + " changes, the last "
                        + (seen.isEmpty() ? "none" : seen.get(seen.size() - 1)) + "; other frames: " + other);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** @return every change received so far, in arrival order */
    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** @return frames other than events and the acknowledgement (errors, notices) */
    synchronized List<String> otherFrames() {
        return List.copyOf(other);
    }

    /**
     * @param start the todos as a REST read returned them before (or while) the changes came in; empty for none
     * @return the view after applying every change received, each only over an older version
     */
    synchronized Map<Long, SharedDatabase.Row> view(final Map<Long, SharedDatabase.Row> start) {
        final Map<Long, SharedDatabase.Row> view = new TreeMap<>(start);
        final java.util.Set<Long> deleted = new java.util.HashSet<>();
        for (final Seen change : seen) {
            final SharedDatabase.Row current = view.get(change.id());
            if (change.change().equals("DELETED")) {
                view.remove(change.id());
                deleted.add(change.id());
            } else if (!deleted.contains(change.id()) && (current == null || current.version() < change.version())) {
                view.put(change.id(), new SharedDatabase.Row(change.id(), change.title(), change.completed(), change.version()));
            }
        }
        return view;
    }

    /** @return this watcher's name, for failure messages */
    String name() {
        return name;
    }

    void close() {
        socket.abort();
    }
}
