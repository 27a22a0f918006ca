package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.await;
import static dev.flin.runtime.core.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.ContextOutsideAgentException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Rule 1.4 (0.3): an agent's context is a separate object from its ref, and may be used only on the
 * thread running one of that agent's callbacks. A context that escaped (to the test thread, to
 * another agent, to a thread racing a running callback) refuses every method but {@code self()}
 * with {@link ContextOutsideAgentException} and does nothing; a refused {@code tryTell} throws like
 * {@code tell}.
 */
class AgentContextConfinementTest extends RuntimeTestSupport {

    /** An agent that hands its context out in onStart and records what it receives. */
    private static final class Escaping implements Agent<Object> {
        final CompletableFuture<AgentContext<Object>> context;
        final ConcurrentLinkedQueue<Object> received;

        Escaping(final CompletableFuture<AgentContext<Object>> context, final ConcurrentLinkedQueue<Object> received) {
            this.context = context;
            this.received = received;
        }

        @Override
        public void onStart(final AgentContext<Object> ctx) {
            context.complete(ctx);
        }

        @Override
        public void onMessage(final Object message, final AgentContext<Object> ctx) {
            received.add(message);
        }

        @Override
        public void onSignal(final Signal signal, final AgentContext<Object> ctx) {
            received.add(signal);
        }
    }

    /** Every context method but self(), each as one refused call. */
    private static List<Executable> everyConfinedMethod(final AgentContext<Object> ctx, final AgentId other,
                                                         final Topic<Object> topic) {
        return List.of(ctx::runtime, ctx::timers, () -> ctx.watch(other), () -> ctx.unwatch(other),
                () -> ctx.subscribe(topic), () -> ctx.unsubscribe(topic),
                () -> ctx.pipeToSelf(CompletableFuture.completedFuture(1), (v, t) -> "piped"),
                ctx::stop, ctx::restartCount);
    }

    private static final List<String> METHOD_NAMES = List.of("runtime", "timers", "watch", "unwatch", "subscribe",
            "unsubscribe", "pipeToSelf", "stop", "restartCount");

    @Test
    void anEscapedContextRefusesEveryOperationOffTheAgentThread() throws Throwable {
        final AgentRuntime rt = deterministic(11);
        final CompletableFuture<AgentContext<Object>> escaped = new CompletableFuture<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> new Escaping(escaped, new ConcurrentLinkedQueue<>()));
        runUntilIdle();
        final AgentContext<Object> ctx = escaped.join();
        final AgentRef<Object> other = rt.spawn(Object.class, () -> (m, c) -> { });
        final Topic<Object> topic = Topic.of("confined", Object.class);
        final List<Executable> calls = everyConfinedMethod(ctx, other.id(), topic);
        for (int i = 0; i < calls.size(); i++) {
            final ContextOutsideAgentException e = assertThrows(ContextOutsideAgentException.class, calls.get(i),
                    METHOD_NAMES.get(i));
            assertEquals(METHOD_NAMES.get(i), e.operation());
            assertEquals(ref.id(), e.agent());
            assertEquals(Thread.currentThread().getName(), e.callingThread());
            assertEquals("1.4", e.rule());
            assertTrue(e.getMessage().contains("context." + METHOD_NAMES.get(i) + "() of " + ref.id()), e.getMessage());
            assertTrue(e.getMessage().contains("'" + Thread.currentThread().getName() + "'"), e.getMessage());
        }
        assertSame(ref, ctx.self(), "self() works from any thread and is the very ref spawn returned");
    }

    @Test
    void aRefusedCallDoesNothing() {
        final AgentRuntime rt = deterministic(13);
        final CompletableFuture<AgentContext<Object>> escaped = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> new Escaping(escaped, received));
        final AgentRef<Object> watched = rt.spawn(Object.class, () -> (m, c) -> { });
        runUntilIdle();
        final AgentContext<Object> ctx = escaped.join();
        final Topic<Object> topic = Topic.of("refused", Object.class);
        for (final Executable call : everyConfinedMethod(ctx, watched.id(), topic)) {
            assertThrows(ContextOutsideAgentException.class, call);
        }
        runUntilIdle();
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "the refused stop() stopped nothing");
        assertEquals(0, rt.subscriberCount(topic), "the refused subscribe() subscribed nothing");
        assertEquals(0, rt.publish(topic, "event"));
        rt.stop(watched.id());
        runUntilIdle();
        assertTrue(received.isEmpty(), "no piped message, no event, no Terminated signal of the refused watch: " + received);
        ref.tell("still alive");
        runUntilIdle();
        assertEquals(List.of("still alive"), new ArrayList<>(received));
    }

    @Test
    void selfOfAnEscapedContextReachesTheMailboxFromAnotherThread() throws Exception {
        final AgentRuntime rt = workerPool(2);
        final CompletableFuture<AgentContext<Object>> escaped = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> new Escaping(escaped, received));
        final AgentContext<Object> ctx = Await.value(escaped);
        final Thread stranger = new Thread(() -> ctx.self().tell("via self"), "stranger");
        stranger.start();
        Await.join(stranger);
        awaitTrue("the message sent through self() to arrive", () -> received.contains("via self"));
        assertSame(ref, ctx.self());
    }

    @Test
    void theContextIsNotTheRef_andIsOneObjectAcrossCallbacksAndRestarts() {
        final AgentRuntime rt = deterministic(14);
        final List<AgentContext<Object>> seen = new ArrayList<>();
        final List<AgentRef<Object>> selves = new ArrayList<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onStart(final AgentContext<Object> ctx) {
                seen.add(ctx);
                selves.add(ctx.self());
            }

            @Override
            public void onMessage(final Object message, final AgentContext<Object> ctx) {
                seen.add(ctx);
                if ("fail".equals(message)) {
                    throw new IllegalStateException("planned failure: restart");
                }
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        runUntilIdle();
        ref.tell("one");
        ref.tell("fail");
        ref.tell("two");
        runUntilIdle();
        assertEquals(5, seen.size(), "onStart, one, fail, onStart again, two");
        for (final AgentContext<Object> ctx : seen) {
            assertSame(seen.get(0), ctx, "one context per agent, kept across restarts");
        }
        assertNotSame(ref, seen.get(0));
        assertFalse(((Object) ref) instanceof AgentContext, "the ref is not a context");
        assertFalse(((Object) seen.get(0)) instanceof AgentRef, "the context is not a ref");
        for (final AgentRef<Object> self : selves) {
            assertSame(ref, self, "self() is the ref spawn returned");
        }
        assertSame(ref, rt.ref(ref.id(), Object.class).orElseThrow(), "and the ref the registry returns");
    }

    @Test
    void anotherAgentsContextIsRefusedInsideACallbackOnTheSameThread() {
        // The deterministic dispatcher runs every agent on the test thread: being on "an agent
        // thread" is not enough, it has to be this agent's callback.
        final AgentRuntime rt = deterministic(15);
        final CompletableFuture<AgentContext<Object>> escaped = new CompletableFuture<>();
        final AgentRef<Object> owner = rt.spawn(Object.class, () -> new Escaping(escaped, new ConcurrentLinkedQueue<>()));
        runUntilIdle();
        final AgentContext<Object> foreign = escaped.join();
        final CompletableFuture<Throwable> refusal = new CompletableFuture<>();
        final AgentRef<String> user = rt.spawn(String.class, () -> (m, ctx) -> {
            try {
                foreign.stop();
                refusal.complete(null);
            } catch (ContextOutsideAgentException e) {
                refusal.complete(e);
            }
        });
        user.tell("use the other agent's context");
        runUntilIdle();
        final Throwable thrown = refusal.join();
        assertTrue(thrown instanceof ContextOutsideAgentException, "another agent's context must refuse: " + thrown);
        assertEquals(owner.id(), ((ContextOutsideAgentException) thrown).agent());
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(owner.id()), "and stop nothing");
    }

    @Test
    void aContextUsedFromAnotherThreadWhileItsCallbackRunsIsRefused() {
        final AgentRuntime rt = workerPool(2);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        beforeShutdown(release::countDown);
        final CompletableFuture<AgentContext<String>> inCallback = new CompletableFuture<>();
        final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> {
            received.add(m);
            inCallback.complete(ctx);
            entered.countDown();
            await(release);
        });
        ref.tell("block");
        await(entered);
        final AgentContext<String> ctx = Await.value(inCallback);
        final ContextOutsideAgentException e = assertThrows(ContextOutsideAgentException.class, ctx::stop,
                "the agent is inside a callback, but on another thread");
        assertEquals(Thread.currentThread().getName(), e.callingThread());
        assertThrows(ContextOutsideAgentException.class, ctx::timers);
        release.countDown();
        ref.tell("after");
        awaitTrue("the agent to process the next message", () -> received.contains("after"));
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "the refused stop() stopped nothing");
    }

    @Test
    void aPipeToSelfMapperRunsOffTheAgentThread_usesNoContext_andADisobedientOneDeliversNothing() {
        final AgentRuntime rt = workerPool(2);
        final CompletableFuture<String> plain = new CompletableFuture<>();
        final CompletableFuture<String> misuse = new CompletableFuture<>();
        final CompletableFuture<Throwable> mapperSaw = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> new Agent<Object>() {
            @Override
            public void onStart(final AgentContext<Object> ctx) {
                ctx.pipeToSelf(plain, (v, t) -> "piped " + v);
                ctx.pipeToSelf(misuse, (v, t) -> {
                    try {
                        ctx.stop(); // the mapper runs on the completing thread: refused
                        mapperSaw.complete(null);
                    } catch (ContextOutsideAgentException e) {
                        mapperSaw.complete(e);
                        throw e;
                    }
                    return "never";
                });
            }

            @Override
            public void onMessage(final Object message, final AgentContext<Object> ctx) {
                received.add(message);
            }
        });
        awaitTrue("the agent to start", () -> rt.state(ref.id()).orElseThrow() == AgentState.RUNNING);
        final Thread completer = new Thread(() -> {
            misuse.complete("x");
            plain.complete("value");
        }, "completer");
        completer.start();
        Await.join(completer);
        awaitTrue("the piped result to arrive", () -> received.contains("piped value"));
        assertTrue(Await.value(mapperSaw) instanceof ContextOutsideAgentException,
                "a context used inside the mapper, on the completing thread, is refused");
        assertEquals(List.of("piped value"), new ArrayList<>(received), "the failed mapper delivered nothing");
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()), "and stopped nothing");
    }

    @Test
    void tryTellToATerminatedAgentThrowsNotFound() {
        final AgentRuntime rt = deterministic(12);
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertThrows(AgentNotFoundException.class, () -> ref.tryTell("late"));
        assertThrows(AgentNotFoundException.class, () -> ref.tell("late"));
        assertEquals(true, rt.shutdown(Duration.ofSeconds(1)));
    }
}
