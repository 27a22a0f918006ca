package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.conformance.AskRules.AskReq;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.jqwik.api.Example;

/**
 * Checks of section 8 of {@code docs/spec.md}: Registry and runtime. One method or more per rule,
 * named {@code required_spec_8_M_...} (MUST), {@code optional_spec_8_M_...} (SHOULD/MAY) or
 * {@code untested_spec_8_M_...} (not checkable yet: always reported as skipped).
 *
 * <p>Shutdown checks (8.6, 8.7) shut down a runtime of their own, made with
 * {@link Kit#newRuntime()}.
 */
public interface RegistryRules extends KitSupport {

    // =========================================================================== helpers

    /** Runs a task on a kit thread and returns its future (the kit's {@code fork} takes Runnables only). */
    private static <T> Future<T> submit(final Kit kit, final java.util.concurrent.Callable<T> task) {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final var unused = kit.fork(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    private static RuntimeException stopped(final Runnable action) {
        return assertThrows(RuntimeStoppedException.class, action::run);
    }

    // =========================================================================== 8.1

    @Example
    default void required_spec_8_1_spawnReturnsAtOnceWithATypedRefAndAFreshId() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Gate gate = new Gate(kit);
        final AgentRef<Integer> ref = kit.within("spawn while the factory is still running", () ->
                rt.spawn(Integer.class, () -> {
                    try {
                        gate.hold();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return (m, ctx) -> { };
                }));
        try {
            gate.awaitEntered();
            assertEquals(Integer.class, ref.messageType(), "the ref carries the declared message type");
            assertEquals(Optional.of(AgentState.STARTING), rt.state(ref.id()),
                    "an agent whose factory is still running is STARTING");
        } finally {
            gate.release();
        }
        kit.await("the agent to be RUNNING", () -> rt.state(ref.id()).orElse(null) == AgentState.RUNNING);
        assertEquals(ref.id(), rt.ref(ref.id(), Integer.class).map(AgentRef::id).orElse(null),
                "ref(id, declared type) finds the agent");
        assertTrue(rt.ref(ref.id(), String.class).isEmpty(), "ref(id, another type) is empty");

        final Set<AgentId> ids = new HashSet<>();
        ids.add(ref.id());
        for (int i = 0; i < 20; i++) {
            final AgentRef<String> other = rt.spawn(String.class, () -> (m, ctx) -> { });
            assertTrue(ids.add(other.id()), "spawn returned an id already given: " + other.id());
            if (i % 2 == 0) {
                rt.stop(other.id());
            }
        }
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(ref.id());
        rt.stop(ref.id());
        assertEquals(TerminationCause.STOPPED, kit.await("the agent to terminate", terminated));
        assertEquals(Optional.empty(), rt.state(ref.id()), "state(id) is empty once the agent terminated");
        for (int i = 0; i < 5; i++) {
            assertTrue(ids.add(rt.spawn(String.class, () -> (m, ctx) -> { }).id()), "an id was given twice");
        }
    }

    /**
     * Rule 8.1 *(0.6)*: {@code ref(id, type)} gives a ref only for exactly the message type declared
     * at spawn. A supertype would make a ref whose {@code tell} takes what the agent does not accept;
     * a subtype would claim a narrower protocol than the agent declared.
     */
    @Example
    default void required_spec_8_1_refNeedsExactlyTheDeclaredMessageType() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final AgentRef<Integer> ints = rt.spawn(Integer.class, () -> (m, ctx) -> { });
        final AgentRef<Number> numbers = rt.spawn(Number.class, () -> (m, ctx) -> { });
        assertEquals(Optional.of(ints.id()), rt.ref(ints.id(), Integer.class).map(AgentRef::id),
                "rule 8.1: spawned " + ints.id() + " with Integer messages; ref(id, Integer.class) must find it");
        assertEquals(Optional.of(numbers.id()), rt.ref(numbers.id(), Number.class).map(AgentRef::id),
                "rule 8.1: spawned " + numbers.id() + " with Number messages; ref(id, Number.class) must find it");
        for (final Class<?> wrong : List.of(Object.class, Number.class, Comparable.class, String.class)) {
            assertExactTypeRefused(rt.ref(ints.id(), wrong), "ref(" + ints.id() + ", " + wrong.getSimpleName()
                    + ".class) of an agent spawned with Integer messages");
        }
        for (final Class<?> wrong : List.of(Object.class, Integer.class)) {
            assertExactTypeRefused(rt.ref(numbers.id(), wrong), "ref(" + numbers.id() + ", " + wrong.getSimpleName()
                    + ".class) of an agent spawned with Number messages");
        }
    }

    /**
     * Rule 8.1 *(0.6)*, through the typed {@code lookup(name, type)}: it finds the named agent only
     * under exactly its declared message type, as {@code ref(id, type)}.
     */
    @Example
    @RequiresCapability(Capability.NAMED_AGENTS)
    default void required_spec_8_1_typedLookupNeedsExactlyTheDeclaredMessageType() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final String name = "kit.typed-lookup";
        final AgentRef<Integer> ints = rt.spawn(Integer.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withName(name));
        assertEquals(Optional.of(ints.id()), rt.lookup(name, Integer.class).map(AgentRef::id),
                "rule 8.1: spawned '" + name + "' (" + ints.id() + ") with Integer messages; lookup(name, Integer.class)"
                        + " must find it");
        for (final Class<?> wrong : List.of(Object.class, Number.class, Comparable.class, String.class)) {
            assertExactTypeRefused(rt.lookup(name, wrong), "lookup(\"" + name + "\", " + wrong.getSimpleName()
                    + ".class) of an agent spawned with Integer messages");
        }
    }

    private static void assertExactTypeRefused(final Optional<? extends AgentRef<?>> found, final String call) {
        assertTrue(found.isEmpty(), () -> "rule 8.1: " + call + " must be empty (only the declared message type gives"
                + " a typed ref), but returned a ref to " + found.get().id() + " declaring "
                + found.get().messageType().getSimpleName());
    }

    // =========================================================================== 8.2

    @Example
    @RequiresCapability(Capability.NAMED_AGENTS)
    default void required_spec_8_2_aNameBelongsToOneLiveAgent() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final String name = "kit.unique";
        final AgentRef<String> first = rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name));
        assertEquals(Optional.of(first.id()), rt.lookup(name), "lookup finds the live agent by name");
        assertEquals(Optional.empty(), rt.lookup("kit.nobody"));
        assertThrows(DuplicateAgentNameException.class,
                () -> rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name)),
                "a second live agent must not get the same name");
        assertEquals(Optional.of(first.id()), rt.lookup(name), "a refused spawn does not take the name");
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(first.id());
        rt.stop(first.id());
        kit.await("the named agent to terminate", terminated);
        assertEquals(Optional.empty(), rt.lookup(name), "lookup must not find a terminated agent");
        final AgentRef<String> second = rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name));
        assertNotEquals(first.id(), second.id());
        assertEquals(Optional.of(second.id()), rt.lookup(name), "the name is free again once its agent terminated");
    }

    /**
     * Rule 8.2 *(0.6)*: an agent holds its name until it is TERMINATED, not until its stop is
     * requested. The agent is held in {@code SHUTTING_DOWN} by an {@code onStop} that waits for the
     * check (a {@link Gate}: only the check's thread needs to run meanwhile, so this works on event
     * loops and pinned threads too): a spawn under its name must fail and {@code lookup} must still
     * find it; once it terminated, the spawn succeeds.
     */
    @Example
    @RequiresCapability(Capability.NAMED_AGENTS)
    default void required_spec_8_2_aStoppingAgentKeepsItsNameUntilTerminated() {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final String name = "kit.stopping";
        final Gate inOnStop = new Gate(kit);
        final AgentRef<String> first = rt.spawn(String.class, () -> new Agent<String>() {
            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
                // nothing: the check holds the agent in onStop
            }

            @Override
            public void onStop(final AgentContext<String> context) throws InterruptedException {
                inOnStop.hold();
            }
        }, SpawnOptions.defaults().withName(name));
        kit.await("the named agent " + first.id() + " to be RUNNING",
                () -> rt.state(first.id()).orElse(null) == AgentState.RUNNING);
        final CompletionStage<TerminationCause> terminated;
        try {
            terminated = rt.stop(first.id());
            inOnStop.awaitEntered();
            kit.await("the named agent " + first.id() + ", held in onStop, to be SHUTTING_DOWN",
                    () -> rt.state(first.id()).orElse(null) == AgentState.SHUTTING_DOWN);
            final String during = "while '" + name + "' (" + first.id() + ") is SHUTTING_DOWN (stop requested, onStop"
                    + " still running)";
            Optional<AgentId> second = Optional.empty();
            try {
                second = Optional.of(rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name))
                        .id());
            } catch (DuplicateAgentNameException expected) {
                // the name is still taken
            }
            assertEquals(Optional.empty(), second, "rule 8.2: " + during + " the kit spawned another agent named '"
                    + name + "': expected DuplicateAgentNameException (the name is free again only once its agent"
                    + " terminated), but the spawn returned the agent shown");
            assertEquals(Optional.of(first.id()), rt.lookup(name), "rule 8.2: " + during + " lookup(\"" + name
                    + "\") must still find it");
        } finally {
            inOnStop.release();
        }
        assertEquals(TerminationCause.STOPPED, kit.await("the named agent " + first.id() + " to terminate", terminated));
        final AgentRef<String> next = rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name));
        assertNotEquals(first.id(), next.id());
        assertEquals(Optional.of(next.id()), rt.lookup(name),
                "rule 8.2: once " + first.id() + " terminated, its name '" + name + "' belongs to the agent spawned next");
    }

    @Example
    @RequiresCapability(Capability.NAMED_AGENTS)
    default void required_spec_8_2_concurrentSpawnsOfOneNameHaveOneWinner() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final int racers = 3;
        for (int round = 0; round < 10; round++) {
            final String name = "kit.race-" + round;
            final CyclicBarrier start = new CyclicBarrier(racers);
            final List<Future<AgentId>> futures = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                futures.add(submit(kit, () -> {
                    start.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                    try {
                        return rt.spawn(String.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName(name)).id();
                    } catch (DuplicateAgentNameException e) {
                        return null;
                    }
                }));
            }
            final List<AgentId> winners = new ArrayList<>();
            for (final Future<AgentId> f : futures) {
                final AgentId id = kit.join("a racing spawn", f);
                if (id != null) {
                    winners.add(id);
                }
            }
            assertEquals(1, winners.size(), "exactly one of the racing spawns of '" + name + "' may win: " + winners);
            assertEquals(Optional.of(winners.get(0)), rt.lookup(name));
        }
    }

    // =========================================================================== 8.3

    @Example
    default void required_spec_8_3_countersAccountForEveryMessageAndAgent() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final RuntimeCounters c0 = rt.counters();

        // a: fills up, refuses one send, fails with RestartPolicy.never(): its mailbox is dead-lettered
        final Gate gate = new Gate(kit);
        final Recorder<Object> a = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(2));
        a.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
                throw new IllegalStateException("planned failure");
            }
        });
        final int ca = rt.mailboxCapacity(a.id());
        final CompletionStage<TerminationCause> aGone = rt.whenTerminated(a.id());
        try {
            a.ref().tell("hold");
            gate.awaitEntered();
            for (int i = 0; i < ca; i++) {
                a.ref().tell("queued " + i);
            }
            assertThrows(MailboxFullException.class, () -> a.ref().tell("one too many"));
        } finally {
            gate.release();
        }
        assertEquals(TerminationCause.FAILED, kit.await("a to stop after its failure", aGone));

        // b: processes three messages, stops, then refuses a send
        final Recorder<Object> b = kit.recorder(Object.class);
        for (int i = 0; i < 3; i++) {
            b.ref().tell(i);
        }
        final CompletionStage<TerminationCause> bGone = rt.whenTerminated(b.id());
        rt.stop(b.id());
        kit.await("b to terminate", bGone);
        assertThrows(AgentNotFoundException.class, () -> b.ref().tell(4));

        // r: fails once and is restarted
        final Recorder<Object> r = kit.recorder(rt, Object.class,
                SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        r.behave((m, ctx) -> {
            if ("boom".equals(m)) {
                throw new IllegalStateException("planned failure");
            }
        });
        r.ref().tell("boom");
        r.ref().tell("after");
        r.awaitCount(2);

        // t: replies twice to one ask
        final AgentRef<AskReq> t = rt.spawn(AskReq.class, () -> (m, ctx) -> {
            m.reply().reply(1);
            m.reply().reply(2);
        });
        assertEquals(1, (int) kit.await("the ask", t.<Integer>ask(rq -> new AskReq(0, rq), AskRules.LONG)));

        final List<CompletionStage<TerminationCause>> rest = List.of(rt.whenTerminated(r.id()), rt.whenTerminated(t.id()));
        rt.stop(r.id());
        rt.stop(t.id());
        for (final CompletionStage<TerminationCause> gone : rest) {
            kit.await("every agent to terminate", gone);
        }
        kit.await("the late reply to be counted", () -> rt.counters().lateReplies() > c0.lateReplies());

        final RuntimeCounters c = rt.counters();
        assertEquals(4, c.spawned() - c0.spawned(), "spawned");
        assertEquals(4, c.terminated() - c0.terminated(), "terminated");
        assertEquals(c.spawned(), c.alive() + c.terminated(), "spawned == alive + terminated");
        assertEquals(1 + ca + 3 + 2 + 1, c.accepted() - c0.accepted(), "accepted");
        assertEquals(1 + 3 + 2 + 1, c.processed() - c0.processed(), "processed");
        assertEquals(ca, c.deadLetters() - c0.deadLetters(), "deadLetters");
        assertEquals(0, c.staleTimerMessages() - c0.staleTimerMessages(), "staleTimerMessages");
        assertEquals(0, c.queued(), "queued");
        assertEquals(2, c.failures() - c0.failures(), "failures");
        assertEquals(1, c.restarts() - c0.restarts(), "restarts");
        assertEquals(1, c.rejectedFull() - c0.rejectedFull(), "rejectedFull");
        assertEquals(1, c.rejectedNotFound() - c0.rejectedNotFound(), "rejectedNotFound");
        assertEquals(1, c.lateReplies() - c0.lateReplies(), "lateReplies");
        assertEquals(0, c.droppedEvents() - c0.droppedEvents(), "droppedEvents");
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(),
                "accepted == processed + deadLetters + staleTimerMessages + queued");
    }

    // =========================================================================== 8.4

    @Example
    default void required_spec_8_4_mailboxDepthCountsWaitingMessagesFromAnyThread() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Gate gate = new Gate(kit);
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(16));
        probe.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
            }
        });
        final CompletableFuture<Integer> fromAgent = new CompletableFuture<>();
        final Recorder<Object> reader = kit.recorder(Object.class);
        reader.behave((m, ctx) -> fromAgent.complete(ctx.runtime().mailboxDepth(probe.id())));
        try {
            probe.ref().tell("hold");
            gate.awaitEntered();
            assertEquals(0, rt.mailboxDepth(probe.id()), "the message being processed is out of the mailbox");
            for (int i = 0; i < 5; i++) {
                probe.ref().tell(i);
            }
            assertEquals(5, rt.mailboxDepth(probe.id()), "five accepted messages wait");
            assertEquals(5, (int) kit.within("mailboxDepth from another thread", () -> rt.mailboxDepth(probe.id())));
            if (kit.has(Capability.INDEPENDENT_PROGRESS)) { // the reader must run while the probe holds its thread
                reader.ref().tell("read");
                assertEquals(5, kit.await("mailboxDepth read by another agent", fromAgent));
            }
        } finally {
            gate.release();
        }
        probe.awaitCount(6);
        kit.await("the mailbox to be empty", () -> rt.mailboxDepth(probe.id()) == 0);

        // readers racing senders and the agent always see a value within [0, capacity]
        final int capacity = rt.mailboxCapacity(probe.id());
        final AtomicInteger outOfRange = new AtomicInteger(-1);
        final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        final Future<?> watcher = kit.fork(() -> {
            while (!done.get()) {
                final int depth = rt.mailboxDepth(probe.id());
                if (depth < 0 || depth > capacity) {
                    outOfRange.set(depth);
                }
            }
        });
        int sent = 0;
        for (int i = 0; i < 500; i++) {
            try {
                probe.ref().tell(i);
                sent++;
            } catch (MailboxFullException full) {
                Thread.onSpinWait();
            }
        }
        probe.awaitCount(6 + sent);
        done.set(true);
        kit.join("the depth watcher", watcher);
        assertEquals(-1, outOfRange.get(), "mailboxDepth returned " + outOfRange.get() + ", capacity " + capacity);
    }

    // =========================================================================== 8.5

    @Example
    default void required_spec_8_5_operationsOnABusyAgentNeverBlock() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Gate gate = new Gate(kit);
        final Recorder<Object> busy = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(64));
        busy.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
            }
        });
        try {
            busy.ref().tell("hold");
            gate.awaitEntered();
            kit.within("registry and broker calls about an agent that is inside a callback", () -> {
                busy.ref().tell("tell");
                rt.send(busy.id(), "send");
                busy.ref().ask(r -> "ask", Duration.ofMillis(200));
                rt.state(busy.id());
                rt.mailboxDepth(busy.id());
                rt.mailboxCapacity(busy.id());
                rt.ref(busy.id(), Object.class);
                rt.lookup("kit.nobody");
                rt.counters();
                rt.whenTerminated(busy.id());
                rt.spawn(String.class, () -> (m, ctx) -> { });
                if (kit.has(Capability.PAUSE)) {
                    rt.pause(busy.id());
                    rt.resume(busy.id());
                }
                if (kit.has(Capability.PUBSUB)) {
                    final Topic<String> topic = Topic.of("kit.busy", String.class);
                    rt.subscribe(topic, busy.ref());
                    rt.publish(topic, "event");
                    rt.subscriberCount(topic);
                    rt.unsubscribe(topic, busy.id());
                }
                rt.stop(busy.id());
                return null;
            });
        } finally {
            gate.release();
        }
        kit.await("the busy agent to terminate", rt.whenTerminated(busy.id()));
    }

    @Example
    default void required_spec_8_5_registryIsUsableFromInsideAgents() {
        final Kit kit = kit();
        final ConcurrentLinkedQueue<Object> childGot = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Map<String, Object>> results = new CompletableFuture<>();
        final Recorder<Object> parent = kit.recorder(Object.class);
        parent.behave((m, ctx) -> {
            if ("go".equals(m)) {
                final Map<String, Object> out = new ConcurrentHashMap<>();
                final AgentRuntime inside = ctx.runtime();
                final SpawnOptions options = kit.has(Capability.NAMED_AGENTS)
                        ? SpawnOptions.defaults().withName("kit.child") : SpawnOptions.defaults();
                final AgentRef<AskReq> child = inside.spawn(AskReq.class, () -> (q, c) -> {
                    childGot.add(q.n());
                    if (q.reply() != null) {
                        q.reply().reply(q.n() + 1);
                    }
                }, options);
                out.put("child", child.id());
                inside.send(child.id(), new AskReq(1, null));
                child.tell(new AskReq(2, null));
                out.put("ref", inside.ref(child.id(), AskReq.class).isPresent());
                out.put("lookup", kit.has(Capability.NAMED_AGENTS) ? inside.lookup("kit.child").orElse(null) : child.id());
                out.put("depth", inside.mailboxDepth(child.id()));
                out.put("capacity", inside.mailboxCapacity(child.id()));
                out.put("state", inside.state(child.id()).isPresent());
                out.put("counters", inside.counters());
                ctx.pipeToSelf(child.<Integer>ask(r -> new AskReq(3, r), AskRules.LONG), (v, t) -> "answer " + v);
                results.complete(out);
            } else if ("answer 4".equals(m)) {
                ctx.pipeToSelf(ctx.runtime().whenTerminated(((AgentId) results.join().get("child"))),
                        (cause, t) -> "child " + cause);
                ctx.runtime().stop((AgentId) results.join().get("child"));
            }
        });
        parent.ref().tell("go");
        final Map<String, Object> out = kit.await("the parent's registry calls", results);
        final AgentId child = (AgentId) out.get("child");
        assertEquals(true, out.get("ref"));
        assertEquals(child, out.get("lookup"));
        assertEquals(true, out.get("state"));
        assertTrue((Integer) out.get("capacity") >= 1);
        kit.await("the parent to get the child's answer and its termination",
                () -> parent.messages().contains("child " + TerminationCause.STOPPED));
        assertEquals(List.of(1, 2, 3), new ArrayList<>(childGot), "the child processed what the parent sent, in order");
    }

    @Example
    default void required_spec_8_5_concurrentSpawnsSendsAndStopsFromManyThreads() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final RuntimeCounters c0 = rt.counters();
        final int threads = 3;
        final int agentsEach = 30;
        final int messagesEach = 10;
        final AtomicInteger processed = new AtomicInteger();
        final Set<AgentId> ids = ConcurrentHashMap.newKeySet();
        final ConcurrentLinkedQueue<CompletionStage<TerminationCause>> terminations = new ConcurrentLinkedQueue<>();
        final CyclicBarrier start = new CyclicBarrier(threads);
        final List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(submit(kit, () -> {
                start.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                for (int a = 0; a < agentsEach; a++) {
                    final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> processed.incrementAndGet());
                    assertTrue(ids.add(ref.id()), "an id was given twice: " + ref.id());
                    terminations.add(rt.whenTerminated(ref.id()));
                    for (int i = 0; i < messagesEach; i++) {
                        ref.tell(i);
                    }
                    rt.stop(ref.id());
                }
                return null;
            }));
        }
        for (final Future<?> f : workers) {
            kit.join("a spawning thread", f);
        }
        for (final CompletionStage<TerminationCause> gone : terminations) {
            kit.await("every agent to terminate", gone);
        }
        final int agents = threads * agentsEach;
        assertEquals(agents, ids.size());
        assertEquals(agents * messagesEach, processed.get(), "a graceful stop processes every accepted message");
        final RuntimeCounters c = rt.counters();
        assertEquals(agents, c.spawned() - c0.spawned());
        assertEquals(agents, c.terminated() - c0.terminated());
        assertEquals(agents * messagesEach, c.accepted() - c0.accepted());
        assertEquals(agents * messagesEach, c.processed() - c0.processed());
        assertEquals(0, c.deadLetters() - c0.deadLetters());
    }

    // =========================================================================== 8.6

    @Example
    default void required_spec_8_6_nothingIsAcceptedOnceShutdownStarted() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final Recorder<Object> busy = kit.recorder(rt, Object.class, SpawnOptions.defaults());
        busy.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
            }
        });
        final Recorder<Object> idle = kit.recorder(rt, Object.class, SpawnOptions.defaults());
        assertFalse(rt.isShutdown());
        final Future<Boolean> shutdown;
        try {
            busy.ref().tell("hold");
            gate.awaitEntered();
            shutdown = submit(kit, () -> rt.shutdown(kit.waitLimit()));
            kit.await("shutdown to start", rt::isShutdown);
            // shutdown is under way: the busy agent is still in its callback
            stopped(() -> rt.spawn(String.class, () -> (m, ctx) -> { }));
            stopped(() -> busy.ref().tell("late"));
            stopped(() -> idle.ref().tell("late"));
            stopped(() -> rt.send(busy.id(), "late"));
            stopped(() -> rt.send(new AgentId(Long.MAX_VALUE), "late"));
            if (kit.has(Capability.PUBSUB)) {
                stopped(() -> rt.publish(Topic.of("kit.late", String.class), "late"));
            }
            final CompletionStage<Object> ask = idle.ref().ask(r -> "late ask", AskRules.LONG);
            assertTrue(ask.toCompletableFuture().isDone(), "an ask refused by shutdown must be completed at once");
            assertInstanceOf(RuntimeStoppedException.class, kit.awaitFailure("the refused ask", ask));
        } finally {
            gate.release();
        }
        assertTrue(kit.join("shutdown", shutdown), "every agent could stop gracefully");
        stopped(() -> rt.spawn(String.class, () -> (m, ctx) -> { }));
        stopped(() -> busy.ref().tell("after"));
        stopped(() -> rt.send(idle.id(), "after"));
        if (kit.has(Capability.PUBSUB)) {
            stopped(() -> rt.publish(Topic.of("kit.late", String.class), "after"));
        }
        assertFalse(busy.messages().contains("late") || idle.messages().contains("late"),
                "a message refused during shutdown was processed");
    }

    // =========================================================================== 8.7

    @Example
    default void required_spec_8_7_shutdownStopsEveryAgentGracefully() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Gate gate = new Gate(kit);
        final Recorder<Object> busy = kit.recorder(rt, Object.class, SpawnOptions.defaults());
        busy.behave((m, ctx) -> {
            if ("hold".equals(m)) {
                gate.hold();
            } else {
                final long until = System.nanoTime() + 2_000_000L; // 2 ms of work: the stop takes a while
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
        });
        final Recorder<Object> idle = kit.recorder(rt, Object.class, SpawnOptions.defaults());
        final List<Recorder<Object>> all = new ArrayList<>(List.of(busy, idle));
        if (kit.has(Capability.PAUSE)) {
            final Recorder<Object> paused = kit.recorder(rt, Object.class, SpawnOptions.defaults());
            rt.pause(paused.id());
            kit.await("the agent to be PAUSED", () -> rt.state(paused.id()).orElse(null) == AgentState.PAUSED);
            paused.ref().tell("waiting while paused");
            all.add(paused);
        }
        final List<CompletionStage<TerminationCause>> terminations = new ArrayList<>();
        for (final Recorder<Object> r : all) {
            kit.await("every agent to have started", () -> r.starts() == 1);
            terminations.add(rt.whenTerminated(r.id()));
        }
        busy.ref().tell("hold");
        gate.awaitEntered();
        for (int i = 0; i < 5; i++) {
            busy.ref().tell(i);
        }
        final Future<?> releaser = kit.fork(() -> {
            kit.await("shutdown to start", rt::isShutdown);
            gate.release();
        });
        final RuntimeCounters before = rt.counters();
        final boolean graceful;
        try {
            graceful = kit.within("shutdown", () -> rt.shutdown(kit.waitLimit()));
        } finally {
            gate.release();
        }
        kit.join("the releaser", releaser);
        assertTrue(graceful, "every agent stopped within the timeout: shutdown must report a graceful stop");
        assertEquals(List.of("hold", 0, 1, 2, 3, 4), busy.messages(), "accepted messages are processed (rule 3.6)");
        if (all.size() == 3) {
            assertEquals(List.of("waiting while paused"), all.get(2).messages(),
                    "a stop request ends a pause: the paused agent's messages are processed");
        }
        for (int i = 0; i < all.size(); i++) {
            final Recorder<Object> r = all.get(i);
            assertTrue(terminations.get(i).toCompletableFuture().isDone(), "every agent terminated when shutdown returned");
            assertEquals(TerminationCause.RUNTIME_SHUTDOWN, kit.await("the termination cause", terminations.get(i)));
            assertEquals(Optional.empty(), rt.state(r.id()), "a terminated agent has no state");
            assertEquals(1, r.stops(), "onStop ran exactly once");
            assertFalse(r.overlapSeen());
        }
        final RuntimeCounters after = rt.counters();
        assertEquals(0, after.alive(), "no agent is alive after shutdown");
        assertEquals(before.deadLetters(), after.deadLetters(), "a graceful shutdown dead-letters nothing");
        assertTrue(rt.isShutdown());
        assertEquals(true, kit.within("a second shutdown", () -> rt.shutdown(Duration.ofSeconds(1))),
                "shutdown is idempotent and reports the same result");
        assertEquals(TerminationCause.UNKNOWN, kit.await("whenTerminated after shutdown", rt.whenTerminated(busy.id())));
    }

    @Example
    default void required_spec_8_7_shutdownIsBoundedByItsTimeout() throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.newRuntime();
        final Recorder<Object> slow = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(1024));
        slow.behave((m, ctx) -> {
            final long until = System.nanoTime() + 1_000_000L; // 1 ms of work per message
            while (System.nanoTime() - until < 0) {
                Thread.onSpinWait();
            }
        });
        final CompletionStage<TerminationCause> terminated = rt.whenTerminated(slow.id());
        int accepted = 0;
        try {
            for (int i = 0; i < 1024; i++) {
                slow.ref().tell(i);
                accepted++;
            }
        } catch (MailboxFullException full) {
            // the agent is far behind: that is the point
        }
        assertTrue(accepted >= 500, "the test needs a backlog");
        final RuntimeCounters before = rt.counters();
        final long start = System.nanoTime();
        final boolean graceful = kit.within("shutdown with a 50 ms timeout", () -> rt.shutdown(Duration.ofMillis(50)));
        final long took = System.nanoTime() - start;
        final int processedAtReturn = slow.count();
        assertFalse(graceful, "a backlog of " + accepted + " one-millisecond messages cannot stop gracefully in 50 ms");
        assertTrue(took >= Duration.ofMillis(50).toNanos(), "shutdown gave up before its timeout");
        assertTrue(terminated.toCompletableFuture().isDone(), "the agent's callback returned: it must be TERMINATED");
        assertEquals(TerminationCause.RUNTIME_SHUTDOWN, kit.await("the termination cause", terminated));
        assertEquals(Optional.empty(), rt.state(slow.id()));
        assertEquals(1, slow.stops(), "onStop ran once");
        assertTrue(processedAtReturn < accepted, "the backlog was cut short");
        final RuntimeCounters after = rt.counters();
        assertEquals(accepted - processedAtReturn, after.deadLetters() - before.deadLetters(),
                "every message not processed is dead-lettered");
        assertEquals(after.accepted(), after.processed() + after.deadLetters() + after.staleTimerMessages() + after.queued());
        kit.expectNothing("a message processed after shutdown returned", () -> slow.count() != processedAtReturn);
    }

    @Example
    default void required_spec_8_7_runtimeThreadsHaveExitedWhenShutdownReturns() throws Exception {
        final Kit kit = kit();
        final Set<Thread> before = Thread.getAllStackTraces().keySet();
        final AgentRuntime rt = kit.newRuntime();
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults());
        probe.behave((m, ctx) -> {
            if (kit.has(Capability.TIMERS) && "timer".equals(m)) {
                ctx.timers().startSingle("t", "tick", Duration.ZERO);
            }
        });
        final AgentRef<AskReq> echo = rt.spawn(AskReq.class, () -> (m, ctx) -> m.reply().reply(m.n()));
        assertEquals(1, (int) kit.await("an ask", echo.<Integer>ask(r -> new AskReq(1, r), Duration.ofMillis(500))));
        probe.ref().tell("timer");
        if (kit.has(Capability.TIMERS)) {
            kit.await("the timer", () -> probe.messages().contains("tick"));
        }
        // the runtime's threads: those that appeared while it was in use (minus the kit's and the JDK's)
        final Set<Thread> during = new HashSet<>(Thread.getAllStackTraces().keySet());
        during.removeAll(before);
        assertTrue(kit.within("shutdown", () -> rt.shutdown(kit.waitLimit())));
        final List<String> left = during.stream()
                .filter(Thread::isAlive)
                .filter(t -> !isSharedJdkOrKitThread(t))
                .map(t -> t.getName() + " (" + t.getState() + java.util.Arrays.stream(t.getStackTrace()).limit(4)
                        .map(f -> " at " + f).collect(Collectors.joining()) + ")")
                .collect(Collectors.toList());
        assertEquals(List.of(), left, "threads started since the runtime was created are still alive after shutdown");
    }

    /** Threads no runtime owns: the kit's helpers and the JDK's shared pools. */
    private static boolean isSharedJdkOrKitThread(final Thread t) {
        final String name = t.getName();
        return name.startsWith("flin-kit-") || name.startsWith("ForkJoinPool.commonPool-")
                || name.equals("CompletableFutureDelayScheduler") || name.equals("Common-Cleaner")
                || name.equals("Attach Listener");
    }

    // =========================================================================== 8.8

    @Example
    default void untested_spec_8_8_deterministicScheduling() {
        throw new org.opentest4j.TestAbortedException("untested: a deterministic dispatcher is a MAY that the"
                + " runtime API does not expose (no seed, no manual clock), so replay cannot be driven through it");
    }

    // =========================================================================== 8.12

    @Example
    default void untested_spec_8_12_callbacksLogWithTheirAgentAndCorrelationId() {
        throw new org.opentest4j.TestAbortedException("untested: the logging context is not observable through the"
                + " runtime API (the kit depends on runtime-api alone); runtime-core's ObservabilityHooksTest checks the"
                + " reference runtime's SLF4J MDC");
    }
}
