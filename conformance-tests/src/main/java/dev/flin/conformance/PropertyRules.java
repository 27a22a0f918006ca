package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.conformance.AskRules.AskReq;
import dev.flin.conformance.AskRules.Cyc;
import dev.flin.conformance.AskRules.CycAsk;
import dev.flin.conformance.AskRules.CycleAgent;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * Property-based checks across the spec: generated workloads, run from several threads, whose
 * outcome is checked against a small sequential model once everything has settled. Every property
 * is named after the rule it checks first; failures print jqwik's seed and (shrunk) sample.
 *
 * <p>Assertions never depend on timing: where the runtime may legitimately decide a race either
 * way (a failure processed before or after a stop request, a reply racing a timeout), the model
 * accepts every legal outcome and checks that the observations are consistent with one of them.
 */
public interface PropertyRules extends KitSupport {

    // =========================================================================================
    // shared helpers
    // =========================================================================================

    /** Collects model violations from many threads; the property fails with all of them. */
    final class Violations {
        private final ConcurrentLinkedQueue<String> found = new ConcurrentLinkedQueue<>();

        void add(final String violation) {
            found.add(violation);
        }

        void check(final boolean ok, final String violation) {
            if (!ok) {
                found.add(violation);
            }
        }

        void assertNone() {
            if (!found.isEmpty()) {
                throw new AssertionError(found.size() + " violation(s) of the model:\n  "
                        + found.stream().limit(20).collect(Collectors.joining("\n  ")));
            }
        }
    }

    /** Runs tasks on kit threads, starting them together, and waits for all of them. */
    private static void runTogether(final Kit kit, final List<? extends java.util.concurrent.Callable<?>> tasks)
            throws Exception {
        final CyclicBarrier start = new CyclicBarrier(tasks.size());
        final List<CompletableFuture<Object>> results = new ArrayList<>();
        for (final java.util.concurrent.Callable<?> task : tasks) {
            final CompletableFuture<Object> result = new CompletableFuture<>();
            results.add(result);
            final var unused = kit.fork(() -> {
                try {
                    start.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                    result.complete(task.call());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
        }
        for (final CompletableFuture<Object> result : results) {
            kit.join("a workload thread to finish", result, 3);
        }
    }

    /** Sends, retrying while the mailbox is full, within the kit's wait budget; the agent must be alive. */
    private static <M> void tellPatiently(final Kit kit, final AgentRef<M> ref, final M message) {
        if (!kit.tellPatiently(ref, message)) {
            throw new AssertionError("the agent " + ref.id() + " was gone (no longer alive) when the check sent " + message);
        }
    }

    private static void spinMicros(final int micros) {
        final long until = System.nanoTime() + micros * 1_000L;
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    /** Subscribes a large recorder to a system topic. */
    private static <E> Recorder<E> systemRecorder(final Kit kit, final AgentRuntime rt, final Topic<E> topic) {
        final Recorder<E> recorder = kit.recorder(rt, topic.eventType(), SpawnOptions.defaults().withMailboxCapacity(8192));
        rt.subscribe(topic, recorder.ref());
        return recorder;
    }

    /** Checks one agent's LIFECYCLE events form one legal chain, STARTING ... TERMINATED (rules 3.1, 3.9). */
    private static void checkChain(final Violations v, final AgentId id, final List<LifecycleEvent> events) {
        if (events.isEmpty()) {
            v.add(id + ": no lifecycle events");
            return;
        }
        v.check(events.get(0).from() == AgentState.STARTING, id + ": first transition leaves " + events.get(0).from()
                + ", not STARTING: " + events);
        for (int i = 0; i < events.size(); i++) {
            final LifecycleEvent e = events.get(i);
            v.check(e.from().canTransitionTo(e.to()), id + ": illegal edge " + e.from() + " -> " + e.to());
            if (i > 0) {
                v.check(events.get(i - 1).to() == e.from(),
                        id + ": transitions out of order or missing between " + events.get(i - 1) + " and " + e);
            }
            v.check(e.to() != AgentState.TERMINATED || i == events.size() - 1, id + ": a transition after TERMINATED");
        }
        final LifecycleEvent last = events.get(events.size() - 1);
        v.check(last.from() == AgentState.SHUTTING_DOWN && last.to() == AgentState.TERMINATED,
                id + ": the last transition is " + last + ", not SHUTTING_DOWN -> TERMINATED");
    }

    private static <T> List<T> only(final List<?> all, final Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    // =========================================================================================
    // 2.4 (and 3.x, 5.x, 6.x, 7.x): random action sequences against a sequential model
    // =========================================================================================

    /** One generated action of one workload thread. Slots 0-2 are the agents that thread owns. */
    sealed interface Op permits Op.Spawn, Op.Tell, Op.Ask, Op.Pause, Op.Resume, Op.Fail, Op.Stop, Op.Subscribe,
            Op.Unsubscribe, Op.Publish, Op.Timer, Op.Cancel, Op.Hub {
        /** Replace the slot's agent with a fresh one if it was stopped. */
        record Spawn(int slot) implements Op { }
        /** Tell the slot's agent a note. */
        record Tell(int slot) implements Op { }
        /** Ask the slot's agent (it replies with the request's number). */
        record Ask(int slot) implements Op { }
        /** Pause the slot's agent and wait until it is PAUSED. */
        record Pause(int slot) implements Op { }
        /** Resume the slot's agent. */
        record Resume(int slot) implements Op { }
        /** Tell the slot's agent a message it fails on (it is restarted: RestartPolicy.always). */
        record Fail(int slot) implements Op { }
        /** Stop the slot's agent. */
        record Stop(int slot) implements Op { }
        /** Subscribe the slot's agent to this thread's topic. */
        record Subscribe(int slot) implements Op { }
        /** Unsubscribe it. */
        record Unsubscribe(int slot) implements Op { }
        /** Publish an event on this thread's topic. */
        record Publish() implements Op { }
        /** Tell the slot's agent to start a one-shot timer. */
        record Timer(int slot, int delayMillis) implements Op { }
        /** Tell the slot's agent to cancel its last timer. */
        record Cancel(int slot) implements Op { }
        /** Tell the agent shared by all threads a note. */
        record Hub() implements Op { }
    }

    /** A note from a workload thread. */
    record Note(int thread, int seq) { }

    /** A request from a workload thread. */
    record Req(int thread, int seq, Reply<Integer> reply) { }

    /** A message the agent fails on. */
    record Boom(int thread, int seq) { }

    /** Start one-shot timer {@code key}. */
    record Arm(int thread, int seq, String key, int delayMillis) { }

    /** Cancel timer {@code key}. */
    record Disarm(int thread, int seq, String key) { }

    /** A published event. */
    record Event(int thread, int seq) { }

    /** A timer's message. */
    record Fired(String key) { }

    /** The model of one agent owned by a workload thread. */
    final class Slot {
        final Recorder<Object> rec;
        final AgentId id;
        final CompletionStage<TerminationCause> termination;
        final List<Object> expected = new ArrayList<>();
        final List<String> armed = new ArrayList<>();
        /** What each Disarm's cancel returned, by the Disarm's number. */
        final Map<Integer, Boolean> cancelled = new ConcurrentHashMap<>();
        boolean stopped;
        boolean paused;
        boolean everPaused;
        boolean subscribed;
        int countAtPause;
        int refusedSends;

        Slot(final Recorder<Object> rec, final CompletionStage<TerminationCause> termination) {
            this.rec = rec;
            this.id = rec.id();
            this.termination = termination;
        }
    }

    /** One ask of the model: what was asked and what must come of it. */
    record AskCase(Slot slot, Req request, CompletionStage<Integer> stage, AtomicInteger completions,
                   boolean refusalExpected, boolean doneAtOnce) { }

    @Provide
    default Arbitrary<List<List<Op>>> modelWorkloads() {
        final Arbitrary<Integer> slot = Arbitraries.integers().between(0, 2);
        final Arbitrary<Op> op = Arbitraries.frequencyOf(
                Tuple.of(6, slot.map(Op.Tell::new)),
                Tuple.of(3, slot.map(Op.Ask::new)),
                Tuple.of(2, slot.map(Op.Fail::new)),
                Tuple.of(2, slot.map(Op.Pause::new)),
                Tuple.of(2, slot.map(Op.Resume::new)),
                Tuple.of(1, slot.map(Op.Stop::new)),
                Tuple.of(2, slot.map(Op.Spawn::new)),
                Tuple.of(2, slot.map(Op.Subscribe::new)),
                Tuple.of(1, slot.map(Op.Unsubscribe::new)),
                Tuple.of(3, Arbitraries.just(new Op.Publish())),
                Tuple.of(3, Combinators.combine(slot, Arbitraries.integers().between(0, 15)).as(Op.Timer::new)),
                Tuple.of(2, slot.map(Op.Cancel::new)),
                Tuple.of(2, Arbitraries.just(new Op.Hub())));
        return op.list().ofMinSize(5).ofMaxSize(25).list().ofMinSize(2).ofMaxSize(3);
    }

    /**
     * Two or three threads each own three agents (RestartPolicy.always, mailboxes too large to fill)
     * and a topic, and share one more agent. Each thread runs its generated actions, then resumes,
     * drains and stops its agents. The sequential model says, per agent, which sends are accepted
     * (all until a stop, none after), in which order they are processed (the accepted order), how
     * many subscribers a publish reaches, what each ask completes with and when a timer may fire.
     * The only race left to the runtime is a failure processed after a stop request (the policy
     * then stops the agent and the rest of the mailbox is dead-lettered): the model allows it and
     * checks the dead letters, failures, restarts and lifecycle chain agree with it.
     */
    @Property(tries = 15)
    @RequiresCapability({Capability.PAUSE, Capability.TIMERS, Capability.PUBSUB})
    default void required_spec_2_4_randomActionSequencesFollowTheSequentialModel(
            @ForAll("modelWorkloads") final List<List<Op>> workload) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Violations v = new Violations();
        final Recorder<LifecycleEvent> lifecycle = systemRecorder(kit, rt, SystemTopics.LIFECYCLE);
        final Recorder<DeadLetter> deadLetters = systemRecorder(kit, rt, SystemTopics.DEAD_LETTERS);
        final Recorder<AgentFailure> failures = systemRecorder(kit, rt, SystemTopics.FAILURES);
        final Recorder<Object> hub = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(1024));
        final SpawnOptions options = SpawnOptions.defaults().withMailboxCapacity(128)
                .withRestartPolicy(RestartPolicy.always(Backoff.NONE));
        final List<List<Slot>> slotsByThread = new ArrayList<>();
        final List<List<AskCase>> asksByThread = new ArrayList<>();
        final List<List<Note>> hubByThread = new ArrayList<>();
        final List<java.util.concurrent.Callable<Object>> threads = new ArrayList<>();
        for (int t = 0; t < workload.size(); t++) {
            final int thread = t;
            final List<Op> ops = workload.get(t);
            final List<Slot> all = new ArrayList<>();
            final List<AskCase> asks = new ArrayList<>();
            final List<Note> hubSent = new ArrayList<>();
            slotsByThread.add(all);
            asksByThread.add(asks);
            hubByThread.add(hubSent);
            threads.add(() -> {
                runModelThread(kit, rt, v, thread, ops, options, all, asks, hub, hubSent);
                return null;
            });
        }
        runTogether(kit, threads);

        // everything owned by the threads has terminated; wait for the system topics to catch up
        final List<Slot> slots = slotsByThread.stream().flatMap(List::stream).collect(Collectors.toList());
        for (final Slot s : slots) {
            kit.await("the TERMINATED transition of " + s.id, () -> lifecycle.messages().stream()
                    .anyMatch(e -> e.agent().equals(s.id) && e.to() == AgentState.TERMINATED));
        }
        kit.await("every dead letter on " + SystemTopics.DEAD_LETTERS.name(),
                () -> deadLetters.count() == rt.counters().deadLetters());
        kit.await("every failure on " + SystemTopics.FAILURES.name(), () -> failures.count() == rt.counters().failures());
        final int hubTotal = hubByThread.stream().mapToInt(List::size).sum();
        hub.awaitCount(hubTotal);

        long restarts = 0;
        for (final Slot s : slots) {
            restarts += checkModelSlot(kit, v, s, lifecycle.messages(), deadLetters.messages(), failures.messages());
        }
        for (final List<AskCase> asks : asksByThread) {
            for (final AskCase a : asks) {
                checkModelAsk(kit, v, a);
            }
        }
        for (int t = 0; t < hubByThread.size(); t++) {
            final int thread = t;
            v.check(only(hub.messages(), Note.class).stream().filter(n -> n.thread() == thread)
                    .collect(Collectors.toList()).equals(hubByThread.get(t)),
                    "the shared agent did not process thread " + t + "'s notes once each, in order (rule 2.3)");
        }
        v.check(!hub.overlapSeen(), "two callbacks of the shared agent overlapped (rule 1.1)");

        kit.await("the counters to add up at quiescence (rules 2.4, 8.3)", () -> {
            final RuntimeCounters c = rt.counters();
            return c.accepted() == c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued();
        });
        final RuntimeCounters c = rt.counters();
        v.check(c.spawned() - c.terminated() == 4, "alive agents: " + (c.spawned() - c.terminated())
                + ", expected the shared agent and three system-topic recorders");
        v.check(c.rejectedFull() == 0, "rejectedFull " + c.rejectedFull() + " although no mailbox could fill");
        v.check(c.lateReplies() == 0, "lateReplies " + c.lateReplies() + " although every agent replies once");
        v.check(c.droppedEvents() == 0, "droppedEvents " + c.droppedEvents() + " although no subscriber could fill");
        v.check(c.restarts() == restarts, "restarts counter " + c.restarts() + ", RESTART decisions " + restarts);
        final int refused = slots.stream().mapToInt(s -> s.refusedSends).sum();
        v.check(c.rejectedNotFound() >= refused, "rejectedNotFound " + c.rejectedNotFound() + " < refused sends " + refused);
        v.assertNone();
    }

    private static void runModelThread(final Kit kit, final AgentRuntime rt, final Violations v, final int thread,
                                       final List<Op> ops, final SpawnOptions options, final List<Slot> all,
                                       final List<AskCase> asks, final Recorder<Object> hub, final List<Note> hubSent) {
        final Topic<Event> topic = Topic.of("kit.model." + thread, Event.class);
        final Slot[] slots = new Slot[3];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = spawnSlot(kit, rt, options);
            all.add(slots[i]);
        }
        int seq = 0;
        for (final Op op : ops) {
            final int n = seq++;
            if (op instanceof Op.Spawn o) {
                if (slots[o.slot()].stopped) {
                    slots[o.slot()] = spawnSlot(kit, rt, options);
                    all.add(slots[o.slot()]);
                }
            } else if (op instanceof Op.Tell o) {
                modelSend(v, slots[o.slot()], new Note(thread, n));
            } else if (op instanceof Op.Fail o) {
                modelSend(v, slots[o.slot()], new Boom(thread, n));
            } else if (op instanceof Op.Timer o) {
                final String key = "t" + thread + "-" + n;
                if (modelSend(v, slots[o.slot()], new Arm(thread, n, key, o.delayMillis()))) {
                    slots[o.slot()].armed.add(key);
                }
            } else if (op instanceof Op.Cancel o) {
                final Slot s = slots[o.slot()];
                if (!s.armed.isEmpty()) {
                    modelSend(v, s, new Disarm(thread, n, s.armed.get(s.armed.size() - 1)));
                }
            } else if (op instanceof Op.Ask o) {
                final Slot s = slots[o.slot()];
                final AtomicReference<Req> built = new AtomicReference<>();
                final CompletionStage<Integer> stage = s.rec.ref().ask(r -> {
                    final Req req = new Req(thread, n, r);
                    built.set(req);
                    return req;
                }, kit.waitLimit());
                final AtomicInteger completions = new AtomicInteger();
                final boolean doneAtOnce = stage.toCompletableFuture().isDone();
                stage.whenComplete((x, y) -> completions.incrementAndGet());
                if (!s.stopped) {
                    s.expected.add(built.get());
                }
                asks.add(new AskCase(s, built.get(), stage, completions, s.stopped, doneAtOnce));
            } else if (op instanceof Op.Pause o) {
                final Slot s = slots[o.slot()];
                if (!s.stopped) {
                    rt.pause(s.id);
                    kit.await(s.id + " to be PAUSED", () -> rt.state(s.id).orElse(null) == AgentState.PAUSED);
                    if (!s.paused) {
                        s.countAtPause = s.rec.count();
                    }
                    s.paused = true;
                    s.everPaused = true;
                }
            } else if (op instanceof Op.Resume o) {
                resumeSlot(rt, v, slots[o.slot()]);
            } else if (op instanceof Op.Stop o) {
                final Slot s = slots[o.slot()];
                if (!s.stopped) {
                    rt.stop(s.id);
                    s.stopped = true;
                }
            } else if (op instanceof Op.Subscribe o) {
                final Slot s = slots[o.slot()];
                if (!s.stopped) {
                    rt.subscribe(topic, s.rec.ref());
                    s.subscribed = true;
                }
            } else if (op instanceof Op.Unsubscribe o) {
                final Slot s = slots[o.slot()];
                if (!s.stopped) {
                    v.check(rt.unsubscribe(topic, s.id) == s.subscribed,
                            s.id + ": unsubscribe must return whether it was subscribed (" + s.subscribed + ")");
                    s.subscribed = false;
                }
            } else if (op instanceof Op.Publish) {
                final Event event = new Event(thread, n);
                final List<Slot> reached = all.stream().filter(s -> s.subscribed && !s.stopped).collect(Collectors.toList());
                final int accepted = rt.publish(topic, event);
                v.check(accepted == reached.size(), "publish of " + event + " reached " + accepted
                        + " subscribers, the model says " + reached.size() + " (rules 6.2, 6.4, 6.5)");
                reached.forEach(s -> s.expected.add(event));
            } else if (op instanceof Op.Hub) {
                final Note note = new Note(thread, n);
                try {
                    hub.ref().tell(note);
                    hubSent.add(note);
                } catch (RuntimeException e) {
                    v.add("the shared agent refused " + note + ": " + e);
                }
            }
        }
        // wind down: resume, drain (and let live timers fire), then stop gracefully
        for (final Slot s : all) {
            if (!s.stopped) {
                resumeSlot(rt, v, s);
            }
        }
        for (final Slot s : all) {
            if (!s.stopped) {
                kit.await(s.id + " to process its " + s.expected.size() + " accepted messages",
                        () -> s.rec.messages().stream().filter(m -> !(m instanceof Fired)).count() >= s.expected.size());
                for (final String key : pendingTimers(s.rec.messages())) {
                    kit.await(s.id + ": timer " + key + " was never cancelled, so it must fire (rule 7.1)",
                            () -> s.rec.messages().contains(new Fired(key)));
                }
            }
        }
        for (final Slot s : all) {
            if (!s.stopped) {
                rt.stop(s.id);
                s.stopped = true;
            }
        }
        for (final Slot s : all) {
            kit.await(s.id + " to terminate", s.termination);
        }
    }

    private static Slot spawnSlot(final Kit kit, final AgentRuntime rt, final SpawnOptions options) {
        final Recorder<Object> rec = kit.recorder(rt, Object.class, options);
        final Slot slot = new Slot(rec, rt.whenTerminated(rec.id()));
        rec.behave((m, ctx) -> {
            if (m instanceof Boom) {
                throw new IllegalStateException("planned failure");
            } else if (m instanceof Req r) {
                r.reply().reply(r.seq());
            } else if (m instanceof Arm a) {
                ctx.timers().startSingle(a.key(), new Fired(a.key()), Duration.ofMillis(a.delayMillis()));
            } else if (m instanceof Disarm d) {
                slot.cancelled.put(d.seq(), ctx.timers().cancel(d.key()));
            }
        });
        return slot;
    }

    private static boolean modelSend(final Violations v, final Slot s, final Object message) {
        try {
            s.rec.ref().tell(message);
            v.check(!s.stopped, s.id + " accepted " + message + " after a stop request (rule 2.5, 3.6)");
            s.expected.add(message);
            return true;
        } catch (AgentNotFoundException e) {
            v.check(s.stopped, s.id + " refused " + message + " with AgentNotFoundException while alive");
            s.refusedSends++;
            return false;
        } catch (RuntimeException e) {
            v.add(s.id + " refused " + message + " with " + e + " (its mailbox could not be full)");
            return false;
        }
    }

    private static void resumeSlot(final AgentRuntime rt, final Violations v, final Slot s) {
        if (s.stopped || !s.paused) {
            return;
        }
        v.check(s.rec.count() == s.countAtPause, s.id + " processed " + (s.rec.count() - s.countAtPause)
                + " message(s) while PAUSED (rule 3.4)");
        rt.resume(s.id);
        s.paused = false;
    }

    /** Timers armed, neither cancelled nor reset by a restart, that have not fired yet. */
    private static List<String> pendingTimers(final List<Object> log) {
        final List<String> pending = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i) instanceof Arm a && timerEnd(log, i, a.key()) < 0 && !log.contains(new Fired(a.key()))) {
                pending.add(a.key());
            }
        }
        return pending;
    }

    /** Index of the first Disarm of the key or Boom (restart) after position i, or -1. */
    private static int timerEnd(final List<Object> log, final int i, final String key) {
        for (int j = i + 1; j < log.size(); j++) {
            if (log.get(j) instanceof Boom || (log.get(j) instanceof Disarm d && d.key().equals(key))) {
                return j;
            }
        }
        return -1;
    }

    /** Checks one agent against the model; returns its RESTART decisions. */
    private static long checkModelSlot(final Kit kit, final Violations v, final Slot s, final List<LifecycleEvent> lifecycle,
                                       final List<DeadLetter> deadLetters, final List<AgentFailure> failures) {
        final List<Object> log = s.rec.messages();
        final List<Object> processed = log.stream().filter(m -> !(m instanceof Fired)).collect(Collectors.toList());
        final List<Object> dead = deadLetters.stream().filter(d -> d.recipient().equals(s.id)).map(DeadLetter::message)
                .filter(m -> !(m instanceof Fired)).collect(Collectors.toList());
        final int p = processed.size();
        final int n = s.expected.size();
        // conservation and order (rules 2.3, 2.4, 3.6, 4.3)
        if (p > n || !processed.equals(s.expected.subList(0, p))) {
            v.add(s.id + ": processed " + processed + " is not the accepted sequence " + s.expected + " (or a prefix)");
            return 0;
        }
        v.check(dead.size() == n - p && new HashSet<>(dead).equals(new HashSet<>(s.expected.subList(p, n))),
                s.id + ": accepted " + s.expected + ", processed " + processed + ", dead letters " + dead
                        + ": every accepted message must be processed or dead-lettered exactly once");
        // failures and restarts (rules 4.2, 4.5)
        final List<AgentFailure> mine = failures.stream().filter(f -> f.agent().equals(s.id)).collect(Collectors.toList());
        final long booms = processed.stream().filter(Boom.class::isInstance).count();
        final long restarts = mine.stream().filter(f -> f.decision() == AgentFailure.Decision.RESTART).count();
        final long stops = mine.stream().filter(f -> f.decision() == AgentFailure.Decision.STOP).count();
        v.check(mine.size() == booms, s.id + ": " + booms + " failing messages processed, " + mine.size() + " failures published");
        v.check(mine.stream().allMatch(f -> f.phase() == AgentFailure.Phase.MESSAGE && f.messageType() == Boom.class),
                s.id + ": failures " + mine);
        v.check(stops <= 1 && (stops == 0 || mine.get(mine.size() - 1).decision() == AgentFailure.Decision.STOP),
                s.id + ": only the last failure may stop an agent under RestartPolicy.always: " + mine);
        v.check(p == n || (stops == 1 && p > 0 && processed.get(p - 1) instanceof Boom),
                s.id + ": messages were dead-lettered although no failure stopped the agent");
        // a restart whose agent is stopped before its new instance starts may skip that instance
        v.check(s.rec.instances() >= 1 && (s.rec.instances() == 1 + restarts || s.rec.instances() == restarts),
                s.id + ": " + s.rec.instances() + " instances for " + restarts + " restarts");
        v.check(s.rec.starts() == s.rec.instances() && s.rec.stops() == s.rec.starts(),
                s.id + ": starts " + s.rec.starts() + ", stops " + s.rec.stops() + " (rule 3.3: onStop once per started instance)");
        v.check(!s.rec.overlapSeen(), s.id + ": two callbacks overlapped (rule 1.1)");
        final TerminationCause cause = kit.await("the termination cause", s.termination);
        v.check(cause == TerminationCause.STOPPED || (stops == 1 && cause == TerminationCause.FAILED),
                s.id + ": terminated with " + cause);
        // timers (rules 7.1, 7.3, 7.4)
        for (int i = 0; i < log.size(); i++) {
            if (!(log.get(i) instanceof Arm a)) {
                continue;
            }
            final Fired fired = new Fired(a.key());
            final int f = log.indexOf(fired);
            final int end = timerEnd(log, i, a.key());
            v.check(log.lastIndexOf(fired) == f, s.id + ": one-shot timer " + a.key() + " fired twice");
            v.check(f < 0 || f > i, s.id + ": timer " + a.key() + " fired before it was started");
            v.check(f < 0 || end < 0 || f < end, s.id + ": timer " + a.key() + " fired after it was cancelled or reset by a"
                    + " restart (rules 7.3, 7.4): " + log);
            if (end >= 0 && log.get(end) instanceof Disarm d) {
                final boolean active = f < 0 || f > end;
                v.check(Objects.equals(s.cancelled.get(d.seq()), active), s.id + ": cancel(" + a.key() + ") returned "
                        + s.cancelled.get(d.seq()) + ", the timer was " + (active ? "" : "not ") + "active");
            }
        }
        // lifecycle (rules 3.1, 3.9)
        final List<LifecycleEvent> events = lifecycle.stream().filter(e -> e.agent().equals(s.id)).collect(Collectors.toList());
        checkChain(v, s.id, events);
        v.check(events.stream().filter(e -> e.to() == AgentState.STARTING).count() == restarts,
                s.id + ": " + restarts + " restarts but lifecycle " + events);
        v.check(s.everPaused || events.stream().noneMatch(e -> e.to() == AgentState.PAUSED),
                s.id + ": PAUSED although never paused: " + events);
        return restarts;
    }

    private static void checkModelAsk(final Kit kit, final Violations v, final AskCase a) {
        final Req req = a.request();
        final CompletableFuture<Integer> stage = a.stage().toCompletableFuture();
        try {
            kit.await("the ask " + req.thread() + "/" + req.seq() + " to complete and its dependents to run (rule 5.1)",
                    () -> stage.isDone() && a.completions().get() > 0); // dependents run after get()'s waiters wake
        } catch (AssertionError e) {
            v.add(e.getMessage());
            return;
        }
        v.check(a.completions().get() == 1, "ask " + req.seq() + " completed " + a.completions().get() + " times");
        final Throwable failure = stage.isCompletedExceptionally() ? Kit.unwrap(stage.handle((x, t) -> t).join()) : null;
        if (a.refusalExpected()) {
            v.check(failure instanceof AgentNotFoundException && a.doneAtOnce(), "ask of stopped " + a.slot().id
                    + " must fail at once with AgentNotFoundException (rule 5.3), got " + failure);
        } else if (a.slot().rec.messages().contains(req)) {
            v.check(failure == null && Objects.equals(stage.join(), req.seq()),
                    "processed ask " + req.seq() + " of " + a.slot().id + " completed with " + (failure != null ? failure : stage.join()));
        } else {
            v.check(failure instanceof AgentTerminatedException, "dead-lettered ask " + req.seq() + " of " + a.slot().id
                    + " must fail with AgentTerminatedException (rule 5.7), got " + failure);
        }
    }

    // =========================================================================================
    // 2.4: conservation under random schedules with failures and stops
    // =========================================================================================

    /** What a conservation message asks its agent to do. */
    enum Kind { PLAIN, BOOM, SELF_STOP }

    /**
     * A conservation message.
     *
     * @param thread the sending thread
     * @param seq    its number in that thread's sends
     * @param kind   what the agent does with it
     */
    record CMsg(int thread, int seq, Kind kind) { }

    /**
     * One generated action: send to an agent, or stop it.
     *
     * @param agent  which agent
     * @param kind   what to send
     * @param stop   stop the agent instead of sending
     */
    record CAction(int agent, Kind kind, boolean stop) { }

    /**
     * One generated agent.
     *
     * @param capacity its mailbox capacity
     * @param restart  RestartPolicy.always(NONE) rather than never()
     */
    record CAgent(int capacity, boolean restart) { }

    @Provide
    default Arbitrary<List<CAgent>> conservationAgents() {
        return Combinators.combine(Arbitraries.integers().between(1, 8), Arbitraries.of(true, false)).as(CAgent::new)
                .list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    default Arbitrary<List<List<CAction>>> conservationSenders() {
        final Arbitrary<CAction> action = Arbitraries.frequencyOf(
                Tuple.of(40, Arbitraries.integers().between(0, 3).map(a -> new CAction(a, Kind.PLAIN, false))),
                Tuple.of(3, Arbitraries.integers().between(0, 3).map(a -> new CAction(a, Kind.BOOM, false))),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(a -> new CAction(a, Kind.SELF_STOP, false))),
                Tuple.of(1, Arbitraries.integers().between(0, 3).map(a -> new CAction(a, Kind.PLAIN, true))));
        return action.list().ofMinSize(10).ofMaxSize(80).list().ofMinSize(2).ofMaxSize(3);
    }

    /**
     * Senders on two or three threads hammer two to four small mailboxes with messages, some of
     * which make the agent fail (restarted or stopped by its policy) or stop itself, and stop
     * agents now and then. Counting on the sender side: every accepted message is processed or
     * dead-lettered exactly once (per agent, by identity), refused sends are exactly the
     * MailboxFull/NotFound exceptions seen, and the counters agree.
     */
    @Property(tries = 20)
    default void required_spec_2_4_conservationUnderRandomSchedules(
            @ForAll("conservationAgents") final List<CAgent> agentSpecs,
            @ForAll("conservationSenders") final List<List<CAction>> senders) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Violations v = new Violations();
        final Recorder<DeadLetter> deadLetters = kit.has(Capability.PUBSUB)
                ? systemRecorder(kit, rt, SystemTopics.DEAD_LETTERS) : null;
        final RuntimeCounters c0 = rt.counters();
        final List<Recorder<CMsg>> agents = new ArrayList<>();
        final List<CompletionStage<TerminationCause>> terminations = new ArrayList<>();
        for (final CAgent spec : agentSpecs) {
            final Recorder<CMsg> rec = kit.recorder(rt, CMsg.class, SpawnOptions.defaults()
                    .withMailboxCapacity(spec.capacity())
                    .withRestartPolicy(spec.restart() ? RestartPolicy.always(Backoff.NONE) : RestartPolicy.never()));
            rec.behave((m, ctx) -> {
                if (m.kind() == Kind.BOOM) {
                    throw new IllegalStateException("planned failure");
                } else if (m.kind() == Kind.SELF_STOP) {
                    ctx.stop();
                }
            });
            agents.add(rec);
            terminations.add(rt.whenTerminated(rec.id()));
        }
        final int count = agents.size();
        final List<Set<CMsg>> accepted = new ArrayList<>();
        for (int a = 0; a < count; a++) {
            accepted.add(ConcurrentHashMap.newKeySet());
        }
        final AtomicInteger full = new AtomicInteger();
        final AtomicInteger notFound = new AtomicInteger();
        final Set<Integer> externallyStopped = ConcurrentHashMap.newKeySet();
        final List<java.util.concurrent.Callable<Object>> threads = new ArrayList<>();
        for (int t = 0; t < senders.size(); t++) {
            final int thread = t;
            final List<CAction> actions = senders.get(t);
            threads.add(() -> {
                final Set<Integer> stoppedByMe = new HashSet<>();
                int seq = 0;
                for (final CAction action : actions) {
                    final int a = action.agent() % count;
                    final Recorder<CMsg> target = agents.get(a);
                    if (action.stop()) {
                        try {
                            rt.stop(target.id());
                        } catch (AgentNotFoundException alreadyGone) {
                            // terminated before: a stop request is idempotent, a dead id is not found
                        }
                        stoppedByMe.add(a);
                        externallyStopped.add(a);
                        continue;
                    }
                    final CMsg message = new CMsg(thread, seq++, action.kind());
                    try {
                        target.ref().tell(message);
                        accepted.get(a).add(message);
                        v.check(!stoppedByMe.contains(a), target.id() + " accepted " + message
                                + " after this thread's stop request returned (rule 2.5)");
                    } catch (MailboxFullException e) {
                        full.incrementAndGet();
                    } catch (AgentNotFoundException e) {
                        notFound.incrementAndGet();
                    }
                }
                return null;
            });
        }
        runTogether(kit, threads);
        for (int a = 0; a < count; a++) {
            try {
                rt.stop(agents.get(a).id());
            } catch (AgentNotFoundException alreadyGone) {
                // fine
            }
        }
        for (final CompletionStage<TerminationCause> gone : terminations) {
            kit.await("every agent to terminate", gone);
        }
        final long dlDelta = rt.counters().deadLetters() - c0.deadLetters();
        if (deadLetters != null) {
            kit.await("every dead letter on " + SystemTopics.DEAD_LETTERS.name(), () -> deadLetters.count() >= dlDelta);
        }
        long processedTotal = 0;
        long acceptedTotal = 0;
        long deadTotal = 0;
        for (int a = 0; a < count; a++) {
            final Recorder<CMsg> rec = agents.get(a);
            final List<CMsg> processed = rec.messages();
            final Set<CMsg> sent = accepted.get(a);
            acceptedTotal += sent.size();
            processedTotal += processed.size();
            v.check(new HashSet<>(processed).size() == processed.size(), rec.id() + " processed a message twice");
            v.check(sent.containsAll(processed), rec.id() + " processed a message that was never accepted");
            for (int t = 0; t < senders.size(); t++) {
                final int thread = t;
                final List<Integer> seqs = processed.stream().filter(m -> m.thread() == thread).map(CMsg::seq)
                        .collect(Collectors.toList());
                final List<Integer> sorted = new ArrayList<>(seqs);
                Collections.sort(sorted);
                v.check(seqs.equals(sorted), rec.id() + " processed thread " + t + "'s messages out of order (rule 2.3): " + seqs);
            }
            if (deadLetters != null) {
                final List<Object> dead = deadLetters.messages().stream().filter(d -> d.recipient().equals(rec.id()))
                        .map(DeadLetter::message).collect(Collectors.toList());
                deadTotal += dead.size();
                final Set<Object> union = new HashSet<>(processed);
                union.addAll(dead);
                v.check(union.size() == processed.size() + dead.size() && union.equals(sent), rec.id() + ": accepted "
                        + sent.size() + ", processed " + processed.size() + ", dead-lettered " + dead.size()
                        + ": each accepted message must be exactly one of the two");
                // a failure-stop dead-letters what is behind the failing message; a graceful stop only
                // what raced it (rule 3.7). Either way, per sender, the processed messages come first.
                final int agent = a;
                final boolean ended = (!processed.isEmpty() && processed.get(processed.size() - 1).kind() == Kind.BOOM)
                        || processed.stream().anyMatch(m -> m.kind() == Kind.SELF_STOP) || externallyStopped.contains(agent);
                v.check(dead.isEmpty() || ended, rec.id() + ": dead letters " + dead + " although no failure and no stop"
                        + " request ended the agent; processed " + processed);
                for (int t = 0; t < senders.size(); t++) {
                    final int thread = t;
                    final List<CMsg> mine = sent.stream().filter(m -> m.thread() == thread)
                            .sorted(java.util.Comparator.comparingInt(CMsg::seq)).collect(Collectors.toList());
                    final long done = processed.stream().filter(m -> m.thread() == thread).count();
                    v.check(new HashSet<>(mine.subList(0, (int) Math.min(done, mine.size()))).equals(
                            processed.stream().filter(m -> m.thread() == thread).collect(Collectors.toSet())),
                            rec.id() + ": thread " + t + "'s processed messages are not the first ones it got accepted"
                                    + " (rules 2.3, 2.4): accepted " + mine + ", processed " + processed + ", dead " + dead);
                }
            } else {
                deadTotal += sent.size() - processed.size();
            }
            v.check(!rec.overlapSeen(), rec.id() + ": two callbacks overlapped (rule 1.1)");
        }
        final long dlEvents = deadLetters == null ? 0 : deadLetters.count();
        // A recorder sees its message inside the handler call; the runtime counts it processed when the
        // call returns. So the last dead-letter event's call may still be returning here: wait for the
        // count, rather than read the counters in that window (a loaded machine hit it).
        final long seen = processedTotal + dlEvents;
        kit.await("the processed counter to count all " + seen + " handler calls the recorders saw (rule 2.4)",
                () -> rt.counters().processed() - c0.processed() >= seen);
        final RuntimeCounters c = rt.counters();
        v.check(c.rejectedFull() - c0.rejectedFull() == full.get(),
                "rejectedFull " + (c.rejectedFull() - c0.rejectedFull()) + ", MailboxFullExceptions seen " + full.get());
        v.check(c.rejectedNotFound() - c0.rejectedNotFound() == notFound.get(),
                "rejectedNotFound " + (c.rejectedNotFound() - c0.rejectedNotFound()) + ", AgentNotFoundExceptions seen " + notFound.get());
        v.check(c.accepted() - c0.accepted() == acceptedTotal + dlEvents,
                "accepted " + (c.accepted() - c0.accepted()) + ", sends that returned normally " + acceptedTotal
                        + " (+ " + dlEvents + " dead-letter events)");
        v.check(c.processed() - c0.processed() == processedTotal + dlEvents,
                "processed " + (c.processed() - c0.processed()) + ", handler calls " + processedTotal + " (+ " + dlEvents + ")");
        v.check(c.deadLetters() - c0.deadLetters() == deadTotal,
                "deadLetters " + (c.deadLetters() - c0.deadLetters()) + ", accepted and not processed " + deadTotal);
        v.check(c.accepted() == c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(),
                "accepted != processed + deadLetters + staleTimerMessages + queued: " + c);
        v.assertNone();
    }

    // =========================================================================================
    // 2.3: per-sender FIFO with many concurrent senders
    // =========================================================================================

    /**
     * A numbered message of one sender.
     *
     * @param sender the sending thread
     * @param seq    its number
     */
    record Seq(int sender, int seq) { }

    /**
     * Two to six threads send numbered messages to one or two agents with small mailboxes,
     * retrying whenever a mailbox is full: each agent must process each sender's messages once
     * each, in the sender's order, one callback at a time.
     */
    @Property(tries = 15)
    default void required_spec_2_3_perSenderFifoWithManyConcurrentSenders(
            @ForAll @IntRange(min = 2, max = 5) final int senders,
            @ForAll @IntRange(min = 20, max = 100) final int each,
            @ForAll @IntRange(min = 1, max = 16) final int capacity,
            @ForAll @IntRange(min = 1, max = 2) final int agentCount) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final List<Recorder<Seq>> agents = new ArrayList<>();
        for (int a = 0; a < agentCount; a++) {
            agents.add(kit.recorder(rt, Seq.class, SpawnOptions.defaults().withMailboxCapacity(capacity)));
        }
        final List<java.util.concurrent.Callable<Object>> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int sender = s;
            threads.add(() -> {
                for (int i = 0; i < each; i++) {
                    tellPatiently(kit, agents.get((sender + i) % agentCount).ref(), new Seq(sender, i));
                }
                return null;
            });
        }
        runTogether(kit, threads);
        final Violations v = new Violations();
        for (int a = 0; a < agentCount; a++) {
            final Recorder<Seq> rec = agents.get(a);
            final Map<Integer, List<Integer>> expected = new HashMap<>();
            int total = 0;
            for (int s = 0; s < senders; s++) {
                final List<Integer> mine = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    if ((s + i) % agentCount == a) {
                        mine.add(i);
                    }
                }
                expected.put(s, mine);
                total += mine.size();
            }
            rec.awaitCount(total);
            for (int s = 0; s < senders; s++) {
                final int sender = s;
                final List<Integer> got = rec.messages().stream().filter(m -> m.sender() == sender).map(Seq::seq)
                        .collect(Collectors.toList());
                v.check(got.equals(expected.get(s)), rec.id() + " got sender " + s + "'s messages as " + got
                        + " (rule 2.3: once each, in the order they were accepted)");
            }
            v.check(rec.count() == total, rec.id() + " processed " + rec.count() + " messages, " + total + " sent");
            v.check(!rec.overlapSeen(), rec.id() + ": two callbacks overlapped (rule 1.1)");
        }
        v.assertNone();
    }

    // =========================================================================================
    // 1.1: one callback at a time under random load (messages, failures, restarts, asks, timers,
    // signals)
    // =========================================================================================

    /** What a load message makes the agent do. */
    enum Load { PLAIN, WORK, BOOM, ASK, TIMER, WATCH }

    @Provide
    default Arbitrary<List<List<Load>>> loads() {
        return Arbitraries.frequencyOf(
                        Tuple.of(10, Arbitraries.just(Load.PLAIN)),
                        Tuple.of(3, Arbitraries.just(Load.WORK)),
                        Tuple.of(2, Arbitraries.just(Load.BOOM)),
                        Tuple.of(3, Arbitraries.just(Load.ASK)),
                        Tuple.of(2, Arbitraries.just(Load.TIMER)),
                        Tuple.of(2, Arbitraries.just(Load.WATCH)))
                .list().ofMinSize(5).ofMaxSize(60).list().ofMinSize(2).ofMaxSize(4);
    }

    /**
     * A load message.
     *
     * @param sender the sending thread
     * @param seq    its number
     * @param load   what to do
     * @param reply  the reply handle of an ask, or null
     */
    record LoadMsg(int sender, int seq, Load load, Reply<Integer> reply) { }

    /**
     * Several threads send a random mix to one agent that restarts on failure (RestartPolicy.always):
     * plain messages, short busy work, failures, asks, timers it starts itself, and death-watch
     * signals of children it spawns and stops. No two callbacks (onStart, onMessage, onSignal,
     * onStop, across instances) may overlap; every ask is answered; every message is processed.
     */
    @Property(tries = 10)
    default void required_spec_1_1_callbacksNeverOverlapUnderRandomLoad(
            @ForAll("loads") final List<List<Load>> senders) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final boolean timers = kit.has(Capability.TIMERS);
        final boolean watch = kit.has(Capability.DEATH_WATCH);
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(64)
                .withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m instanceof LoadMsg l) {
                switch (l.load()) {
                    case WORK -> spinMicros(200);
                    case BOOM -> throw new IllegalStateException("planned failure");
                    case ASK -> l.reply().reply(l.seq());
                    case TIMER -> {
                        if (timers) {
                            final String key = "t" + l.sender() + "-" + l.seq();
                            ctx.timers().startSingle(key, "timer:" + key, Duration.ZERO);
                        }
                    }
                    case WATCH -> {
                        if (watch) {
                            final AgentRef<String> child = ctx.runtime().spawn(String.class, () -> (x, c) -> { });
                            ctx.watch(child.id());
                            ctx.runtime().stop(child.id());
                        }
                    }
                    default -> { }
                }
            }
        });
        final ConcurrentLinkedQueue<CompletionStage<Integer>> asks = new ConcurrentLinkedQueue<>();
        final AtomicInteger sent = new AtomicInteger();
        final List<java.util.concurrent.Callable<Object>> threads = new ArrayList<>();
        for (int s = 0; s < senders.size(); s++) {
            final int sender = s;
            final List<Load> loads = senders.get(s);
            threads.add(() -> {
                for (int i = 0; i < loads.size(); i++) {
                    final int seq = i;
                    if (loads.get(i) == Load.ASK) {
                        final long deadline = System.nanoTime() + kit.waitLimit().toNanos();
                        while (true) {
                            final CompletionStage<Integer> stage = probe.ref().<Integer>ask(
                                    r -> new LoadMsg(sender, seq, Load.ASK, r), kit.waitLimit());
                            final CompletableFuture<Integer> f = stage.toCompletableFuture();
                            if (f.isCompletedExceptionally() && Kit.unwrap(f.handle((x, t) -> t).join())
                                    instanceof MailboxFullException && System.nanoTime() - deadline < 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            asks.add(stage);
                            break;
                        }
                    } else {
                        tellPatiently(kit, probe.ref(), new LoadMsg(sender, seq, loads.get(i), null));
                    }
                    sent.incrementAndGet();
                }
                return null;
            });
        }
        runTogether(kit, threads);
        for (final CompletionStage<Integer> ask : asks) {
            kit.await("every ask to be answered", ask);
        }
        kit.await("every message to be processed",
                () -> probe.messages().stream().filter(LoadMsg.class::isInstance).count() == sent.get());
        if (timers) {
            // a timer started before a failure may be cancelled by the restart (rule 7.4); the others must fire
            final List<Object> log = probe.messages();
            int lastBoom = -1;
            for (int i = 0; i < log.size(); i++) {
                if (log.get(i) instanceof LoadMsg l && l.load() == Load.BOOM) {
                    lastBoom = i;
                }
            }
            for (int i = lastBoom + 1; i < log.size(); i++) {
                if (log.get(i) instanceof LoadMsg l && l.load() == Load.TIMER) {
                    final String fired = "timer:t" + l.sender() + "-" + l.seq();
                    kit.await("the timer started by " + l, () -> probe.messages().contains(fired));
                }
            }
        }
        final long watches = probe.messages().stream().filter(m -> m instanceof LoadMsg l && l.load() == Load.WATCH).count();
        if (watch) {
            kit.await("one Terminated signal per watched child (a restart keeps the watches)",
                    () -> probe.signals().size() >= watches);
        }
        final CompletionStage<TerminationCause> gone = rt.whenTerminated(probe.id());
        rt.stop(probe.id());
        kit.await("the probe to terminate", gone);
        assertFalse(probe.overlapSeen(), "two callbacks of one agent ran at the same time (rule 1.1)");
        assertEquals(probe.starts(), probe.stops(), "onStop once per started instance (rule 3.3)");
        if (watch) {
            assertEquals(watches, probe.signals().size(), "exactly one Terminated signal per watch (rule 4.7)");
        }
    }

    // =========================================================================================
    // 3.1: lifecycle only along legal edges
    // =========================================================================================

    /** A lifecycle action against one of the agents. */
    enum LifeOp { TELL, BOOM, PAUSE, RESUME, STOP, SELF_STOP }

    /**
     * One generated agent of the lifecycle property.
     *
     * @param policy        0 never, 1 always, 2 onFailure(1 in a minute)
     * @param startFailures how many first instances fail in onStart
     */
    record LifeAgent(int policy, int startFailures) { }

    /**
     * One generated action.
     *
     * @param agent which agent
     * @param op    what to do
     */
    record LifeAction(int agent, LifeOp op) { }

    @Provide
    default Arbitrary<List<LifeAgent>> lifeAgents() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 2))
                .as(LifeAgent::new).list().ofMinSize(2).ofMaxSize(4);
    }

    @Provide
    default Arbitrary<List<LifeAction>> lifeActions() {
        final Arbitrary<Integer> agent = Arbitraries.integers().between(0, 3);
        return Arbitraries.frequencyOf(
                        Tuple.of(5, agent.map(a -> new LifeAction(a, LifeOp.TELL))),
                        Tuple.of(2, agent.map(a -> new LifeAction(a, LifeOp.BOOM))),
                        Tuple.of(3, agent.map(a -> new LifeAction(a, LifeOp.PAUSE))),
                        Tuple.of(3, agent.map(a -> new LifeAction(a, LifeOp.RESUME))),
                        Tuple.of(1, agent.map(a -> new LifeAction(a, LifeOp.STOP))),
                        Tuple.of(1, agent.map(a -> new LifeAction(a, LifeOp.SELF_STOP))))
                .list().ofMinSize(5).ofMaxSize(40);
    }

    /**
     * Agents with random restart policies and start failures are told, failed, paused, resumed and
     * stopped from two threads, racing their own restarts. Every agent's transitions on
     * {@link SystemTopics#LIFECYCLE} must form one chain along the legal edges, from STARTING to
     * TERMINATED, with one restart edge per restart and PAUSED only after a pause request; the
     * states seen through {@code state()} must be ones the chain went through.
     */
    @Property(tries = 15)
    @RequiresCapability({Capability.PUBSUB, Capability.PAUSE})
    default void required_spec_3_1_lifecycleEventsFollowLegalEdges(
            @ForAll("lifeAgents") final List<LifeAgent> specs,
            @ForAll("lifeActions") final List<LifeAction> first,
            @ForAll("lifeActions") final List<LifeAction> second) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Violations v = new Violations();
        final Recorder<LifecycleEvent> lifecycle = systemRecorder(kit, rt, SystemTopics.LIFECYCLE);
        final List<AgentRef<String>> agents = new ArrayList<>();
        final List<AtomicInteger> instances = new ArrayList<>();
        final List<CompletionStage<TerminationCause>> terminations = new ArrayList<>();
        final Set<Integer> pauseRequested = ConcurrentHashMap.newKeySet();
        final Map<AgentId, Set<AgentState>> seen = new ConcurrentHashMap<>();
        for (final LifeAgent spec : specs) {
            final AtomicInteger made = new AtomicInteger();
            final RestartPolicy policy = switch (spec.policy()) {
                case 0 -> RestartPolicy.never();
                case 1 -> RestartPolicy.always(Backoff.NONE);
                default -> RestartPolicy.onFailure(1, Duration.ofMinutes(1), Backoff.NONE);
            };
            final AgentRef<String> ref = rt.spawn(String.class, () -> {
                final int instance = made.incrementAndGet();
                return new Agent<String>() {
                    @Override
                    public void onStart(final AgentContext<String> context) {
                        if (instance <= spec.startFailures()) {
                            throw new IllegalStateException("planned start failure");
                        }
                    }

                    @Override
                    public void onMessage(final String message, final AgentContext<String> context) {
                        if ("boom".equals(message)) {
                            throw new IllegalStateException("planned failure");
                        } else if ("self-stop".equals(message)) {
                            context.stop();
                        }
                    }
                };
            }, SpawnOptions.defaults().withRestartPolicy(policy));
            agents.add(ref);
            instances.add(made);
            terminations.add(rt.whenTerminated(ref.id()));
            seen.put(ref.id(), ConcurrentHashMap.newKeySet());
        }
        final List<java.util.concurrent.Callable<Object>> threads = new ArrayList<>();
        for (final List<LifeAction> actions : List.of(first, second)) {
            threads.add(() -> {
                for (final LifeAction action : actions) {
                    final int a = action.agent() % agents.size();
                    final AgentRef<String> ref = agents.get(a);
                    try {
                        switch (action.op()) {
                            case TELL -> ref.tell("hello");
                            case BOOM -> ref.tell("boom");
                            case SELF_STOP -> ref.tell("self-stop");
                            case PAUSE -> {
                                pauseRequested.add(a);
                                rt.pause(ref.id());
                            }
                            case RESUME -> rt.resume(ref.id());
                            case STOP -> rt.stop(ref.id());
                            default -> { }
                        }
                    } catch (AgentNotFoundException | MailboxFullException refused) {
                        // the agent is gone or busy: part of the race
                    }
                    rt.state(ref.id()).ifPresent(s -> seen.get(ref.id()).add(s));
                }
                return null;
            });
        }
        runTogether(kit, threads);
        for (final AgentRef<String> ref : agents) {
            try {
                rt.stop(ref.id());
            } catch (AgentNotFoundException alreadyGone) {
                // fine
            }
        }
        for (int a = 0; a < agents.size(); a++) {
            final AgentId id = agents.get(a).id();
            kit.await(id + " to terminate", terminations.get(a));
            kit.await("the TERMINATED transition of " + id, () -> lifecycle.messages().stream()
                    .anyMatch(e -> e.agent().equals(id) && e.to() == AgentState.TERMINATED));
        }
        for (int a = 0; a < agents.size(); a++) {
            final AgentId id = agents.get(a).id();
            final List<LifecycleEvent> events = lifecycle.messages().stream().filter(e -> e.agent().equals(id))
                    .collect(Collectors.toList());
            checkChain(v, id, events);
            final long restarts = events.stream().filter(e -> e.to() == AgentState.STARTING).count();
            v.check(instances.get(a).get() >= 1
                    && (instances.get(a).get() == 1 + restarts || instances.get(a).get() == restarts),
                    id + ": the factory made " + instances.get(a).get() + " instances for " + restarts + " restart edges: " + events);
            v.check(pauseRequested.contains(a) || events.stream().noneMatch(e -> e.to() == AgentState.PAUSED),
                    id + ": PAUSED without a pause request: " + events);
            final Set<AgentState> visited = new HashSet<>();
            events.forEach(e -> {
                visited.add(e.from());
                visited.add(e.to());
            });
            v.check(visited.containsAll(seen.get(id)), id + ": state() reported " + seen.get(id)
                    + " but the published chain only visits " + visited);
        }
        v.assertNone();
    }

    // =========================================================================================
    // 5.1: an ask completes exactly once, whatever races it
    // =========================================================================================

    /** What races an ask. */
    enum Race { REPLY, REPLY_VS_TIMEOUT, REPLIES_RACE, REPLY_VS_STOP, TARGET_FAILS, REFUSED }

    /**
     * One generated ask.
     *
     * @param race       what races it
     * @param spinMicros how long the racing replier works first
     * @param racers     how many racing repliers
     */
    record AskScenario(Race race, int spinMicros, int racers) { }

    @Provide
    default Arbitrary<List<AskScenario>> askScenarios() {
        return Combinators.combine(Arbitraries.of(Race.class), Arbitraries.integers().between(0, 3000),
                        Arbitraries.integers().between(2, 3))
                .as(AskScenario::new).list().ofMinSize(3).ofMaxSize(12);
    }

    /**
     * Asks raced by everything that can complete them: the reply, a timeout of a few milliseconds,
     * several repliers, a stop of the target, a failing target, a refused send. Each stage must
     * complete exactly once; its outcome must be the one reply/fail call that returned true or, if
     * none did, a runtime failure fitting the race; every reply/fail that returned false is counted
     * as a late reply, and nothing else is.
     */
    @Property(tries = 15)
    default void required_spec_5_1_askCompletesExactlyOnceUnderRaces(
            @ForAll("askScenarios") final List<AskScenario> scenarios) throws Exception {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Violations v = new Violations();
        final long lateBefore = rt.counters().lateReplies();
        final AtomicInteger refusedCalls = new AtomicInteger();
        final ConcurrentLinkedQueue<Future<?>> racers = new ConcurrentLinkedQueue<>();
        final List<Runnable> checks = new ArrayList<>();
        for (int i = 0; i < scenarios.size(); i++) {
            final AskScenario scenario = scenarios.get(i);
            final int n = i;
            final ConcurrentLinkedQueue<Object> winners = new ConcurrentLinkedQueue<>();
            final AtomicReference<Reply<Integer>> handle = new AtomicReference<>();
            final CountDownLatch received = new CountDownLatch(1);
            final CountDownLatch replied = new CountDownLatch(1);
            final Recorder<AskReq> target = kit.recorder(AskReq.class);
            target.behave((m, ctx) -> {
                handle.set(m.reply());
                received.countDown();
                switch (scenario.race()) {
                    case REPLY -> {
                        if (m.reply().reply(n)) {
                            winners.add(n);
                        } else {
                            refusedCalls.incrementAndGet();
                        }
                        replied.countDown();
                    }
                    case TARGET_FAILS -> throw new IllegalStateException("planned failure");
                    default -> { }
                }
            });
            final Duration timeout = scenario.race() == Race.REPLY_VS_TIMEOUT
                    ? Duration.ofMillis(1 + scenario.spinMicros() / 1000) : kit.waitLimit().multipliedBy(2);
            if (scenario.race() == Race.REFUSED) {
                final CompletionStage<TerminationCause> gone = rt.whenTerminated(target.id());
                rt.stop(target.id());
                kit.await("the target to terminate", gone);
            }
            final CompletionStage<Integer> stage = target.ref().ask(r -> new AskReq(n, r), timeout);
            final boolean doneAtOnce = stage.toCompletableFuture().isDone();
            final AtomicInteger completions = new AtomicInteger();
            stage.whenComplete((x, t) -> completions.incrementAndGet());
            final int racerCount = switch (scenario.race()) {
                case REPLY_VS_TIMEOUT, REPLY_VS_STOP -> 1;
                case REPLIES_RACE -> scenario.racers();
                default -> 0;
            };
            final int parties = racerCount + (scenario.race() == Race.REPLY_VS_STOP ? 1 : 0);
            final CyclicBarrier together = new CyclicBarrier(Math.max(1, parties));
            for (int r = 0; r < racerCount; r++) {
                final int racer = r;
                final RuntimeException failure = new IllegalStateException("racer " + r);
                racers.add(kit.fork(() -> {
                    try {
                        if (!received.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS)) {
                            v.add("ask " + n + ": the request never arrived");
                            return;
                        }
                        together.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception e) {
                        v.add("ask " + n + ": " + e);
                        return;
                    }
                    spinMicros(scenario.spinMicros());
                    final boolean won = racer % 2 == 0 ? handle.get().reply(100 + racer) : handle.get().fail(failure);
                    if (won) {
                        winners.add(racer % 2 == 0 ? (Object) (100 + racer) : failure);
                    } else {
                        refusedCalls.incrementAndGet();
                    }
                }));
            }
            if (scenario.race() == Race.REPLY_VS_STOP) {
                racers.add(kit.fork(() -> {
                    try {
                        received.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                        together.await(kit.waitLimit().toMillis(), TimeUnit.MILLISECONDS);
                        rt.stop(target.id());
                    } catch (Exception e) {
                        v.add("ask " + n + ": " + e);
                    }
                }));
            }
            checks.add(() -> {
                final CompletableFuture<Integer> f = stage.toCompletableFuture();
                // f and the counting callback are two dependents of the stage: the completing thread runs them
                // one after the other, in no promised order, so wait for both before counting
                kit.await("ask " + n + " (" + scenario + ") to complete (rule 5.1)",
                        () -> f.isDone() && completions.get() > 0);
                if (scenario.race() == Race.REPLY) {
                    kit.await("the agent's reply call to return", () -> replied.getCount() == 0);
                }
                v.check(completions.get() == 1, "ask " + n + " (" + scenario + ") completed " + completions.get() + " times");
                final Throwable failure = f.isCompletedExceptionally() ? Kit.unwrap(f.handle((x, t) -> t).join()) : null;
                final Object outcome = failure != null ? failure : f.join();
                v.check(winners.size() <= 1, "ask " + n + ": more than one reply/fail returned true: " + winners);
                if (!winners.isEmpty()) {
                    v.check(Objects.equals(winners.peek(), outcome), "ask " + n + " (" + scenario + "): completed with "
                            + outcome + " but the winning reply was " + winners.peek());
                } else {
                    final boolean fits = switch (scenario.race()) {
                        case REPLY_VS_TIMEOUT -> failure instanceof AskTimeoutException;
                        case REPLY_VS_STOP -> failure instanceof AgentTerminatedException;
                        // rule 5.8: the handler's own exception (the ask fails before the failure stops the agent)
                        case TARGET_FAILS -> failure instanceof IllegalStateException ise && "planned failure".equals(ise.getMessage());
                        case REFUSED -> failure instanceof AgentNotFoundException && doneAtOnce;
                        default -> false;
                    };
                    v.check(fits, "ask " + n + " (" + scenario + "): no reply won, yet it completed with " + outcome);
                }
            });
        }
        for (final Future<?> racer : racers) {
            kit.join("a racer of the asks", racer, 2);
        }
        checks.forEach(Runnable::run);
        kit.await("every refused reply to be counted as late (rule 5.4)",
                () -> rt.counters().lateReplies() - lateBefore >= refusedCalls.get());
        v.check(rt.counters().lateReplies() - lateBefore == refusedCalls.get(), "lateReplies "
                + (rt.counters().lateReplies() - lateBefore) + ", refused reply/fail calls " + refusedCalls.get());
        v.assertNone();
    }

    // =========================================================================================
    // 7.3: no delivery after cancel, under random timer schedules
    // =========================================================================================

    /** A timer command, run by the agent in order. */
    sealed interface TCmd permits TCmd.Start, TCmd.Cancel, TCmd.CancelAll, TCmd.Spin, TCmd.Boom, TCmd.End {
        /** Start (or replace) timer {@code key}. */
        record Start(int key, boolean fixedRate, int delayMicros, int periodMicros) implements TCmd { }
        /** Cancel timer {@code key}. */
        record Cancel(int key) implements TCmd { }
        /** Cancel every timer. */
        record CancelAll() implements TCmd { }
        /** Keep the agent busy so that ticks queue up. */
        record Spin(int micros) implements TCmd { }
        /** Fail: the agent restarts and its timers are cancelled. */
        record Boom() implements TCmd { }
        /** The end of the script. */
        record End() implements TCmd { }
    }

    /**
     * A timer message: generation {@code gen} of timer {@code key}.
     *
     * @param key the key
     * @param gen the index of the command that started it
     */
    record TTick(int key, int gen) { }

    /**
     * A command together with its position in the script.
     *
     * @param index the position
     * @param cmd   the command
     */
    record Step(int index, TCmd cmd) { }

    @Provide
    default Arbitrary<List<TCmd>> timerScripts() {
        final Arbitrary<Integer> key = Arbitraries.integers().between(0, 2);
        return Arbitraries.<TCmd>frequencyOf(
                        Tuple.of(5, Combinators.combine(key, Arbitraries.of(true, false), Arbitraries.integers().between(0, 3000),
                                Arbitraries.integers().between(500, 3000)).as(TCmd.Start::new)),
                        Tuple.of(3, key.map(TCmd.Cancel::new)),
                        Tuple.of(1, Arbitraries.just(new TCmd.CancelAll())),
                        Tuple.of(3, Arbitraries.integers().between(0, 3000).map(TCmd.Spin::new)),
                        Tuple.of(1, Arbitraries.just(new TCmd.Boom())))
                .list().ofMinSize(3).ofMaxSize(25);
    }

    /**
     * An agent runs a random script of starts (one-shot and fixed-rate, replacing keys), cancels,
     * cancel-alls, busy spells that let ticks pile up, and failures that restart it. Replaying the
     * agent's own processing order against a model of its active timers: no tick of a cancelled,
     * replaced or restarted timer is ever delivered; a one-shot fires at most once; no tick is early;
     * {@code isActive} and {@code cancel} report the model's state; and the one-shots still active
     * at the end do fire.
     */
    @Property(tries = 20)
    @RequiresCapability(Capability.TIMERS)
    default void required_spec_7_3_noDeliveryAfterCancelUnderRandomTimerSchedules(
            @ForAll("timerScripts") final List<TCmd> script) {
        final Kit kit = kit();
        final AgentRuntime rt = kit.runtime();
        final Violations v = new Violations();
        final Map<Integer, Long> startedAt = new ConcurrentHashMap<>();
        final Map<Integer, ConcurrentLinkedQueue<Long>> tickedAt = new ConcurrentHashMap<>();
        final Map<Integer, Boolean> cancelResults = new ConcurrentHashMap<>();
        final Map<Integer, boolean[]> activeBefore = new ConcurrentHashMap<>();
        final Recorder<Object> probe = kit.recorder(rt, Object.class, SpawnOptions.defaults().withMailboxCapacity(1024)
                .withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        probe.behave((m, ctx) -> {
            if (m instanceof TTick t) {
                tickedAt.computeIfAbsent(t.gen(), g -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
                return;
            }
            if (!(m instanceof Step step)) {
                return;
            }
            final boolean[] active = new boolean[3];
            for (int k = 0; k < 3; k++) {
                active[k] = ctx.timers().isActive(k);
            }
            activeBefore.put(step.index(), active);
            final TCmd cmd = step.cmd();
            if (cmd instanceof TCmd.Start s) {
                startedAt.put(step.index(), System.nanoTime());
                final TTick tick = new TTick(s.key(), step.index());
                if (s.fixedRate()) {
                    ctx.timers().startFixedRate(s.key(), tick, Duration.ofNanos(s.delayMicros() * 1_000L),
                            Duration.ofNanos(s.periodMicros() * 1_000L));
                } else {
                    ctx.timers().startSingle(s.key(), tick, Duration.ofNanos(s.delayMicros() * 1_000L));
                }
            } else if (cmd instanceof TCmd.Cancel c) {
                cancelResults.put(step.index(), ctx.timers().cancel(c.key()));
            } else if (cmd instanceof TCmd.CancelAll) {
                ctx.timers().cancelAll();
            } else if (cmd instanceof TCmd.Spin s) {
                spinMicros(s.micros());
            } else if (cmd instanceof TCmd.Boom) {
                throw new IllegalStateException("planned failure");
            }
        });
        final List<TCmd> full = new ArrayList<>(script);
        full.add(new TCmd.End());
        for (int i = 0; i < full.size(); i++) {
            tellPatiently(kit, probe.ref(), new Step(i, full.get(i)));
        }
        final Step end = new Step(full.size() - 1, full.get(full.size() - 1));
        kit.await("the script to run", () -> probe.messages().contains(end));
        // liveness: what is active at the end must (still) fire
        final Map<Integer, TimerGen> atEnd = replayTimers(probe.messages(), full, startedAt, tickedAt, cancelResults,
                activeBefore, null);
        for (final TimerGen g : atEnd.values()) {
            kit.await("timer " + g.key + " (command " + g.gen + ") is still active, so it must fire",
                    () -> tickedAt.getOrDefault(g.gen, new ConcurrentLinkedQueue<>()).size() > g.deliveredAtEnd);
        }
        final Step last = new Step(full.size(), new TCmd.CancelAll());
        full.add(last.cmd());
        tellPatiently(kit, probe.ref(), last);
        kit.await("the final cancelAll", () -> probe.messages().contains(last));
        replayTimers(probe.messages(), full, startedAt, tickedAt, cancelResults, activeBefore, v);
        v.assertNone();
    }

    /** The model of one started timer. */
    final class TimerGen {
        final int key;
        final int gen;
        final boolean fixedRate;
        final long dueNanos;
        final long periodNanos;
        int delivered;
        int deliveredAtEnd;

        TimerGen(final int key, final int gen, final TCmd.Start start) {
            this.key = key;
            this.gen = gen;
            this.fixedRate = start.fixedRate();
            this.dueNanos = start.delayMicros() * 1_000L;
            this.periodNanos = start.periodMicros() * 1_000L;
        }
    }

    /**
     * Replays the agent's processing order against the timer model.
     *
     * @param v where violations go; null to only compute the active timers at the End command
     * @return the timers active when the End command was processed
     */
    private static Map<Integer, TimerGen> replayTimers(final List<Object> log, final List<TCmd> script,
                                                       final Map<Integer, Long> startedAt,
                                                       final Map<Integer, ConcurrentLinkedQueue<Long>> tickedAt,
                                                       final Map<Integer, Boolean> cancelResults,
                                                       final Map<Integer, boolean[]> activeBefore, final Violations v) {
        final Violations sink = v != null ? v : new Violations();
        final Map<Integer, TimerGen> active = new HashMap<>();
        Map<Integer, TimerGen> atEnd = Map.of();
        final Map<Integer, List<Long>> ticks = new HashMap<>();
        tickedAt.forEach((g, q) -> ticks.put(g, new ArrayList<>(q)));
        for (final Object m : log) {
            if (m instanceof TTick t) {
                final TimerGen g = active.get(t.key());
                if (g == null || g.gen != t.gen()) {
                    sink.add("tick of timer " + t.key() + " (command " + t.gen() + ") delivered after it was cancelled,"
                            + " replaced or reset by a restart (rules 7.1, 7.3, 7.4); script " + script);
                    continue;
                }
                final List<Long> at = ticks.getOrDefault(t.gen(), List.of());
                if (g.delivered < at.size()) {
                    final long waited = at.get(g.delivered) - startedAt.get(g.gen);
                    final long due = g.dueNanos + g.delivered * g.periodNanos;
                    sink.check(waited >= due, "tick " + g.delivered + " of timer " + g.key + " (command " + g.gen + ") came after "
                            + waited / 1_000 + " us, due after " + due / 1_000 + " us (rule 7.2)");
                }
                g.delivered++;
                if (!g.fixedRate) {
                    active.remove(t.key()); // a one-shot stops being active when delivered
                }
            } else if (m instanceof Step step) {
                final boolean[] seenActive = activeBefore.get(step.index());
                if (seenActive != null) {
                    for (int k = 0; k < 3; k++) {
                        sink.check(seenActive[k] == active.containsKey(k), "before command " + step.index() + " ("
                                + step.cmd() + ") isActive(" + k + ") was " + seenActive[k] + ", the model says "
                                + active.containsKey(k) + "; script " + script);
                    }
                }
                final TCmd cmd = step.cmd();
                if (cmd instanceof TCmd.Start s) {
                    active.put(s.key(), new TimerGen(s.key(), step.index(), s));
                } else if (cmd instanceof TCmd.Cancel c) {
                    final Boolean result = cancelResults.get(step.index());
                    sink.check(Objects.equals(result, active.containsKey(c.key())), "cancel(" + c.key() + ") at command "
                            + step.index() + " returned " + result + ", the model says " + active.containsKey(c.key()));
                    active.remove(c.key());
                } else if (cmd instanceof TCmd.CancelAll || cmd instanceof TCmd.Boom) {
                    active.clear();
                } else if (cmd instanceof TCmd.End) {
                    final Map<Integer, TimerGen> snapshot = new LinkedHashMap<>();
                    active.forEach((k, g) -> {
                        g.deliveredAtEnd = g.delivered;
                        snapshot.put(k, g);
                    });
                    atEnd = snapshot;
                }
            }
        }
        for (final Map.Entry<Integer, List<Long>> e : ticks.entrySet()) {
            final TCmd cmd = script.get(e.getKey());
            if (cmd instanceof TCmd.Start s && !s.fixedRate()) {
                sink.check(e.getValue().size() <= 1, "one-shot timer of command " + e.getKey() + " fired "
                        + e.getValue().size() + " times");
            }
        }
        return atEnd;
    }

    // =========================================================================================
    // 5.6: cyclic asks never deadlock
    // =========================================================================================

    /**
     * Rings of two to four agents answer asks that travel several times around the ring: each
     * agent asks the next one from inside its handler and gets the answer back with pipeToSelf,
     * so every agent is asked again while its own ask is pending. Several such asks run at once.
     * All must complete with the number of hops.
     */
    @Property(tries = 15)
    default void required_spec_5_6_cyclicAsksNeverDeadlock(
            @ForAll @IntRange(min = 2, max = 4) final int ringSize,
            @ForAll @IntRange(min = 1, max = 12) final int depth,
            @ForAll @IntRange(min = 1, max = 4) final int concurrent) {
        final Kit kit = kit();
        final AtomicReferenceArray<AgentRef<Cyc>> ring = CycleAgent.ring(kit, kit.runtime(), ringSize);
        final List<CompletionStage<Integer>> stages = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
            final int d = depth + i;
            stages.add(ring.get(i % ringSize).ask(r -> new CycAsk(d, r), kit.waitLimit().multipliedBy(3)));
        }
        for (int i = 0; i < concurrent; i++) {
            assertEquals(depth + i, kit.await("cyclic ask " + i + " of depth " + (depth + i) + " around " + ringSize
                    + " agents (rule 5.6)", stages.get(i)));
        }
        assertTrue(stages.stream().allMatch(s -> s.toCompletableFuture().isDone()));
    }
}
