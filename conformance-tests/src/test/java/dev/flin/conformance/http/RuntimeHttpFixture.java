package dev.flin.conformance.http;

import dev.flin.http.AskRequest;
import dev.flin.http.BackgroundWorker;
import dev.flin.http.ExpiredAsks;
import dev.flin.http.HandlerMode;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.http.Transport;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.core.EventLoopDispatcher;
import dev.flin.http.examples.EchoService;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The kit's fixture service (see {@link HttpFixture}) on runtime-http and runtime-core.
 *
 * <p>The echo endpoint ({@link #echoWebSocketUri()}) is {@link EchoService}'s, on a second server
 * of the same runtime, config and event loops, started on first use: a runtime-http server serves
 * one WebSocket endpoint (its HTTP connection hands upgrades for a single path), and the
 * HttpConformanceKit checks, which never use the echo, need not pay for it.
 *
 * <p>Threading: the fixture's methods block the calling (test) thread on asks; agents never block.
 * The echo server is started and stopped under the fixture's lock.
 */
final class RuntimeHttpFixture implements HttpFixture {

    /** Event of the fixture's topic. */
    record KitEvent(String text) {
    }

    static final Topic<KitEvent> KIT = Topic.of("kit", KitEvent.class);

    private static final Duration ASK = Duration.ofSeconds(10);

    private final AgentRuntime runtime;
    private final HttpServer server;
    private final AgentRef<GateMessage> gate;
    private final AgentRef<Object> failures;
    private final AgentRef<WorkMessage> worker;
    private final HttpServerConfig config;
    private final EventLoopDispatcher loops;
    /** The echo endpoint's server, once asked for; guarded by this. */
    private HttpServer echo;
    /** Set by a shutdown or close: no echo server starts after it; guarded by this. */
    private boolean stopped;

    private RuntimeHttpFixture(final AgentRuntime runtime, final HttpServer server, final AgentRef<GateMessage> gate,
            final AgentRef<Object> failures, final AgentRef<WorkMessage> worker, final HttpServerConfig config,
            final EventLoopDispatcher loops) {
        this.runtime = runtime;
        this.server = server;
        this.gate = gate;
        this.failures = failures;
        this.worker = worker;
        this.config = config;
        this.loops = loops;
    }

    static HttpFixture start(final HttpKitLimits limits, final HandlerMode mode) {
        return start(limits, mode, false);
    }

    /**
     * @param onEventLoops run the runtime's agents on the server's event loops ({@link EventLoopDispatcher})
     */
    static HttpFixture start(final HttpKitLimits limits, final HandlerMode mode, final boolean onEventLoops) {
        final EventLoopDispatcher loops = onEventLoops ? EventLoopDispatcher.create(2, Transport.AUTO) : null;
        final AgentRuntime runtime = loops == null ? FlinRuntime.create()
                : FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(() -> loops));
        try {
            final AgentRef<Object> failures = runtime.spawn(Object.class, FailureCounter::new);
            runtime.subscribe(SystemTopics.FAILURES, failures);
            final AgentRef<GateMessage> gate = runtime.spawn(GateMessage.class, GateAgent::new);
            final ExpiredAsks expired = ExpiredAsks.create();
            final AgentRef<WorkMessage> worker = runtime.spawn(WorkMessage.class, () -> new WorkerAgent(expired));
            final AgentRef<String> full = runtime.spawn(String.class, () -> (m, c) -> { },
                    SpawnOptions.defaults().withMailboxCapacity(1));
            runtime.pause(full.id());
            full.tell("fills the only slot");
            final BackgroundWorker<String> jobs = BackgroundWorker.spawn(runtime, "kit-jobs", String.class, job -> {
                if (job.equals("fail")) {
                    throw new IllegalStateException("the kit asked this job to fail");
                }
            }, 64);
            final Router router = Router.builder()
                    .get("/kit/echo/{text}", (req, ctx) -> CompletableFuture.completedFuture(
                            HttpResponse.text(200, req.pathParam("text"))))
                    .post("/kit/echo", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, req.bodyText())))
                    .get("/kit/gate/{key}", (req, ctx) -> ctx.<GateMessage, String>ask(gate,
                            r -> new GateMessage.Wait(req.pathParam("key"), r)).thenApply(key -> HttpResponse.text(200, key)))
                    .get("/kit/bytes/{n}", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.of(200,
                            "application/octet-stream", new byte[Math.min(1 << 20, Integer.parseInt(req.pathParam("n")))])))
                    .get("/kit/fail", (req, ctx) -> {
                        throw new IllegalStateException("kit-secret-failure");
                    })
                    .get("/kit/hang", (req, ctx) -> new CompletableFuture<>())
                    .get("/kit/full", (req, ctx) -> {
                        full.tell("one more than fits");
                        return CompletableFuture.completedFuture(HttpResponse.text(200, "the mailbox was not full"));
                    })
                    .post("/kit/jobs/{text}", (req, ctx) -> CompletableFuture.completedFuture(
                            jobs.submit(req.pathParam("text")) ? HttpResponse.text(202, "accepted")
                                    : HttpResponse.text(503, "busy").withHeader("retry-after", "1")))
                    .get("/kit/work", (req, ctx) -> ctx.<WorkMessage, String>ask(worker, WorkMessage.Work::new)
                            .thenApply(done -> HttpResponse.text(200, done)))
                    .get("/kit/jobs", (req, ctx) -> jobs.counters(ctx.askTimeout()).thenApply(c -> HttpResponse.json(200,
                            "{\"succeeded\":" + c.succeeded() + ",\"failed\":" + c.failed() + "}")))
                    .build();
            final HttpServerConfig config = HttpServerConfig.builder().port(0)
                    .maxInitialLineLength(limits.maxInitialLineLength()).maxHeaderSize(limits.maxHeaderSize())
                    .maxContentLength(limits.maxContentLength()).headerTimeout(limits.headerTimeout())
                    .idleTimeout(limits.idleTimeout()).askTimeout(limits.askTimeout())
                    .wsMaxFramePayload(limits.wsMaxFramePayload()).wsOutboundLimit(limits.wsOutboundLimit())
                    .wsPingInterval(limits.wsPingInterval()).wsPongTimeout(limits.wsPongTimeout())
                    .maxConnections(limits.maxConnections()).maxBufferedRequestBytes(limits.maxBufferedRequestBytes())
                    .bodyTimeout(limits.bodyTimeout())
                    .handlerMode(mode).handlerPoolSize(4).shutdownGrace(Duration.ofSeconds(10)).build();
            final HttpServer.Builder builder = HttpServer.builder(runtime).config(config).router(router)
                    .webSocket(WebSocketEndpoint.of("/kit/ws", KIT));
            if (loops != null) {
                builder.ioLoops(loops.eventLoops(), loops.transport());
            }
            final HttpServer server = builder.start();
            return new RuntimeHttpFixture(runtime, server, gate, failures, worker, config, loops);
        } catch (final RuntimeException e) {
            runtime.shutdown(Duration.ofSeconds(5));
            throw e;
        }
    }

    @Override
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    @Override
    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/kit/ws");
    }

    @Override
    public URI echoWebSocketUri() {
        return URI.create("ws://127.0.0.1:" + echoServer().port() + EchoService.PATH);
    }

    private synchronized HttpServer echoServer() {
        if (stopped) {
            throw new IllegalStateException("the fixture was shut down");
        }
        if (echo == null) {
            final HttpServer.Builder builder = HttpServer.builder(runtime).config(config).webSocket(EchoService.endpoint());
            if (loops != null) {
                builder.ioLoops(loops.eventLoops(), loops.transport());
            }
            echo = builder.start();
        }
        return echo;
    }

    /** @return the echo server if it was started, after which none will start */
    private synchronized HttpServer stopEcho() {
        stopped = true;
        return echo;
    }

    @Override
    public void openGate(final String key) {
        gate.tell(new GateMessage.Open(key));
    }

    @Override
    public int waitingAtGate(final String key) {
        return join(gate.<Integer>ask(r -> new GateMessage.Waiting(key, r), ASK));
    }

    @Override
    public int publish(final String text) {
        return runtime.publish(KIT, new KitEvent(text));
    }

    @Override
    public int subscriberCount() {
        return runtime.subscriberCount(KIT);
    }

    @Override
    public long publishedFailures() {
        return join(failures.<Long>ask(CountFailures::new, ASK));
    }

    @Override
    public void holdWorker() {
        runtime.pause(worker.id());
    }

    @Override
    public void releaseWorker() {
        runtime.resume(worker.id());
    }

    @Override
    public long workerRan() {
        return join(worker.<Long>ask(WorkMessage.Ran::new, ASK));
    }

    @Override
    public boolean shutdownGracefully(final Duration grace) {
        final HttpServer echoServer = stopEcho();
        final boolean answered = server.shutdown(grace);
        return echoServer == null ? answered : echoServer.shutdown(grace) && answered;
    }

    @Override
    public void close() {
        try {
            final HttpServer echoServer = stopEcho();
            if (echoServer != null) {
                echoServer.close();
            }
        } finally {
            try {
                server.close();
            } finally {
                runtime.shutdown(Duration.ofSeconds(5));
            }
        }
    }

    private static <T> T join(final java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("the fixture's agent did not answer", e);
        }
    }

    /** Messages of the gate agent. */
    sealed interface GateMessage permits GateMessage.Wait, GateMessage.Open, GateMessage.Waiting {
        record Wait(String key, Reply<String> reply) implements GateMessage {
        }

        record Open(String key) implements GateMessage {
        }

        record Waiting(String key, Reply<Integer> reply) implements GateMessage {
        }
    }

    /** Holds requests until their gate opens. */
    static final class GateAgent implements Agent<GateMessage> {
        private final Map<String, List<Reply<String>>> waiting = new HashMap<>();
        private final Set<String> open = new HashSet<>();

        @Override
        public void onMessage(final GateMessage message, final AgentContext<GateMessage> context) {
            if (message instanceof GateMessage.Wait wait) {
                if (open.contains(wait.key())) {
                    wait.reply().reply(wait.key());
                } else {
                    waiting.computeIfAbsent(wait.key(), k -> new ArrayList<>()).add(wait.reply());
                }
            } else if (message instanceof GateMessage.Open o) {
                open.add(o.key());
                final List<Reply<String>> held = waiting.remove(o.key());
                if (held != null) {
                    held.forEach(r -> r.reply(o.key()));
                }
            } else if (message instanceof GateMessage.Waiting w) {
                w.reply().reply(waiting.getOrDefault(w.key(), List.of()).size());
            }
        }
    }

    /** Messages of the worker behind {@code /kit/work}. */
    sealed interface WorkMessage permits WorkMessage.Work, WorkMessage.Ran {
        /** One request's work; it carries its ask's reply, which the request's deadline times out (rule 9.10). */
        record Work(Reply<String> reply) implements WorkMessage, AskRequest {
        }

        /** How many Work messages were run. */
        record Ran(Reply<Long> reply) implements WorkMessage {
        }
    }

    /** Runs each request's work, unless its client has already had its 504 (rule 9.10). */
    static final class WorkerAgent implements Agent<WorkMessage> {
        private final ExpiredAsks expired;
        private long ran;

        WorkerAgent(final ExpiredAsks expired) {
            this.expired = expired;
        }

        @Override
        public void onMessage(final WorkMessage message, final AgentContext<WorkMessage> context) {
            if (message instanceof WorkMessage.Work work) {
                if (expired.drop(work)) {
                    return;
                }
                ran++;
                work.reply().reply("done");
            } else if (message instanceof WorkMessage.Ran count) {
                count.reply().reply(ran);
            }
        }
    }

    /** Asks the failure counter for its count. */
    record CountFailures(Reply<Long> reply) {
    }

    /** Counts the {@link AgentFailure}s published on the runtime's failure topic. */
    static final class FailureCounter implements Agent<Object> {
        private long failures;

        @Override
        public void onMessage(final Object message, final AgentContext<Object> context) {
            if (message instanceof CountFailures count) {
                count.reply().reply(failures);
            } else if (message instanceof AgentFailure) {
                failures++;
            }
        }
    }
}
