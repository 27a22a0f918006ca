package dev.flin.todo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A real {@link java.net.http.WebSocket} client that queues every text message (frames joined) and
 * records how the connection closed.
 */
final class WsClient implements WebSocket.Listener {

    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private StringBuilder partial = new StringBuilder();   // touched only by the client's listener calls, one at a time
    private WebSocket socket;

    static WsClient connect(final HttpClient http, final int port) throws Exception {
        final WsClient client = new WsClient();
        client.socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + TodoService.WEB_SOCKET_PATH), client)
                .get(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    /** Sends {"op":"subscribe","topic":topic} and waits for its acknowledgement (rule 9.5). */
    WsClient subscribe(final String topic) throws Exception {
        send("{\"op\":\"subscribe\",\"topic\":\"" + topic + "\"}");
        final JsonNode ack = next();
        if (!"subscribed".equals(ack.path("type").asString()) || !topic.equals(ack.path("topic").asString())) {
            throw new AssertionError("expected the subscription's acknowledgement, got " + ack);
        }
        return this;
    }

    void send(final String text) throws Exception {
        socket.sendText(text, true).get(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS);
    }

    /** @return the next message as JSON; fails if none arrives before the deadline */
    JsonNode next() throws InterruptedException {
        final String message = messages.poll(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS);
        if (message == null) {
            throw new AssertionError("no WebSocket message within " + Deadline.DEFAULT
                    + (closed.isDone() ? "; the connection closed with " + closed.getNow(null) : ""));
        }
        return TodoClient.json(message);
    }

    /** @return the status code the connection closed with, once it closed */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    void abort() {
        socket.abort();
    }

    @Override
    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial = new StringBuilder();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
        closed.complete(statusCode);
        return null;
    }

    @Override
    public void onError(final WebSocket webSocket, final Throwable error) {
        closed.completeExceptionally(error);
    }
}
