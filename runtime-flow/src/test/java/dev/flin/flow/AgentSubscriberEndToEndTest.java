package dev.flin.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.Executors;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real publishers and subscribers from the JDK against agents on the worker pool: a
 * {@link SubmissionPublisher} consumed by an agent, and the JDK HTTP client's bodies both ways (a
 * response body into an agent; a topic as a request body).
 */
class AgentSubscriberEndToEndTest {

    private final AgentRuntime runtime = FlinRuntime.create();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);

    @AfterEach
    void shutdown() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(10, TimeUnit.SECONDS));
        runtime.shutdown(Duration.ofSeconds(10));
    }

    /** A collector's messages. */
    sealed interface Collect<T> permits Item, End {
    }

    /** An element. */
    record Item<T>(T value) implements Collect<T> {
    }

    /** The end; error null when completed. */
    record End<T>(Throwable error) implements Collect<T> {
    }

    /** Collects the elements, and on the end completes {@code result} with them (or the error). */
    static final class Collector<T> implements Agent<Collect<T>> {
        private final CompletableFuture<List<T>> result;
        private final List<T> items = new ArrayList<>();

        Collector(final CompletableFuture<List<T>> result) {
            this.result = result;
        }

        @Override
        public void onMessage(final Collect<T> message, final AgentContext<Collect<T>> context) {
            if (message instanceof Item<T> item) {
                items.add(item.value());
            } else if (message instanceof End<T> end) {
                if (end.error() == null) {
                    result.complete(List.copyOf(items));
                } else {
                    result.completeExceptionally(end.error());
                }
                context.stop();
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> AgentRef<Collect<T>> collector(final CompletableFuture<List<T>> result, final int capacity) {
        final Class<Collect<T>> type = (Class) Collect.class;
        return runtime.spawn(type, () -> new Collector<>(result), SpawnOptions.defaults().withMailboxCapacity(capacity));
    }

    private static <T> FlowMessages<T, Collect<T>> collecting() {
        return FlowMessages.of(Item::new, () -> new End<>(null), End::new);
    }

    @Test
    void shouldConsumeASubmissionPublisherEndToEnd() {
        final int elements = 10_000;
        final int window = 16;
        final CompletableFuture<List<Integer>> result = new CompletableFuture<>();
        final AgentRef<Collect<Integer>> target = collector(result, window + 1);

        try (SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(threads, 32)) {
            publisher.subscribe(AgentSubscriber.create(runtime, target, collecting(), window));
            for (int i = 0; i < elements; i++) {
                publisher.submit(i); // blocks this test thread while the publisher's buffer is full
            }
        } // close(): onComplete after the elements

        assertEquals(IntStream.range(0, elements).boxed().toList(), result.orTimeout(20, TimeUnit.SECONDS).join());
        assertEquals(0, runtime.counters().rejectedFull(), "no send was ever refused: the window fits the mailbox");
    }

    /**
     * Emits {@code 0 .. count - 1} synchronously inside {@code request}, on the requesting thread,
     * as synchronous Reactive Streams publishers may (Reactive Streams rule 3.10), guarding against
     * re-entrance (3.3). Its subscription is called serially (2.7), so its fields are plain.
     */
    record SynchronousRange(int count) implements Flow.Publisher<Integer> {
        @Override
        public void subscribe(final Flow.Subscriber<? super Integer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private long demand;
                private int next;
                private boolean emitting;
                private boolean done;

                @Override
                public void request(final long n) {
                    demand += n;
                    if (emitting) {
                        return;
                    }
                    emitting = true;
                    while (demand > 0 && next < count && !done) {
                        demand--;
                        subscriber.onNext(next++);
                    }
                    if (next == count && !done) {
                        done = true;
                        subscriber.onComplete();
                    }
                    emitting = false;
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        }
    }

    @Test
    void shouldConsumeAPublisherThatEmitsFromInsideRequest() {
        final int elements = 1000;
        final CompletableFuture<List<Integer>> result = new CompletableFuture<>();
        final AgentRef<Collect<Integer>> target = collector(result, 9);

        new SynchronousRange(elements).subscribe(AgentSubscriber.create(runtime, target, collecting(), 8));

        assertEquals(IntStream.range(0, elements).boxed().toList(), result.orTimeout(20, TimeUnit.SECONDS).join());
    }

    @Test
    void shouldDeliverASubmissionPublishersErrorAfterItsElements() {
        final CompletableFuture<List<Integer>> result = new CompletableFuture<>();
        final AgentRef<Collect<Integer>> target = collector(result, 17);
        final SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(threads, 32);
        publisher.subscribe(AgentSubscriber.create(runtime, target, collecting(), 16));
        final IOException failure = new IOException("upstream broke");

        publisher.submit(1);
        publisher.closeExceptionally(failure);

        final Throwable error = result.handle((list, thrown) -> thrown).orTimeout(20, TimeUnit.SECONDS).join();
        assertEquals(failure, error);
    }

    @Test
    void shouldStreamAnHttpResponseBodyIntoAnAgent() throws IOException {
        final byte[] body = new byte[1 << 20];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/blob", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int offset = 0; offset < body.length; offset += 8192) {
                    out.write(body, offset, 8192);
                }
            }
        });
        server.start();
        try {
            final CompletableFuture<List<List<ByteBuffer>>> result = new CompletableFuture<>();
            final AgentRef<Collect<List<ByteBuffer>>> target = collector(result, 9);
            final HttpClient client = HttpClient.newBuilder().executor(threads).build();
            final HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/blob")).build();

            final HttpResponse<Void> response = client.sendAsync(request, HttpResponse.BodyHandlers.fromSubscriber(
                    AgentSubscriber.create(runtime, target, collecting(), 8))).orTimeout(20, TimeUnit.SECONDS).join();

            assertEquals(200, response.statusCode());
            final ByteArrayOutputStream received = new ByteArrayOutputStream();
            for (final List<ByteBuffer> chunk : result.orTimeout(20, TimeUnit.SECONDS).join()) {
                for (final ByteBuffer buffer : chunk) {
                    final byte[] bytes = new byte[buffer.remaining()];
                    buffer.get(bytes);
                    received.write(bytes);
                }
            }
            assertArrayEquals(body, received.toByteArray());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void shouldSendATopicAsAnHttpRequestBody() throws IOException {
        final Topic<ByteBuffer> topic = Topic.of("upload", ByteBuffer.class);
        final CompletableFuture<byte[]> uploaded = new CompletableFuture<>();
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/upload", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                uploaded.complete(in.readAllBytes());
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        try {
            // An empty buffer ends the body: the stream completes on it.
            final TopicPublisher<ByteBuffer> body = TopicPublisher.of(runtime, topic, 4).completingOn(b -> !b.hasRemaining());
            final HttpClient client = HttpClient.newBuilder().executor(threads).build();
            final HttpRequest request = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/upload"))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(body)).build();
            final CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());

            Await.until("the client subscribed to the topic", () -> runtime.subscriberCount(topic) == 1);
            final ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i <= 100; i++) {
                final byte[] chunk = i < 100 ? ("chunk " + i + ";").getBytes(StandardCharsets.US_ASCII) : new byte[0];
                sent.write(chunk);
                Await.publishUntilTaken(runtime, topic, ByteBuffer.wrap(chunk));
            }

            assertEquals(204, response.orTimeout(20, TimeUnit.SECONDS).join().statusCode());
            assertArrayEquals(sent.toByteArray(), uploaded.join());
        } finally {
            server.stop(0);
        }
    }
}
