package dev.flin.testkit;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.Reply;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.DeterministicDispatcher;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * One runtime for one test, with what a test needs around it: probes that stand in for agents,
 * reply probes, waiting on the runtime's clock, and the runtime's failures, dead letters and
 * lifecycle events captured from its system topics (rules 2.8, 3.9, 4.5).
 *
 * <p>Two kinds of kit:
 * <ul>
 *   <li>{@link #create()}: the real worker pool. Expectations wait in real time, up to
 *       {@link #defaultTimeout()} unless given a duration.</li>
 *   <li>{@link #deterministic(long)}: every agent runs on the test's thread, in an order drawn from
 *       the seed, with a manual clock ({@link DeterministicDispatcher}). Nothing runs until the test
 *       expects something, calls {@link #runUntilIdle()} or {@link #advanceTime}; an expectation
 *       runs ready tasks and moves the manual clock (firing timers) until it holds or its duration
 *       has passed on that clock, with no real wait. The same seed and the same test replay the same
 *       interleaving.</li>
 * </ul>
 *
 * <p>Failures: every failure of an agent (a callback that threw, rule 4.1) is captured. A failure is
 * <em>expected</em> once {@link #expectFailure} took it or an {@link #allowFailures} predicate
 * accepts it; any other makes {@link #close()} (and so the JUnit extension) fail the test, after
 * shutting the runtime down. A failure the capture could not record (its mailbox was full) counts
 * as unexpected: the kit compares what it captured with the runtime's failure counter.
 *
 * <p>Threading: one test thread. A deterministic kit must be used from the thread that drives its
 * dispatcher (the first that expects, runs or advances; the dispatcher checks it). The probes' and
 * captures' agents append from runtime threads into concurrent queues; an event being recorded
 * happens-before an expectation that returns it.
 */
public final class FlinTestKit implements AutoCloseable {

    /** How long an expectation waits unless given a duration: 10 s (it returns as soon as it holds). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link TestProbe#expectNoMessage()} watches unless given a duration: 100 ms. */
    public static final Duration DEFAULT_NO_MESSAGE_WAIT = Duration.ofMillis(100);
    /** Mailbox capacity of probes and of the kit's own capture agents. */
    public static final int PROBE_MAILBOX_CAPACITY = 1 << 16;
    /** How long {@link #close()} lets the runtime shut down before it reports the agents still running. */
    public static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    private final AgentRuntime runtime;
    private final @Nullable DeterministicDispatcher deterministic;
    private final Waiting waiting;

    private final Queue<AgentFailure> failures = new ConcurrentLinkedQueue<>();
    private final Queue<DeadLetter> deadLetters = new ConcurrentLinkedQueue<>();
    private final Queue<LifecycleEvent> lifecycle = new ConcurrentLinkedQueue<>();
    /** Indices into {@link #failures} that {@link #expectFailure} took. */
    private final Set<Integer> claimedFailures = ConcurrentHashMap.newKeySet();
    private final List<Predicate<? super AgentFailure>> allowedFailures = new CopyOnWriteArrayList<>();
    /** The kit's own agents, left out of {@link #lifecycleEvents()}. */
    private final Set<AgentId> internal = ConcurrentHashMap.newKeySet();
    private final Set<AgentId> watched = ConcurrentHashMap.newKeySet();
    private final Map<AgentId, TerminationCause> terminations = new ConcurrentHashMap<>();
    private final AgentRef<AgentId> watcher;
    /** Whether {@link #close()} shuts the runtime down (false for {@link #attach}). */
    private final boolean owned;
    /** The runtime's failure counter when the kit started capturing. */
    private final long failuresBefore;
    /** Probes, stopped by {@link #close()} of an attached kit. */
    private final Set<AgentId> probes = ConcurrentHashMap.newKeySet();
    private boolean closed;

    private FlinTestKit(final AgentRuntime runtime, final @Nullable DeterministicDispatcher deterministic, final boolean owned) {
        this.deterministic = deterministic;
        this.waiting = deterministic == null ? Waiting.realClock() : Waiting.manualClock(deterministic);
        this.runtime = runtime;
        this.owned = owned;
        this.failuresBefore = runtime.counters().failures();
        capture(SystemTopics.FAILURES, AgentFailure.class, failures);
        capture(SystemTopics.DEAD_LETTERS, DeadLetter.class, deadLetters);
        capture(SystemTopics.LIFECYCLE, LifecycleEvent.class, lifecycle);
        this.watcher = internalAgent(AgentId.class, () -> new Watcher(watched, terminations));
    }

    private static FlinTestKit owning(final RuntimeOptions options, final @Nullable DeterministicDispatcher deterministic) {
        return new FlinTestKit(FlinRuntime.create(deterministic == null ? options : options.withDispatcher(deterministic)),
                deterministic, true);
    }

    /**
     * A kit on a runtime the test did not make through the kit: a service's, say. It captures from
     * now on (failures counted before are not its concern), waits in real time, and on
     * {@link #close()} checks failures and stops its own agents (probes, captures) but leaves the
     * runtime running: its owner shuts it down.
     *
     * @param runtime a running runtime on real threads (not on a deterministic dispatcher, which
     *                its owner drives)
     * @return a kit attached to it
     */
    public static FlinTestKit attach(final AgentRuntime runtime) {
        Objects.requireNonNull(runtime, "runtime");
        if (runtime.isShutdown()) {
            throw new IllegalStateException("cannot attach a kit to a runtime that is shut down");
        }
        return new FlinTestKit(runtime, null, false);
    }

    /** @return a kit on the real worker pool with the default options */
    public static FlinTestKit create() {
        return create(RuntimeOptions.defaults());
    }

    /**
     * @param options the runtime's options (its dispatcher among them)
     * @return a kit on a runtime built from them
     */
    public static FlinTestKit create(final RuntimeOptions options) {
        return owning(Objects.requireNonNull(options, "options"), null);
    }

    /**
     * @param seed the seed the interleaving is drawn from; the same seed replays it
     * @return a kit on the deterministic dispatcher with a manual clock
     */
    public static FlinTestKit deterministic(final long seed) {
        return deterministic(seed, RuntimeOptions.defaults());
    }

    /**
     * @param seed    the seed the interleaving is drawn from
     * @param options the runtime's other options; their dispatcher is replaced by the deterministic one
     * @return a kit on the deterministic dispatcher with a manual clock
     */
    public static FlinTestKit deterministic(final long seed, final RuntimeOptions options) {
        Objects.requireNonNull(options, "options");
        return owning(options, Dispatchers.deterministic(seed));
    }

    // ------------------------------------------------------------------------------ the runtime

    /** @return the runtime under test */
    public AgentRuntime runtime() {
        return runtime;
    }

    /** @return whether this kit runs on the deterministic dispatcher */
    public boolean isDeterministic() {
        return deterministic != null;
    }

    /** @return the deterministic dispatcher's seed, or empty on the worker pool */
    public OptionalLong seed() {
        return deterministic == null ? OptionalLong.empty() : OptionalLong.of(deterministic.seed());
    }

    /** @return the deterministic dispatcher, to drive it step by step; empty on the worker pool */
    public Optional<DeterministicDispatcher> dispatcher() {
        return Optional.ofNullable(deterministic);
    }

    /**
     * Moves the manual clock forward, firing the timers that fall due and running what they make ready.
     *
     * @param duration how far, at least zero
     * @throws IllegalStateException on the worker pool, whose clock is the real one
     */
    public void advanceTime(final Duration duration) {
        requireDeterministic("advanceTime").advanceTime(duration);
    }

    /**
     * Runs every ready task of the deterministic dispatcher (the clock stands still).
     *
     * @return how many ran
     * @throws IllegalStateException on the worker pool
     */
    public int runUntilIdle() {
        return requireDeterministic("runUntilIdle").runUntilIdle();
    }

    private DeterministicDispatcher requireDeterministic(final String operation) {
        if (deterministic == null) {
            throw new IllegalStateException(operation + " needs a deterministic kit (FlinTestKit.deterministic(seed)); "
                    + "this one runs on the real worker pool");
        }
        return deterministic;
    }

    /** @return how long expectations wait unless given a duration */
    public Duration defaultTimeout() {
        return DEFAULT_TIMEOUT;
    }

    /** @return how long a no-message expectation watches unless given a duration */
    public Duration defaultNoMessageWait() {
        return DEFAULT_NO_MESSAGE_WAIT;
    }

    Waiting waiting() {
        return waiting;
    }

    // ------------------------------------------------------------------------------ agents and probes

    /**
     * Spawns an agent on the runtime under test.
     *
     * @param messageType the type of message it accepts
     * @param factory     makes its instances
     * @param <M>         that type
     * @return its ref
     */
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory) {
        return runtime.spawn(messageType, factory);
    }

    /**
     * Spawns an agent on the runtime under test.
     *
     * @param messageType the type of message it accepts
     * @param factory     makes its instances
     * @param options     its name, mailbox, restart policy and dispatcher
     * @param <M>         that type
     * @return its ref
     */
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory, final SpawnOptions options) {
        return runtime.spawn(messageType, factory, options);
    }

    /**
     * @param messageType the type of message the probe accepts
     * @param <M>         that type
     * @return a new probe, an agent on the runtime under test
     */
    public <M> TestProbe<M> createProbe(final Class<M> messageType) {
        return createProbe(messageType, SpawnOptions.defaults().withMailboxCapacity(PROBE_MAILBOX_CAPACITY));
    }

    /**
     * @param messageType the type of message the probe accepts
     * @param name        a unique name, so that agents under test can {@code lookup} it
     * @param <M>         that type
     * @return a new probe with that name
     */
    public <M> TestProbe<M> createProbe(final Class<M> messageType, final String name) {
        return createProbe(messageType, SpawnOptions.defaults().withMailboxCapacity(PROBE_MAILBOX_CAPACITY).withName(name));
    }

    private <M> TestProbe<M> createProbe(final Class<M> messageType, final SpawnOptions options) {
        Objects.requireNonNull(messageType, "messageType");
        final Queue<M> received = TestProbe.newQueue();
        final AgentRef<M> ref = runtime.spawn(messageType, () -> TestProbe.recorder(received), options);
        probes.add(ref.id());
        return new TestProbe<>(this, ref, received);
    }

    /**
     * @param <R> the reply type
     * @return a reply handle to put into a request message
     */
    public <R> ReplyProbe<R> createReplyProbe() {
        return new ReplyProbe<>(this);
    }

    /**
     * Asks and waits for the answer on the kit's clock: for the test's thread only, never inside an agent.
     *
     * @param target  the agent asked
     * @param request makes the request from the reply handle
     * @param <M>     the target's message type
     * @param <R>     the reply type
     * @return the reply
     * @throws AssertionError if the ask fails (time-out included; the cause is attached)
     */
    public <M, R> R askAndAwait(final AgentRef<M> target, final Function<Reply<R>, ? extends M> request) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(request, "request");
        final CompletableFuture<R> answer = target.<R>ask(request, defaultTimeout()).toCompletableFuture();
        await("the answer of " + target.id(), answer::isDone, defaultTimeout().plusSeconds(1));
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw new AssertionError("the ask of " + target.id() + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + target.id(), e);
        }
    }

    // ------------------------------------------------------------------------------ waiting

    /**
     * Waits until the condition holds, on the kit's clock, up to the default timeout.
     *
     * @param what      what is awaited, for the failure message
     * @param condition checked repeatedly; must be thread-safe on the worker pool
     * @throws AssertionError if it does not hold in time
     */
    public void await(final String what, final BooleanSupplier condition) {
        await(what, condition, defaultTimeout());
    }

    /**
     * Waits until the condition holds, on the kit's clock.
     *
     * @param what      what is awaited, for the failure message
     * @param condition checked repeatedly; must be thread-safe on the worker pool
     * @param within    how long
     * @throws AssertionError if it does not hold in time
     */
    public void await(final String what, final BooleanSupplier condition, final Duration within) {
        Objects.requireNonNull(what, "what");
        Objects.requireNonNull(condition, "condition");
        if (!waiting.until(condition, within)) {
            throw new AssertionError("timed out after " + within + " waiting for " + what + describeSeed());
        }
    }

    // ------------------------------------------------------------------------------ termination

    /**
     * Watches an agent (rule 4.7), so that {@link #expectTerminated(AgentId, TerminationCause)} learns its
     * cause even if it terminates before being expected. Returns once the watch is in place (on the
     * deterministic dispatcher this runs ready tasks until then).
     *
     * @param target the agent to watch
     */
    public void watch(final AgentId target) {
        Objects.requireNonNull(target, "target");
        watcher.tell(target);
        await("the watch of " + target + " to be in place", () -> watched.contains(target));
    }

    /**
     * Waits for an agent to terminate, up to the default timeout.
     *
     * @param target the agent
     * @return why it terminated; {@link TerminationCause#UNKNOWN} if it had terminated before this
     *         call and was not {@linkplain #watch watched}
     * @throws AssertionError if it does not terminate in time
     */
    public TerminationCause expectTerminated(final AgentId target) {
        return expectTerminated(target, defaultTimeout());
    }

    /**
     * Waits for an agent to terminate.
     *
     * @param target the agent
     * @param within how long, on the kit's clock
     * @return why it terminated; {@link TerminationCause#UNKNOWN} if it had terminated before this
     *         call and was not {@linkplain #watch watched}
     * @throws AssertionError if it does not terminate in time
     */
    public TerminationCause expectTerminated(final AgentId target, final Duration within) {
        Objects.requireNonNull(target, "target");
        if (watched.contains(target)) {
            await(target + " to terminate", () -> terminations.containsKey(target), within);
            return Objects.requireNonNull(terminations.get(target), "awaited above; never removed");
        }
        final CompletableFuture<TerminationCause> cause = runtime.whenTerminated(target).toCompletableFuture();
        await(target + " to terminate", cause::isDone, within);
        return cause.join();
    }

    /**
     * Waits for an agent to terminate and checks why.
     *
     * @param target   the agent
     * @param expected the cause it must terminate with
     * @return the cause
     * @throws AssertionError if it does not terminate in time, or for another cause; if it had
     *                        terminated before this call unwatched, the message says to {@link #watch} it
     */
    public TerminationCause expectTerminated(final AgentId target, final TerminationCause expected) {
        Objects.requireNonNull(expected, "expected");
        final TerminationCause cause = expectTerminated(target);
        if (cause != expected) {
            throw new AssertionError(target + " terminated with " + cause + ", expected " + expected
                    + (cause == TerminationCause.UNKNOWN && expected != TerminationCause.UNKNOWN
                    ? " (it had terminated before expectTerminated was called, and the runtime keeps no record of"
                    + " the causes of terminated agents: call kit.watch(id) after spawning it)" : "")
                    + describeSeed());
        }
        return cause;
    }

    // ------------------------------------------------------------------------------ captured events

    /** @return every failure captured so far, oldest first, expected or not */
    public List<AgentFailure> failures() {
        return List.copyOf(failures);
    }

    /** @return every dead letter captured so far, oldest first */
    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /** @return every lifecycle event captured so far, oldest first, except those of the kit's own agents */
    public List<LifecycleEvent> lifecycleEvents() {
        return lifecycle.stream().filter(e -> !internal.contains(e.agent())).toList();
    }

    /**
     * @param agent an agent
     * @return the states it went through, as captured so far, starting with the first state it left
     */
    public List<AgentState> statesOf(final AgentId agent) {
        Objects.requireNonNull(agent, "agent");
        final List<AgentState> states = new ArrayList<>();
        for (final LifecycleEvent event : lifecycle) {
            if (event.agent().equals(agent)) {
                if (states.isEmpty()) {
                    states.add(event.from());
                }
                states.add(event.to());
            }
        }
        return states;
    }

    /**
     * Waits for a failure whose cause is of the given type that no earlier call took, and marks it expected.
     *
     * @param causeType the type of what was thrown
     * @return the failure
     * @throws AssertionError if none is captured within the default timeout
     */
    public AgentFailure expectFailure(final Class<? extends Throwable> causeType) {
        Objects.requireNonNull(causeType, "causeType");
        return expectFailure("a failure caused by a " + causeType.getName(), f -> causeType.isInstance(f.cause()));
    }

    /**
     * Waits for a failure that satisfies the predicate and that no earlier call took, and marks it expected.
     *
     * @param description what the predicate accepts, for the failure message
     * @param predicate   the failure looked for
     * @return the failure
     * @throws AssertionError if none is captured within the default timeout
     */
    public AgentFailure expectFailure(final String description, final Predicate<? super AgentFailure> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        final AgentFailure[] found = new AgentFailure[1];
        final boolean ok = waiting.until(() -> {
            int index = 0;
            for (final AgentFailure failure : failures) {
                if (!claimedFailures.contains(index) && predicate.test(failure)) {
                    claimedFailures.add(index);
                    found[0] = failure;
                    return true;
                }
                index++;
            }
            return false;
        }, defaultTimeout());
        if (!ok) {
            throw new AssertionError("expected " + description + " within " + defaultTimeout() + "; captured failures: "
                    + failures() + describeSeed());
        }
        return found[0];
    }

    /**
     * Marks every failure the predicate accepts, captured or to come, as expected.
     *
     * @param predicate which failures the test allows
     */
    public void allowFailures(final Predicate<? super AgentFailure> predicate) {
        allowedFailures.add(Objects.requireNonNull(predicate, "predicate"));
    }

    /**
     * Waits for a dead letter that satisfies the predicate.
     *
     * @param description what the predicate accepts, for the failure message
     * @param predicate   the dead letter looked for
     * @return the first captured one that satisfies it
     * @throws AssertionError if none is captured within the default timeout
     */
    public DeadLetter expectDeadLetter(final String description, final Predicate<? super DeadLetter> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        final DeadLetter[] found = new DeadLetter[1];
        final boolean ok = waiting.until(() -> {
            for (final DeadLetter letter : deadLetters) {
                if (predicate.test(letter)) {
                    found[0] = letter;
                    return true;
                }
            }
            return false;
        }, defaultTimeout());
        if (!ok) {
            throw new AssertionError("expected a dead letter: " + description + "; captured: " + deadLetters() + describeSeed());
        }
        return found[0];
    }

    /**
     * @return the captured failures that neither {@link #expectFailure} took nor an
     *         {@link #allowFailures} predicate accepts, oldest first
     */
    public List<AgentFailure> unexpectedFailures() {
        final List<AgentFailure> unexpected = new ArrayList<>();
        int index = 0;
        for (final AgentFailure failure : failures) {
            if (!claimedFailures.contains(index) && allowedFailures.stream().noneMatch(p -> p.test(failure))) {
                unexpected.add(failure);
            }
            index++;
        }
        return unexpected;
    }

    /**
     * Lets the capture catch up with the runtime's failure counter (on the manual clock: runs the ready
     * tasks), then fails if any failure is unexpected or was counted but could not be captured.
     *
     * @throws AssertionError naming each unexpected failure, the first one's cause attached
     */
    public void assertNoUnexpectedFailures() {
        final long lost = settleFailures();
        final List<AgentFailure> unexpected = unexpectedFailures();
        if (unexpected.isEmpty() && lost <= 0) {
            return;
        }
        final StringBuilder message = new StringBuilder();
        message.append(unexpected.size()).append(" unexpected agent failure(s)");
        if (lost > 0) {
            message.append(", and ").append(lost).append(" failure(s) counted by the runtime but not captured");
        }
        message.append(describeSeed()).append(':');
        for (final AgentFailure failure : unexpected) {
            message.append("\n  ").append(failure.agent()).append(" in ").append(failure.phase())
                    .append(failure.messageType() == null ? "" : " (" + failure.messageType().getName() + ")")
                    .append(": ").append(failure.cause()).append(" -> ").append(failure.decision());
        }
        message.append("\nExpect them with kit.expectFailure(type) or allow them with kit.allowFailures(predicate).");
        final AssertionError error = new AssertionError(message.toString(), unexpected.isEmpty() ? null : unexpected.get(0).cause());
        for (int i = 1; i < unexpected.size(); i++) {
            error.addSuppressed(unexpected.get(i).cause());
        }
        throw error;
    }

    /** @return failures counted by the runtime and not captured, after waiting briefly for the capture */
    private long settleFailures() {
        waiting.settle(); // on the manual clock the capture has then taken every failure published
        if (!waiting.isManual()) { // and waiting longer would only move the manual clock
            waiting.until(() -> failures.size() >= failuresCounted(), Duration.ofSeconds(2));
        }
        return failuresCounted() - failures.size();
    }

    private long failuresCounted() {
        return runtime.counters().failures() - failuresBefore;
    }

    // ------------------------------------------------------------------------------ close

    /**
     * Checks failures as {@link #assertNoUnexpectedFailures()} does, shuts the runtime down (within
     * {@link #SHUTDOWN_TIMEOUT}) whatever the check found, then reports: the failures first, else a
     * shutdown that did not finish in time. An {@linkplain #attach attached} kit stops only its own
     * agents and probes and leaves the runtime to its owner. Later calls do nothing.
     *
     * @throws AssertionError for unexpected failures or a shutdown that did not finish
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AssertionError failed = null;
        try {
            assertNoUnexpectedFailures();
        } catch (AssertionError e) {
            failed = e;
        }
        final boolean shutDown = owned ? runtime.shutdown(SHUTDOWN_TIMEOUT) : stopOwnAgents();
        // A failure may happen after the check (an agent failing on a message still queued): the
        // counters are final once the runtime is down, and the capture may have stopped before it.
        final long uncaptured = owned ? failuresCounted() - failures.size() : 0;
        if (failed == null && uncaptured > 0) {
            failed = new AssertionError(uncaptured + " agent failure(s) happened while the kit was closing, after its last "
                    + "check (see the log for them): wait for the work under test to finish before the test ends" + describeSeed());
        }
        if (failed != null) {
            throw failed;
        }
        if (!shutDown) {
            throw new AssertionError((owned ? "the runtime did not shut down" : "the kit's probes did not stop")
                    + " within " + SHUTDOWN_TIMEOUT + ": an agent's callback is still running (does it block?)" + describeSeed());
        }
    }

    /** Stops the probes and the kit's own agents on an attached runtime; true once they terminated. */
    private boolean stopOwnAgents() {
        final List<CompletableFuture<TerminationCause>> stops = new ArrayList<>();
        for (final AgentId id : probes) {
            stops.add(runtime.stop(id).toCompletableFuture());
        }
        for (final AgentId id : internal) {
            stops.add(runtime.stop(id).toCompletableFuture());
        }
        return waiting.until(() -> stops.stream().allMatch(CompletableFuture::isDone), SHUTDOWN_TIMEOUT);
    }

    private String describeSeed() {
        return deterministic == null ? "" : " (deterministic seed " + deterministic.seed() + ")";
    }

    @Override
    public String toString() {
        return "FlinTestKit[" + (deterministic == null ? "worker pool" : "deterministic, seed " + deterministic.seed()) + "]";
    }

    // ------------------------------------------------------------------------------ the kit's own agents

    private <E> void capture(final Topic<E> topic, final Class<E> type, final Queue<E> into) {
        final AgentRef<E> ref = internalAgent(type, () -> (event, context) -> into.add(event));
        runtime.subscribe(topic, ref);
    }

    private <M> AgentRef<M> internalAgent(final Class<M> type, final AgentFactory<M> factory) {
        final AgentRef<M> ref = runtime.spawn(type, factory, SpawnOptions.defaults().withMailboxCapacity(PROBE_MAILBOX_CAPACITY));
        internal.add(ref.id());
        return ref;
    }

    /** Watches the agents it is told to and records why they terminate. */
    private static final class Watcher implements Agent<AgentId> {
        private final Set<AgentId> watched;
        private final Map<AgentId, TerminationCause> terminations;

        Watcher(final Set<AgentId> watched, final Map<AgentId, TerminationCause> terminations) {
            this.watched = watched;
            this.terminations = terminations;
        }

        @Override
        public void onMessage(final AgentId target, final AgentContext<AgentId> context) {
            context.watch(target);
            watched.add(target);
        }

        @Override
        public void onSignal(final Signal signal, final AgentContext<AgentId> context) {
            if (signal instanceof Signal.Terminated terminated) {
                terminations.put(terminated.agent(), terminated.cause());
            }
        }
    }
}
