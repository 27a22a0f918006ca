package dev.flin.bench.http;

import dev.flin.bench.BenchSystem;
import dev.flin.http.HandlerMode;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.http.Transport;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.core.EventLoopDispatcher;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.RuntimeOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The server side of the HTTP baseline, run in its own JVM (pinned to one core by the report):
 * <ul>
 *   <li>raw Netty answering {@code hello} ({@link RawNettyHello});
 *   <li>runtime-http with one agent per request, {@code GET /hello};
 *   <li>runtime-http with a pool of handler agents, {@code GET /hello};
 *   <li>runtime-http with one agent per request in a second runtime whose agents run on the
 *       server's event loops ({@link EventLoopDispatcher}), {@code GET /hello};
 *   <li>on the per-request server, WebSocket endpoint {@code /ws} with topic {@code bench}, and
 *       {@code POST /bench/publish/{count}} which has a publisher agent publish {@code count}
 *       {@link Tick}s and answer with the number of deliveries (see {@link Publisher}).
 * </ul>
 * Prints {@code ports raw=<p> agent=<p> pool=<p> loop=<p>} once listening, then serves until stdin closes.
 *
 * <p>Threading: main thread only; requests on Netty and the runtime's threads.
 */
public final class LoadServer {

    /** A fan-out event: its sequence number and when it was published ({@code System.nanoTime()}). */
    public record Tick(long seq, long sentNanos) {
    }

    static final Topic<Tick> BENCH = Topic.of("bench", Tick.class);

    private LoadServer() {
    }

    public static void main(final String[] args) throws Exception {
        final int ioThreads = Integer.parseInt(System.getProperty("flin.bench.ioThreads", "1"));
        final String idle = System.getProperty("flin.bench.idle", "backoff");
        final int workers = Integer.parseInt(System.getProperty("flin.bench.workers",
                Integer.toString(Runtime.getRuntime().availableProcessors())));
        // the same strategies as the JMH systems flin-backoff, flin-parking, flin-yielding, flin-busyspin
        final IdleStrategy idleStrategy = BenchSystem.byId("flin-" + idle).flinIdleStrategy();
        final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults()
                .withDispatcher(() -> Dispatchers.workerPool(workers, idleStrategy, "flin-worker")));
        System.err.println("load server: " + workers + " workers, idle strategy " + idle + ", " + ioThreads + " event loop(s)");
        final AgentRef<PublisherMessage> publisher = runtime.spawn(PublisherMessage.class, Publisher::new);
        final Router hello = Router.builder()
                .get("/hello", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, "hello")))
                .post("/bench/publish/{count}", (req, ctx) -> ctx.<PublisherMessage, Long>ask(publisher,
                        r -> new PublisherMessage.Publish(Long.parseLong(req.pathParam("count")), r))
                        .thenApply(n -> HttpResponse.text(200, Long.toString(n))))
                .build();
        final HttpServerConfig base = HttpServerConfig.builder().port(0).ioThreads(ioThreads)
                .maxInFlightRequests(1 << 20).askTimeout(Duration.ofSeconds(30)).wsOutboundLimit(16 << 20)
                .wsPingInterval(Duration.ofMinutes(10)).idleTimeout(Duration.ofMinutes(10)).build();
        final EventLoopDispatcher loops = EventLoopDispatcher.create(ioThreads, Transport.AUTO);
        final AgentRuntime onLoops = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(() -> loops));
        try (RawNettyHello raw = RawNettyHello.start("127.0.0.1", 0, ioThreads);
                HttpServer onLoop = HttpServer.builder(onLoops).router(hello).ioLoops(loops.eventLoops(), loops.transport())
                        .config(base.toBuilder().handlerMode(HandlerMode.PER_REQUEST).build()).start();
                HttpServer perRequest = HttpServer.builder(runtime).router(hello)
                        .config(base.toBuilder().handlerMode(HandlerMode.PER_REQUEST).build())
                        .webSocket(WebSocketEndpoint.of("/ws", BENCH)).start();
                HttpServer pool = HttpServer.builder(runtime).router(hello)
                        .config(base.toBuilder().handlerMode(HandlerMode.POOL).handlerPoolSize(4)
                                .handlerMailboxCapacity(1024).build()).start()) {
            System.out.println("ports raw=" + raw.port() + " agent=" + perRequest.port() + " pool=" + pool.port()
                    + " loop=" + onLoop.port()
                    + " transport=" + perRequest.transportName());
            System.out.flush();
            final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (stdin.readLine() != null) {
                System.out.println("counters " + runtime.counters() + " stats " + perRequest.stats());
                System.out.flush();
            }
        } finally {
            runtime.shutdown(Duration.ofSeconds(5));
            onLoops.shutdown(Duration.ofSeconds(5));
        }
    }

    /** Messages of the publisher agent. */
    sealed interface PublisherMessage permits PublisherMessage.Publish {
        /** Publish {@code count} ticks, then reply with how many deliveries the broker accepted. */
        record Publish(long count, Reply<Long> reply) implements PublisherMessage {
        }
    }

    /**
     * Publishes a round of ticks when asked. The fan-out client asks for the next round only when
     * every connection has received the previous one (a closed loop), so the figure is a rate the
     * connection agents sustain without dropping events.
     */
    static final class Publisher implements Agent<PublisherMessage> {
        private long seq;

        @Override
        public void onMessage(final PublisherMessage message, final AgentContext<PublisherMessage> context) {
            final PublisherMessage.Publish p = (PublisherMessage.Publish) message;
            long delivered = 0;
            for (long i = 0; i < p.count(); i++) {
                delivered += context.runtime().publish(BENCH, new Tick(seq++, System.nanoTime()));
            }
            p.reply().reply(delivered);
        }
    }
}
