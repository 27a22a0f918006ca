package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Checks of section 1 of {@code docs/spec.md}: Agents and isolation. One method or more per rule,
 * named {@code required_spec_1_M_...} (MUST), {@code optional_spec_1_M_...} (SHOULD/MAY) or
 * {@code untested_spec_1_M_...} (not checkable yet: always reported as skipped).
 */
public interface AgentRules extends KitSupport {

    // ------------------------------------------------------------------------------------ 1.1

    @Example
    default void required_spec_1_1_callbacksOfOneAgentNeverOverlap() throws Exception {
        final Kit kit = kit();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        final int senders = 4;
        final int each = 500;
        final java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        for (int s = 0; s < senders; s++) {
            futures.add(kit.fork(() -> {
                for (int i = 0; i < each; i++) {
                    while (true) {
                        try {
                            probe.ref().tell(i);
                            break;
                        } catch (dev.flin.runtime.MailboxFullException full) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }));
        }
        for (final java.util.concurrent.Future<?> f : futures) {
            f.get();
        }
        probe.awaitCount(senders * each);
        assertFalse(probe.overlapSeen(), "two callbacks of one agent ran at the same time");
        assertEquals(senders * each, probe.count());
    }

    /**
     * Rule 1.1 across every kind of callback: messages from several senders, restarts (onStop of
     * the failed instance, onStart of the next), Terminated signals of watched agents (when the
     * runtime has death watch) and the final onStop, all racing.
     */
    @Property(tries = 15)
    default void required_spec_1_1_noOverlapAcrossMessagesSignalsRestartsAndStop(
            @ForAll @IntRange(min = 1, max = 4) final int senders,
            @ForAll @IntRange(min = 1, max = 150) final int perSender,
            @ForAll @IntRange(min = 0, max = 5) final int failuresWanted,
            @ForAll @IntRange(min = 0, max = 3) final int watchedWanted) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final int watched = kit.has(Capability.DEATH_WATCH) ? watchedWanted : 0;
        final int failures = Math.min(failuresWanted, perSender);
        final List<Recorder<Integer>> targets = new ArrayList<>();
        for (int t = 0; t < watched; t++) {
            targets.add(kit.recorder(Integer.class));
        }
        // sender s sends s * 1000 + i; the failing ones are spread over sender 0's messages
        final Set<Integer> failing = ConcurrentHashMap.newKeySet();
        for (int f = 0; f < failures; f++) {
            failing.add(f * perSender / failures);
        }
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        final AtomicInteger watching = new AtomicInteger();
        probe.behave((m, ctx) -> {
            if (m < 0) {
                ctx.watch(targets.get(-m - 1).id());
                watching.incrementAndGet();
            } else if (failing.contains(m)) {
                throw new IllegalStateException("planned failure on " + m + " (rule 1.1 check)");
            }
        });
        for (int t = 0; t < watched; t++) {
            probe.ref().tell(-t - 1);
        }
        final List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            futures.add(kit.fork(() -> {
                for (int i = 0; i < perSender; i++) {
                    assertTrue(kit.tellPatiently(probe.ref(), sender * 1000 + i), "probe vanished (rule 1.1 check)");
                }
            }));
        }
        kit.await("the probe to watch " + watched + " agents", () -> watching.get() == watched);
        for (final Recorder<Integer> target : targets) {
            rt.stop(target.id());
        }
        for (final Future<?> f : futures) {
            kit.join("a sender to send its " + perSender + " messages", f);
        }
        probe.awaitCount(watched + senders * perSender);
        kit.await("the probe to get " + watched + " Terminated signals", () -> probe.signals().size() >= watched);
        kit.await("the probe to run " + (failures + 1) + " instances", () -> probe.starts() >= failures + 1);
        final var terminated = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        kit.await("the probe to terminate", terminated);
        assertFalse(probe.overlapSeen(), "rule 1.1: two callbacks (onStart/onMessage/onSignal/onStop) of one agent overlapped");
        assertEquals(watched + senders * perSender, probe.count(), "every message processed once");
        assertEquals(failures + 1, probe.starts(), "one start per instance");
        assertEquals(probe.starts(), probe.stops(), "one onStop per started instance");
    }

    // ------------------------------------------------------------------------------------ 1.2

    /**
     * Rule 1.2: plain (non-volatile) fields of the agent stay consistent although the agent thread
     * may change between callbacks, and what a sender wrote into a (deliberately mutable) int[]
     * before an accepted tell is visible to the handler. A runtime that loses the happens-before
     * edges, or runs two handlers at once, loses increments or sees stale array contents.
     */
    @Property(tries = 10)
    default void required_spec_1_2_callbacksAndSendsHappenBefore(
            @ForAll @IntRange(min = 1, max = 4) final int senders,
            @ForAll @IntRange(min = 1, max = 500) final int perSender) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final int total = senders * perSender;
        final AtomicInteger violations = new AtomicInteger();
        final CompletableFuture<long[]> seenByLastMessage = new CompletableFuture<>();
        final CompletableFuture<long[]> seenByOnStop = new CompletableFuture<>();
        final AgentRef<int[]> ref = rt.spawn(int[].class, () -> new Agent<int[]>() {
            private boolean started; // plain fields on purpose: rule 1.2 says they need nothing
            private long sum;
            private int count;
            private int[] lastSeen = new int[0];

            @Override
            public void onStart(final AgentContext<int[]> context) {
                started = true;
                lastSeen = new int[senders];
                java.util.Arrays.fill(lastSeen, -1);
            }

            @Override
            public void onMessage(final int[] message, final AgentContext<int[]> context) {
                if (!started || message[2] != message[0] * 31 + message[1] || message[1] <= lastSeen[message[0]]) {
                    violations.incrementAndGet();
                }
                lastSeen[message[0]] = message[1];
                sum += message[1];
                count++;
                if (count == total) {
                    seenByLastMessage.complete(new long[] {sum, count});
                }
            }

            @Override
            public void onStop(final AgentContext<int[]> context) {
                seenByOnStop.complete(new long[] {sum, count});
            }
        });
        final List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            futures.add(kit.fork(() -> {
                for (int i = 0; i < perSender; i++) {
                    final int[] message = new int[3]; // written before the tell, never after it
                    message[0] = sender;
                    message[1] = i;
                    message[2] = sender * 31 + i;
                    assertTrue(kit.tellPatiently(ref, message), "agent vanished (rule 1.2 check)");
                }
            }));
        }
        for (final Future<?> f : futures) {
            kit.join("a sender to send its " + perSender + " messages", f);
        }
        final long expectedSum = (long) senders * ((long) perSender * (perSender - 1) / 2);
        final long[] atLast = kit.await("the last message to be processed", seenByLastMessage);
        rt.stop(ref.id());
        final long[] atStop = kit.await("onStop", seenByOnStop);
        assertEquals(0, violations.get(), "rule 1.2: a handler saw a stale field or a stale message content");
        assertArrayEquals(new long[] {expectedSum, total}, atLast, "rule 1.2: plain fields lost updates between callbacks");
        assertArrayEquals(new long[] {expectedSum, total}, atStop, "rule 1.2: onStop did not see the fields the handlers wrote");
    }

    // ------------------------------------------------------------------------------------ 1.3

    @Example
    default void required_spec_1_3_factoryIsCalledOnTheAgentThreadOncePerInstance() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Thread caller = Thread.currentThread();
        final AtomicBoolean insideSpawn = new AtomicBoolean();
        final AtomicBoolean calledInsideSpawn = new AtomicBoolean();
        final AtomicInteger factoryCalls = new AtomicInteger();
        final AtomicInteger starts = new AtomicInteger();
        final Set<Object> instances = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        final AgentFactory<Integer> factory = () -> {
            factoryCalls.incrementAndGet();
            if (Thread.currentThread() == caller && insideSpawn.get()) {
                calledInsideSpawn.set(true);
            }
            final Agent<Integer> instance = new Agent<>() {
                private int handled;

                @Override
                public void onStart(final AgentContext<Integer> context) {
                    starts.incrementAndGet();
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                    handled++;
                    if (message < 0) {
                        throw new IllegalStateException("planned failure after " + handled + " (rule 1.3 check)");
                    }
                }
            };
            synchronized (instances) {
                instances.add(instance);
            }
            return instance;
        };
        insideSpawn.set(true);
        final AgentRef<Integer> ref;
        try {
            ref = rt.spawn(Integer.class, factory,
                    SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        } finally {
            insideSpawn.set(false);
        }
        assertFalse(calledInsideSpawn.get(), "rule 1.3: the factory ran inside spawn on the caller's thread, not on the agent thread");
        ref.tell(-1);
        ref.tell(-2);
        kit.await("three instances started (spawn + two restarts)", () -> starts.get() >= 3);
        assertEquals(3, factoryCalls.get(), "rule 1.3: the factory must be called once per instance: at spawn and at each restart");
        synchronized (instances) {
            assertEquals(3, instances.size(), "rule 1.3: every restart must use a fresh instance");
        }
    }

    @Example
    default void required_spec_1_3_aThrowingFactoryIsAStartFailure() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch watched = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            kit.awaitQuietly(watched); // so that the check holds whenTerminated before the agent can end
            throw new IllegalStateException("factory refuses (rule 1.3 check)");
        });
        final var terminated = rt.whenTerminated(ref.id());
        watched.countDown();
        assertEquals(TerminationCause.FAILED, kit.await("the agent whose factory throws to terminate", terminated),
                "rule 1.3/4.6: a throwing factory is a start failure; policy never stops it");
    }

    @Example
    default void required_spec_1_3_aNullFromTheFactoryIsAStartFailure() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CountDownLatch watched = new CountDownLatch(1);
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            kit.awaitQuietly(watched);
            return null;
        });
        final var terminated = rt.whenTerminated(ref.id());
        watched.countDown();
        assertEquals(TerminationCause.FAILED, kit.await("the agent whose factory returns null to terminate", terminated),
                "rule 1.3/4.6: a null instance is a start failure; policy never stops it");
    }

    /**
     * Rule 1.3: a factory that hands out its stateful instance again must not get it restarted. The
     * first failure restarts (onFailure allows one restart); the reused instance is a start failure,
     * which the policy no longer restarts, so the agent terminates FAILED and the reused instance
     * never gets a second onStart.
     */
    @Example
    default void required_spec_1_3_returningTheSameStatefulInstanceIsAStartFailure() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final AtomicInteger starts = new AtomicInteger();
        final AtomicInteger factoryCalls = new AtomicInteger();
        final Agent<Integer> only = new Agent<>() {
            private int handled; // state that must not survive a restart

            @Override
            public void onStart(final AgentContext<Integer> context) {
                starts.incrementAndGet();
            }

            @Override
            public void onMessage(final Integer message, final AgentContext<Integer> context) {
                handled++;
                throw new IllegalStateException("planned failure " + handled + " (rule 1.3 check)");
            }
        };
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            factoryCalls.incrementAndGet();
            return only;
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(1, Duration.ofMinutes(10), Backoff.NONE)));
        final var terminated = rt.whenTerminated(ref.id());
        ref.tell(1);
        assertEquals(TerminationCause.FAILED, kit.await("the agent to terminate", terminated),
                "rule 1.3: returning the previous stateful instance must be a start failure (and the policy has no restart left)");
        assertEquals(1, starts.get(), "rule 1.3: the reused stateful instance was started again");
        assertEquals(2, factoryCalls.get(), "rule 1.3: the restart must call the factory");
    }

    /**
     * Rule 1.3 (MAY): an instance without instance fields (a non-capturing lambda) carries no state
     * and may be returned again by the factory.
     */
    @Example
    default void optional_spec_1_3_aStatelessInstanceMayBeReturnedAgain() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Agent<Object> stateless = (message, context) -> {
            if (message instanceof CountDownLatch latch) {
                latch.countDown();
            } else {
                throw new IllegalStateException("planned failure (rule 1.3 check)");
            }
        };
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> stateless,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.onFailure(3, Duration.ofMinutes(10), Backoff.NONE)));
        final CountDownLatch processed = new CountDownLatch(1);
        ref.tell("fail");
        ref.tell(processed);
        kit.await("the restarted stateless instance to process a message", () -> processed.getCount() == 0);
        assertTrue(rt.state(ref.id()).isPresent(), "rule 1.3: reusing a stateless instance is allowed; the agent must live on");
    }

    // ------------------------------------------------------------------------------------ 1.4

    /**
     * Rule 1.4: the ref from spawn, the ref from the registry and {@code context.self()} expose
     * nothing of the instance: none is the instance or an {@link Agent}, no public method or field
     * of their classes yields an {@link Agent}, and their {@code toString} does not leak the
     * instance's.
     */
    @Example
    default void required_spec_1_4_refsExposeOnlyTheMailbox() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final String secret = "secret-state-" + UUID.randomUUID();
        final CompletableFuture<Agent<Integer>> instance = new CompletableFuture<>();
        final CompletableFuture<AgentRef<Integer>> self = new CompletableFuture<>();
        final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> {
            final Agent<Integer> agent = new Agent<>() {
                @Override
                public void onStart(final AgentContext<Integer> context) {
                    self.complete(context.self());
                }

                @Override
                public void onMessage(final Integer message, final AgentContext<Integer> context) {
                }

                @Override
                public String toString() {
                    return secret;
                }
            };
            instance.complete(agent);
            return agent;
        });
        final Agent<Integer> agent = kit.await("the instance", instance);
        final AgentRef<Integer> byRegistry = rt.ref(ref.id(), Integer.class)
                .orElseThrow(() -> new AssertionError("rule 8.1: registry has no ref for a live agent"));
        for (final AgentRef<Integer> handle : List.of(ref, byRegistry, kit.await("context.self()", self))) {
            assertEquals(ref.id(), handle.id());
            assertEquals(Integer.class, handle.messageType(), "rule 1.4: a ref exposes the message type");
            assertExposesNoInstance(handle, agent, secret);
        }
        for (final Method method : rt.getClass().getMethods()) {
            assertFalse(mentionsAgent(method.getGenericReturnType()),
                    "rule 1.4: the registry's public method " + method + " can hand out an Agent instance");
        }
    }

    /**
     * Rule 1.4 (0.3): the context is not a ref. None of the handles to an agent (the ref spawn
     * returns, the ref {@code context.self()} returns, called here from the kit's thread as any
     * thread may, and the ref the registry returns) is an {@link AgentContext} or an {@link Agent}:
     * a cast could otherwise open the agent's inside ({@code stop}, {@code subscribe},
     * {@code runtime}, its timers) to any holder of a ref.
     */
    @Example
    default void required_spec_1_4_noRefIsAContextOrAnAgent() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<AgentContext<Object>> context = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> spawned = rt.spawn(Object.class, () -> escaping(context, received));
        final AgentContext<Object> ctx = escapedContext(kit, spawned, context, received);
        final AgentRef<Object> self = ctx.self();
        assertEquals(spawned.id(), self.id(), "rule 1.4: context.self(), called from another thread (any thread may),"
                + " must be the agent's own ref");
        final AgentRef<Object> byRegistry = rt.ref(spawned.id(), Object.class)
                .orElseThrow(() -> new AssertionError("rule 8.1: registry has no ref for a live agent"));
        final List<Object> handles = List.of(spawned, self, byRegistry);
        final List<String> names = List.of("spawn returned", "context.self() returned", "registry.ref(...) returned");
        for (int i = 0; i < handles.size(); i++) {
            final Object handle = handles.get(i);
            assertFalse(handle instanceof AgentContext, "rule 1.4: the ref " + names.get(i) + " ("
                    + handle.getClass().getName() + ") is an AgentContext: cast, it hands the agent's inside to any thread");
            assertFalse(handle instanceof Agent, "rule 1.4: the ref " + names.get(i) + " ("
                    + handle.getClass().getName() + ") is an Agent");
            assertNotSame(ctx, handle, "rule 1.4: the ref " + names.get(i) + " is the context itself");
        }
    }

    /**
     * Rule 1.4 (0.3): a context used from a thread that is not running one of its agent's
     * callbacks (here the kit's thread, after {@code onStart}, which handed the context out, has
     * returned) throws {@link IllegalStateException} from every method but {@code self()}, and
     * does nothing: the refused {@code stop()} stops nothing, the refused {@code pipeToSelf}
     * delivers nothing.
     */
    @Example
    default void required_spec_1_4_aContextUsedOffItsAgentThreadThrowsAndStopsNothing() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<AgentContext<Object>> context = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> escaping(context, received));
        final AgentContext<Object> ctx = escapedContext(kit, ref, context, received);
        final String piped = "piped-" + UUID.randomUUID();
        assertRefusedOffTheAgentThread("runtime", ctx::runtime);
        assertRefusedOffTheAgentThread("restartCount", ctx::restartCount);
        assertRefusedOffTheAgentThread("pipeToSelf",
                () -> ctx.pipeToSelf(CompletableFuture.completedFuture(piped), (value, failure) -> value));
        if (kit.has(Capability.TIMERS)) {
            assertRefusedOffTheAgentThread("timers", ctx::timers);
        }
        assertRefusedOffTheAgentThread("stop", ctx::stop);
        final String after = "after-" + UUID.randomUUID();
        try {
            ref.tell(after);
        } catch (AgentNotFoundException e) {
            throw new AssertionError("rule 1.4: context.stop() called from outside the agent threw, but stopped the"
                    + " agent all the same: a tell after it was refused (" + e + ")", e);
        }
        kit.await("rule 1.4: the agent to go on processing after a refused context.stop() from outside",
                () -> received.contains(after));
        assertEquals(Optional.of(AgentState.RUNNING), rt.state(ref.id()),
                "rule 1.4: a refused context.stop() from outside must leave the agent running");
        kit.expectNothing("rule 1.4: a refused context.pipeToSelf() from outside delivered its message",
                () -> received.contains(piped));
    }

    /**
     * Rule 1.4 (0.3): a context used from outside its agent, here from another agent's callback,
     * is refused there too: being on some agent's thread is not enough.
     */
    @Example
    default void required_spec_1_4_anotherAgentCannotUseAContext() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<AgentContext<Object>> context = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> owner = rt.spawn(Object.class, () -> escaping(context, received));
        final AgentContext<Object> ctx = escapedContext(kit, owner, context, received);
        final CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        final Recorder<String> other = kit.recorder(String.class).behave((m, own) -> {
            try {
                ctx.stop();
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(t);
            }
        });
        other.ref().tell("use the other agent's context");
        final Throwable thrown = kit.await("another agent to use the escaped context", outcome);
        assertTrue(thrown instanceof IllegalStateException, "rule 1.4: context.stop() called from another agent's"
                + " callback must throw IllegalStateException, got " + thrown);
        final String after = "after-" + UUID.randomUUID();
        try {
            owner.tell(after);
        } catch (AgentNotFoundException e) {
            throw new AssertionError("rule 1.4: another agent's refused context.stop() stopped the agent", e);
        }
        kit.await("rule 1.4: the agent to go on processing after another agent's refused stop()",
                () -> received.contains(after));
    }

    /**
     * Rule 1.4 (0.3): {@code subscribe} and {@code unsubscribe} on a context used from the kit's
     * thread throw {@link IllegalStateException} and subscribe nothing.
     */
    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_1_4_aContextUsedOffItsAgentThreadSubscribesNothing() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<AgentContext<Object>> context = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> escaping(context, received));
        final AgentContext<Object> ctx = escapedContext(kit, ref, context, received);
        final Topic<Object> topic = Topic.of("rule-1.4-" + UUID.randomUUID(), Object.class);
        assertRefusedOffTheAgentThread("subscribe", () -> ctx.subscribe(topic));
        assertEquals(0, rt.subscriberCount(topic), "rule 1.4: a refused context.subscribe() from outside subscribed the agent");
        final String event = "event-" + UUID.randomUUID();
        assertEquals(0, rt.publish(topic, event), "rule 1.4: a refused context.subscribe() from outside subscribed the agent");
        rt.subscribe(topic, ref); // through the registry, which any thread may use (rule 8.5)
        assertRefusedOffTheAgentThread("unsubscribe", () -> ctx.unsubscribe(topic));
        assertEquals(1, rt.subscriberCount(topic), "rule 1.4: a refused context.unsubscribe() from outside unsubscribed the agent");
        kit.expectNothing("rule 1.4: an event published while the refused subscribe() stood arrived",
                () -> received.contains(event));
    }

    /**
     * Rule 1.4 (0.3): {@code watch} on a context used from the kit's thread throws
     * {@link IllegalStateException} and watches nothing: the target's termination sends no signal.
     */
    @Example
    @RequiresCapability(Capability.DEATH_WATCH)
    default void required_spec_1_4_aContextUsedOffItsAgentThreadWatchesNothing() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final CompletableFuture<AgentContext<Object>> context = new CompletableFuture<>();
        final ConcurrentLinkedQueue<Object> received = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> escaping(context, received));
        final AgentContext<Object> ctx = escapedContext(kit, ref, context, received);
        final Recorder<String> target = kit.recorder(String.class);
        assertRefusedOffTheAgentThread("watch", () -> ctx.watch(target.id()));
        assertRefusedOffTheAgentThread("unwatch", () -> ctx.unwatch(target.id()));
        kit.await("the watched agent to terminate", rt.stop(target.id()));
        kit.expectNothing("rule 1.4: a refused context.watch() from outside delivered a Terminated signal",
                () -> received.stream().anyMatch(m -> m instanceof Signal));
    }

    /**
     * An agent that hands its context out from {@code onStart} and records every message and
     * signal it receives. The records are shared with the kit on purpose; agents under test never
     * do this.
     */
    private static Agent<Object> escaping(final CompletableFuture<AgentContext<Object>> context,
                                          final ConcurrentLinkedQueue<Object> received) {
        return new Agent<>() {
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
        };
    }

    /**
     * @return the context {@link #escaping} handed out, once {@code onStart} has returned: a
     *         message sent after it has been processed (rule 3.2), so no callback that received the
     *         context is running any more
     */
    private static AgentContext<Object> escapedContext(final Kit kit, final AgentRef<Object> ref,
                                                       final CompletableFuture<AgentContext<Object>> context,
                                                       final ConcurrentLinkedQueue<Object> received) {
        final AgentContext<Object> ctx = kit.await("onStart to hand out its context", context);
        final String marker = "onStart returned " + UUID.randomUUID();
        ref.tell(marker);
        kit.await("a message after onStart to be processed", () -> received.contains(marker));
        received.clear();
        return ctx;
    }

    /** A context method called off its agent thread must throw IllegalStateException (rule 1.4). */
    private static void assertRefusedOffTheAgentThread(final String method, final Runnable call) {
        try {
            call.run();
        } catch (IllegalStateException expected) {
            return;
        } catch (RuntimeException other) {
            throw new AssertionError("rule 1.4: context." + method + "() called on a thread that is not running the"
                    + " agent's callback must throw IllegalStateException, threw " + other, other);
        }
        throw new AssertionError("rule 1.4: context." + method + "() called on a thread that is not running the agent's"
                + " callback returned normally; it must throw IllegalStateException and do nothing");
    }

    private static void assertExposesNoInstance(final Object handle, final Agent<?> instance, final String secret) {
        assertNotSame(instance, handle, "rule 1.4: the ref is the instance itself");
        assertFalse(handle instanceof Agent, "rule 1.4: the ref " + handle.getClass().getName() + " is an Agent");
        for (final Method method : handle.getClass().getMethods()) {
            assertFalse(mentionsAgent(method.getGenericReturnType()),
                    "rule 1.4: the ref's public method " + method + " can hand out an Agent instance");
        }
        for (final Field field : handle.getClass().getFields()) {
            assertFalse(mentionsAgent(field.getGenericType()),
                    "rule 1.4: the ref's public field " + field + " can hold an Agent instance");
        }
        assertFalse(String.valueOf(handle).contains(secret), "rule 1.4: the ref's toString leaks the instance");
    }

    private static boolean mentionsAgent(final Type type) {
        if (type instanceof Class<?> cls) {
            return Agent.class.isAssignableFrom(cls) || (cls.isArray() && mentionsAgent(cls.getComponentType()));
        }
        if (type instanceof ParameterizedType p) {
            if (mentionsAgent(p.getRawType())) {
                return true;
            }
            for (final Type arg : p.getActualTypeArguments()) {
                if (mentionsAgent(arg)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof WildcardType w) {
            for (final Type bound : w.getUpperBounds()) {
                if (mentionsAgent(bound)) {
                    return true;
                }
            }
            return false;
        }
        if (type instanceof GenericArrayType g) {
            return mentionsAgent(g.getGenericComponentType());
        }
        if (type instanceof TypeVariable<?> v) {
            for (final Type bound : v.getBounds()) {
                if (bound != Object.class && mentionsAgent(bound)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------ 1.5

    @Example
    default void required_spec_1_5_theVeryReferenceIsDelivered() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<Object> probe = kit.recorder(Object.class);
        final String byTell = new String("by tell");
        final String bySend = new String("by send");
        probe.ref().tell(byTell);
        rt.send(probe.id(), bySend);
        final AtomicBoolean requestCarriedReply = new AtomicBoolean();
        probe.behave((m, ctx) -> {
            if (m instanceof Reply<?> reply) {
                @SuppressWarnings("unchecked")
                final Reply<Object> r = (Reply<Object>) reply;
                requestCarriedReply.set(true);
                r.reply(m);
            }
        });
        final Object[] request = new Object[1];
        final Object answer = kit.await("the ask's reply", probe.ref().<Object>ask(reply -> {
            request[0] = reply;
            return reply;
        }, kit.waitLimit()));
        probe.awaitCount(3);
        final List<Object> seen = probe.messages();
        assertSame(byTell, seen.get(0), "rule 1.5: tell must deliver the very reference sent, not a copy");
        assertSame(bySend, seen.get(1), "rule 1.5: send by id must deliver the very reference sent, not a copy");
        assertSame(request[0], seen.get(2), "rule 1.5: an ask's request must be delivered as built, not a copy");
        assertTrue(requestCarriedReply.get());
        assertSame(request[0], answer);
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_1_5_aDeadLetterCarriesTheVeryReference() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Recorder<DeadLetter> dead = kit.recorder(rt, DeadLetter.class, SpawnOptions.defaults().withMailboxCapacity(64));
        rt.subscribe(SystemTopics.DEAD_LETTERS, dead.ref());
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final Recorder<Object> probe = kit.recorder(Object.class).behave((m, ctx) -> {
            if ("block".equals(m)) {
                entered.countDown();
                gate.await(kit.holdLimit().toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("planned failure (rule 1.5 check)");
            }
        });
        probe.ref().tell("block");
        kit.awaitLatch("the probe to enter its handler", entered);
        final String leftover = new String("left over");
        probe.ref().tell(leftover);
        gate.countDown();
        kit.await("the leftover to be dead-lettered", () -> dead.messages().stream().anyMatch(d -> d.recipient().equals(probe.id())));
        final DeadLetter letter = dead.messages().stream().filter(d -> d.recipient().equals(probe.id())).findFirst().orElseThrow();
        assertSame(leftover, letter.message(), "rule 1.5: a dead letter must carry the very reference sent");
    }

    /**
     * Rule 1.5: the runtime does not retain a message after processing it, nor after dead-lettering
     * it (nobody listens on DEAD_LETTERS here). Checked with weak references and {@code System.gc()};
     * a JVM run with {@code -XX:+DisableExplicitGC} cannot pass this check.
     */
    @Example
    default void required_spec_1_5_messagesAreNotRetainedAfterProcessingOrDeadLettering() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final AtomicInteger processed = new AtomicInteger();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final AgentRef<Object> ref = rt.spawn(Object.class, () -> (message, context) -> {
            if (message instanceof CountDownLatch) {
                entered.countDown();
                gate.await(kit.holdLimit().toMillis(), TimeUnit.MILLISECONDS);
                throw new IllegalStateException("planned failure (rule 1.5 check)");
            }
            processed.incrementAndGet();
        });
        final List<WeakReference<Object>> processedOnes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            processedOnes.add(sendFresh(ref));
        }
        kit.await("8 messages processed", () -> processed.get() == 8);
        ref.tell(new CountDownLatch(0));
        kit.awaitLatch("the agent to enter its handler", entered);
        final List<WeakReference<Object>> deadOnes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            deadOnes.add(sendFresh(ref));
        }
        final var terminated = rt.whenTerminated(ref.id());
        gate.countDown();
        kit.await("the agent to fail and terminate", terminated);
        kit.await("rule 1.5: processed and dead-lettered messages to be collectable (the runtime must not retain them)", () -> {
            System.gc();
            return processedOnes.stream().allMatch(w -> w.get() == null) && deadOnes.stream().allMatch(w -> w.get() == null);
        });
    }

    private static WeakReference<Object> sendFresh(final AgentRef<Object> ref) {
        final Object message = new int[] {42};
        ref.tell(message);
        return new WeakReference<>(message);
    }

    // ------------------------------------------------------------------------------------ 1.6

    /**
     * Rule 1.6 (SHOULD): while one agent's handler blocks, other agents keep processing. Only
     * meaningful with a dispatcher of more than one thread; the API does not tell the dispatcher's
     * size, so on a JVM that sees a single CPU the check is skipped rather than judged.
     */
    @Example
    @RequiresCapability(Capability.INDEPENDENT_PROGRESS)
    default void optional_spec_1_6_aBlockedAgentDoesNotStallOthers() {
        if (Runtime.getRuntime().availableProcessors() < 2) {
            throw new org.opentest4j.TestAbortedException("untested here: rule 1.6 is about dispatchers of more than one"
                    + " thread, and this JVM sees a single CPU (a default dispatcher is likely single-threaded)");
        }
        final Kit kit = kit();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate = new CountDownLatch(1);
        final Recorder<Integer> blocked = kit.recorder(Integer.class).behave((m, ctx) -> {
            entered.countDown();
            gate.await(kit.holdLimit().toMillis(), TimeUnit.MILLISECONDS);
        });
        try {
            blocked.ref().tell(0);
            kit.awaitLatch("the blocking agent to enter its handler", entered);
            final List<Recorder<Integer>> others = new ArrayList<>();
            for (int a = 0; a < 3; a++) {
                others.add(kit.recorder(Integer.class));
            }
            for (int i = 0; i < 50; i++) {
                for (final Recorder<Integer> other : others) {
                    other.ref().tell(i);
                }
            }
            for (final Recorder<Integer> other : others) {
                kit.await("rule 1.6: another agent to progress while one handler blocks", () -> other.count() == 50);
            }
        } finally {
            gate.countDown();
        }
    }

    // ------------------------------------------------------------------------------------ helpers

}
