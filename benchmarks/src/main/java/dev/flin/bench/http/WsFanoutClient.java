package dev.flin.bench.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The WebSocket fan-out measurement: {@code clients} connections subscribe to topic {@code bench};
 * then, in a closed loop, the client asks the server to publish a round of {@code round} ticks and
 * waits until every connection has received all of them. Delivery latency is the receive time
 * minus the tick's publish time (both {@code System.nanoTime()}, one machine-wide monotonic clock
 * on Linux).
 *
 * <p>Threading: {@link #run} on one thread; listeners on the HTTP client's threads.
 */
final class WsFanoutClient {

    /** The outcome of one fan-out run. */
    record Result(int clients, int round, long deliveries, double seconds, double deliveriesPerSecond,
            double eventsPerSecond, double p50Micros, double p99Micros, double maxMicros) {
    }

    private static final Pattern SENT = Pattern.compile("\"sentNanos\":(\\d+)");

    private WsFanoutClient() {
    }

    static Result run(final URI base, final int clients, final int round, final Duration warmup, final Duration measure)
            throws Exception {
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final Recorder recorder = new Recorder(3);
        final AtomicLong received = new AtomicLong();
        final List<WebSocket> sockets = new ArrayList<>();
        final List<CompletableFuture<Void>> acks = new ArrayList<>();
        final URI ws = URI.create("ws://" + base.getHost() + ":" + base.getPort() + "/ws");
        for (int i = 0; i < clients; i++) {
            final CompletableFuture<Void> ack = new CompletableFuture<>();
            acks.add(ack);
            final WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, new Listener(recorder, received, ack))
                    .get(30, TimeUnit.SECONDS);
            socket.sendText("{\"op\":\"subscribe\",\"topic\":\"bench\"}", true).get(30, TimeUnit.SECONDS);
            sockets.add(socket);
        }
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        final URI publish = base.resolve("/bench/publish/" + round);
        rounds(http, publish, received, (long) clients * round, warmup);
        recorder.getIntervalHistogram(); // drop the warm-up's latencies
        final long before = received.get();
        final long start = System.nanoTime();
        final long rounds = rounds(http, publish, received, (long) clients * round, measure);
        final double seconds = (System.nanoTime() - start) / 1e9;
        final long deliveries = received.get() - before;
        final Histogram h = recorder.getIntervalHistogram();
        for (final WebSocket s : sockets) {
            final var unused = s.sendClose(WebSocket.NORMAL_CLOSURE, "done"); // best effort: the run is over
        }
        return new Result(clients, round, deliveries, seconds, deliveries / seconds, rounds * round / seconds,
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
    }

    private static long rounds(final HttpClient http, final URI publish, final AtomicLong received, final long perRound,
            final Duration length) throws Exception {
        final long end = System.nanoTime() + length.toNanos();
        long rounds = 0;
        while (System.nanoTime() < end) {
            final long target = received.get() + perRound;
            final HttpResponse<String> r = http.send(HttpRequest.newBuilder(publish)
                    .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200 || Long.parseLong(r.body().trim()) != perRound) {
                throw new IllegalStateException("publish round answered " + r.statusCode() + " '" + r.body()
                        + "', expected " + perRound + " deliveries");
            }
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.get() < target) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("a round was not delivered within 30 s: " + received.get() + " of " + target);
                }
                Thread.onSpinWait();
            }
            rounds++;
        }
        return rounds;
    }

    /** Counts events and records their latency; completes {@code ack} on the subscription's acknowledgement. */
    private static final class Listener implements WebSocket.Listener {
        private final Recorder recorder;
        private final AtomicLong received;
        private final CompletableFuture<Void> ack;
        private final StringBuilder partial = new StringBuilder();

        Listener(final Recorder recorder, final AtomicLong received, final CompletableFuture<Void> ack) {
            this.recorder = recorder;
            this.received = received;
            this.ack = ack;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            final long now = System.nanoTime();
            partial.append(data);
            if (last) {
                final Matcher m = SENT.matcher(partial);
                if (m.find()) {
                    recorder.recordValue(Math.max(0, now - Long.parseLong(m.group(1))));
                    received.incrementAndGet();
                } else if (partial.indexOf("\"subscribed\"") >= 0) {
                    ack.complete(null);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
