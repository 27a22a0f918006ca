package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Rule 9.3: overload is 503 with Retry-After, a timeout 504, a failing handler 500 with a correlation id. */
class HttpServerFailureTest extends ServerTestSupport {

    /** A downstream agent's request. */
    record Lookup(String key, Reply<String> reply) {
    }

    private static JsonNode json(final String body) {
        return Json.create().mapper().readTree(body);
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenADownstreamMailboxIsFull() throws Exception {
        final AgentRef<Lookup> store = runtime.spawn(Lookup.class, () -> (Agent<Lookup>) (m, c) -> m.reply().reply("v"),
                SpawnOptions.defaults().withMailboxCapacity(1));
        runtime.pause(store.id());
        while (store.tryTell(new Lookup("filler", new NoReply()))) {
            // fill the paused store's mailbox to its effective capacity
        }
        final Router router = Router.builder()
                .get("/lookup", (req, ctx) -> ctx.<Lookup, String>ask(store, r -> new Lookup("k", r))
                        .thenApply(v -> HttpResponse.text(200, v)))
                .build();
        final HttpServer server = start(config().retryAfterSeconds(7).build(), router);
        final var response = get(server, "/lookup");
        assertEquals(503, response.statusCode());
        assertEquals("7", response.headers().firstValue("retry-after").orElseThrow());
        assertEquals(1, server.stats().rejectedOverload(), response.body());
        assertEquals(0, server.stats().handlerFailures(), "a full mailbox is overload, not a handler failure");
        runtime.resume(store.id());
        awaitTrue("the store drained", () -> runtime.mailboxDepth(store.id()) == 0);
        assertEquals(200, get(server, "/lookup").statusCode());
    }

    @Test
    void shouldAnswer503AtOnceAboveMaxInFlightRequests() throws Exception {
        final CompletableFuture<HttpResponse> held = new CompletableFuture<>();
        final Router router = heldAndHello(held);
        final HttpServer server = start(config().maxInFlightRequests(1).build(), router);
        final var first = client.sendAsync(request(server, "/held").GET().build(), BodyHandlers.ofString());
        awaitTrue("first request in flight", () -> server.stats().requestsInFlight() == 1);
        final var second = get(server, "/hello");
        assertEquals(503, second.statusCode());
        assertTrue(second.headers().firstValue("retry-after").isPresent());
        assertEquals(1, server.stats().rejectedOverload());
        held.complete(HttpResponse.text(200, "released"));
        assertEquals("released", first.get().body());
        assertEquals(200, get(server, "/hello").statusCode(), "below the limit again");
    }

    @ParameterizedTest
    @EnumSource(HandlerMode.class)
    void shouldAnswer504WhenTheHandlerNeverCompletesAndNotLeakItsAgent(final HandlerMode mode) throws Exception {
        final Router router = Router.builder()
                .get("/never", (req, ctx) -> new CompletableFuture<>())
                .get("/hello", text("hello"))
                .build();
        final HttpServer server = start(config().handlerMode(mode).handlerPoolSize(1).handlerMailboxCapacity(2)
                .askTimeout(Duration.ofMillis(200)).build(), router);
        final long aliveBefore = runtime.counters().alive();
        for (int i = 0; i < 3; i++) {
            final var response = get(server, "/never");
            assertEquals(504, response.statusCode());
            assertEquals(response.headers().firstValue("x-correlation-id").orElseThrow(),
                    json(response.body()).get("correlationId").asString());
        }
        assertEquals(3, server.stats().askTimeouts());
        // the handler agents bound their own wait: no agent (per request) and no pool slot (pool of
        // one agent with room for two) is held by a stage that never completes
        awaitTrue("handler agents released", () -> runtime.counters().alive() == aliveBefore);
        assertEquals(200, get(server, "/hello").statusCode());
    }

    @ParameterizedTest
    @EnumSource(HandlerMode.class)
    void shouldAnswer500WithACorrelationIdAndPublishTheFailure(final HandlerMode mode) throws Exception {
        final ConcurrentLinkedQueue<AgentFailure> failures = new ConcurrentLinkedQueue<>();
        final AgentRef<AgentFailure> watcher = runtime.spawn(AgentFailure.class, () -> (failure, c) -> failures.add(failure));
        runtime.subscribe(SystemTopics.FAILURES, watcher);
        final Router router = Router.builder()
                .get("/boom", (req, ctx) -> {
                    throw new IllegalStateException("secret internal detail");
                })
                .get("/later-boom", (req, ctx) -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalArgumentException("another secret");
                }))
                .get("/hello", text("hello"))
                .build();
        final HttpServer server = start(config().handlerMode(mode).handlerPoolSize(1).build(), router);
        final long restartsBefore = runtime.counters().restarts();

        final var response = get(server, "/boom");
        assertEquals(500, response.statusCode());
        final String id = response.headers().firstValue("x-correlation-id").orElseThrow();
        final JsonNode body = json(response.body());
        assertEquals("internal error", body.get("error").asString());
        assertEquals(id, body.get("correlationId").asString(), "body and header name the same request");
        assertFalse(response.body().contains("secret"), response.body());
        assertFalse(response.body().contains("Exception") || response.body().contains("at dev."), "no stack trace: " + response.body());

        awaitTrue("failure published", () -> !failures.isEmpty());
        final AgentFailure published = failures.peek();
        final HandlerFailedException failed = assertInstanceOf(HandlerFailedException.class, published.cause());
        assertEquals(id, failed.correlationId());
        assertEquals("/boom", failed.path());
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals(mode == HandlerMode.POOL ? AgentFailure.Decision.RESTART : AgentFailure.Decision.STOP, published.decision());

        final var later = get(server, "/later-boom");
        assertEquals(500, later.statusCode(), "a failed stage is a failure too");
        assertFalse(later.body().contains("secret"));

        for (int i = 0; i < 3; i++) {
            assertEquals("hello", get(server, "/hello").body(), "later requests are still served");
        }
        assertEquals(2, server.stats().handlerFailures());
        awaitTrue("both failures published", () -> failures.size() == 2);
        if (mode == HandlerMode.POOL) {
            awaitTrue("the pool agent restarted twice", () -> runtime.counters().restarts() >= restartsBefore + 2);
        }
    }

    @ParameterizedTest
    @EnumSource(HandlerMode.class)
    void shouldLeaveTheOtherRequestsOfAFailingHandlerAgentUnaffected(final HandlerMode mode) throws Exception {
        // Rule 9.3: in pool mode the failing request's agent restarts, and the requests it already
        // holds (handlers still waiting on their stage) are answered as if nothing happened.
        final CompletableFuture<HttpResponse> held = new CompletableFuture<>();
        final CountDownLatch heldEntered = new CountDownLatch(1);
        final Router router = Router.builder()
                .get("/held", (req, ctx) -> {
                    heldEntered.countDown();
                    return held;
                })
                .get("/boom", (req, ctx) -> {
                    throw new IllegalStateException("boom");
                })
                .get("/hello", text("hello"))
                .build();
        final HttpServer server = start(config().handlerMode(mode).handlerPoolSize(1).handlerMailboxCapacity(4).build(), router);
        final long restartsBefore = runtime.counters().restarts();
        final var first = client.sendAsync(request(server, "/held").GET().build(), BodyHandlers.ofString());
        assertTrue(heldEntered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the held handler ran");
        assertEquals(500, get(server, "/boom").statusCode());
        if (mode == HandlerMode.POOL) {
            awaitTrue("the pool agent restarted", () -> runtime.counters().restarts() == restartsBefore + 1);
        }
        assertFalse(first.isDone(), "the held request is still waiting for its handler, not answered by the failure");
        held.complete(HttpResponse.text(200, "released"));
        final var answer = first.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("released", answer.body());
        assertEquals(1, server.stats().handlerFailures());
        assertEquals("hello", get(server, "/hello").body());
    }

    @Test
    void shouldStillTimeOutAndFreeTheSlotOfARequestHeldAcrossAPoolAgentRestart() throws Exception {
        // The restart cancels the agent's timers (rule 4.8): the new instance must re-arm the
        // held request's deadline, answer it 504 and free its pool slot, or the slot is lost.
        final CountDownLatch neverEntered = new CountDownLatch(1);
        final AtomicReference<CompletableFuture<HttpResponse>> gate = new AtomicReference<>();
        final AtomicReference<CountDownLatch> gateEntered = new AtomicReference<>();
        final Router router = Router.builder()
                .get("/never", (req, ctx) -> {
                    neverEntered.countDown();
                    return new CompletableFuture<>();
                })
                .get("/boom", (req, ctx) -> {
                    throw new IllegalStateException("boom");
                })
                .get("/gate", (req, ctx) -> {
                    gateEntered.get().countDown();
                    return gate.get();
                })
                .get("/hello", text("hello"))
                .build();
        final HttpServer server = start(config().handlerMode(HandlerMode.POOL).handlerPoolSize(1).handlerMailboxCapacity(2)
                .askTimeout(Duration.ofSeconds(1)).build(), router);
        final var never = client.sendAsync(request(server, "/never").GET().build(), BodyHandlers.ofString());
        assertTrue(neverEntered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the never-completing handler ran");
        assertEquals(500, get(server, "/boom").statusCode(), "the second slot");
        assertEquals(504, never.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).statusCode(),
                "the held request times out; the restart does not answer it");
        // both slots free again: one request held at the gate, and a second one is still admitted
        awaitTrue("both pool slots free after the held request's deadline", () -> {
            gate.set(new CompletableFuture<>());
            gateEntered.set(new CountDownLatch(1));
            final var holder = client.sendAsync(request(server, "/gate").GET().build(), BodyHandlers.ofString());
            try {
                if (!gateEntered.get().await(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    return false;
                }
                final int second = get(server, "/hello").statusCode();
                gate.get().complete(HttpResponse.text(200, "through"));
                holder.get(PATIENCE.toSeconds(), TimeUnit.SECONDS); // answered (200, or 504 on a slow machine): slot free
                return second == 200;
            } catch (final Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void shouldAnswer503WhenTheRuntimeIsShutDownUnderTheServer() throws Exception {
        final HttpServer server = start(Router.builder().get("/hello", text("hello")).build());
        assertEquals(200, get(server, "/hello").statusCode());
        runtime.shutdown(Duration.ofSeconds(5));
        final var response = get(server, "/hello");
        assertEquals(503, response.statusCode());
        assertTrue(response.headers().firstValue("retry-after").isPresent());
    }

    /** A reply nobody waits for, to fill a mailbox. */
    private static final class NoReply implements Reply<String> {
        @Override
        public boolean reply(final String value) {
            return true;
        }

        @Override
        public boolean fail(final Throwable cause) {
            return true;
        }

        @Override
        public boolean isCompleted() {
            return false;
        }
    }
}
