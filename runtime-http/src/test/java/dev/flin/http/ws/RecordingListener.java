package dev.flin.http.ws;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link WebSocket.Listener} that records what the server sent: whole text messages in order,
 * pings, the close status, an error.
 *
 * <p>Threading: the client's threads call the listener; the test thread reads through the
 * blocking queue and futures, which publish safely.
 */
final class RecordingListener implements WebSocket.Listener {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Closed(int code, String reason) {
    }

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final CompletableFuture<Closed> closed = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    final BlockingQueue<Integer> pingSeen = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(final WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            texts.add(partial.toString());
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onPing(final WebSocket webSocket, final ByteBuffer message) {
        pingSeen.add(pings.incrementAndGet());
        return null; // the client answers with a Pong on its own
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(final WebSocket webSocket, final Throwable error) {
        this.error.complete(error);
        closed.completeExceptionally(error);
    }

    /** @return the next whole text message, parsed; fails the test if none comes in time */
    JsonNode next() throws InterruptedException {
        final String text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (text == null) {
            throw new AssertionError("no message from the server within " + WAIT
                    + (closed.isDone() ? "; the connection closed: " + closed.handle((c, e) -> c != null ? c : e).join() : ""));
        }
        return JSON.readTree(text);
    }

    Closed awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
