package dev.flin.conformance.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@code java.net.http.WebSocket} client that collects whole text messages (whitespace outside
 * strings removed, so checks can compare JSON text), pings and the close status.
 *
 * <p>Threading: the listener runs on the client's threads; the accessors are thread-safe.
 */
final class KitWebSocket implements AutoCloseable {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicInteger pings = new AtomicInteger();
    private final WebSocket socket;

    private KitWebSocket(final URI uri, final Duration timeout) throws Exception {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(uri, new Collector()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static KitWebSocket connect(final URI uri, final Duration timeout) throws Exception {
        return new KitWebSocket(uri, timeout);
    }

    void send(final String text) throws Exception {
        socket.sendText(text, true).get(10, TimeUnit.SECONDS);
    }

    /** @return the next text message, compacted, or throws AssertionError after {@code timeout} */
    String next(final Duration timeout) throws InterruptedException {
        final String m = messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no WebSocket message within " + timeout);
        }
        return m;
    }

    /** @return the next message that contains {@code fragment} (compacted), skipping others */
    String nextContaining(final String fragment, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long left = deadline - System.nanoTime();
            final String m = left > 0 ? messages.poll(left, TimeUnit.NANOSECONDS) : null;
            if (m == null) {
                throw new AssertionError("no WebSocket message containing " + fragment + " within " + timeout);
            }
            if (m.contains(fragment)) {
                return m;
            }
        }
    }

    CompletableFuture<Integer> closeStatus() {
        return closed;
    }

    int pings() {
        return pings.get();
    }

    WebSocket raw() {
        return socket;
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            final var unused = socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }

    /** Removes whitespace outside JSON strings. */
    static String compact(final CharSequence json) {
        final StringBuilder b = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            final char c = json.charAt(i);
            if (inString) {
                b.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (!Character.isWhitespace(c)) {
                b.append(c);
                inString = c == '"';
            }
        }
        return b.toString();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            partial.append(data);
            if (last) {
                messages.add(compact(partial));
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(final WebSocket webSocket, final ByteBuffer message) {
            pings.incrementAndGet();
            return WebSocket.Listener.super.onPing(webSocket, message);
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error) {
            closed.complete(-1);
        }
    }
}
