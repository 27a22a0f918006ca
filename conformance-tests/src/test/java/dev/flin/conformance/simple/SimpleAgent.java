package dev.flin.conformance.simple;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.ContextOutsideAgentException;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.IllegalLifecycleTransitionException;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RestartWindow;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One agent: its own platform thread, its bounded mailbox and its lifecycle. It is the agent's
 * {@link AgentRef}; the {@link AgentContext} is a separate inner object handed only to the instance.
 *
 * <h2>The monitor</h2>
 * The object's monitor ({@code synchronized (this)}) guards the control flags, the signal queue and
 * the watcher set, and it is held around every {@code mailbox.offer} and {@code mailbox.poll}. The
 * agent thread waits on it ({@code wait()}) whenever it has nothing to do; every send and control
 * call does {@code notifyAll()}. The monitor is never held while user code runs or while anything is
 * published or sent elsewhere, so every hold is a handful of instructions (rule 2.2, 8.5).
 *
 * <h2>Conservation under a racing stop (rules 2.4, 2.5, 3.6, 3.7)</h2>
 * A send checks {@code stopRequested} and offers in one critical section; a stop request sets
 * {@code stopRequested} in one critical section. So every send is ordered strictly before or after
 * the stop request: before means it is in the queue when the stop is made (accepted), after means
 * it was refused with {@code AgentNotFoundException} and nothing was enqueued. No message can enter
 * the queue after the stop. The agent thread then processes the queue until it is empty (graceful
 * stop), or stops taking from it (failure-stop, forced shutdown); at termination it sets
 * {@code closed} and {@code drainTo}s the rest in one critical section and dead-letters each item.
 * Every accepted message leaves the queue exactly once, by {@code poll} (then processed or counted
 * stale) or by the final {@code drainTo} (then dead-lettered, or counted stale if it is a timer message: rule 7.4).
 *
 * <h2>onStop exactly once (rule 3.3)</h2>
 * {@code started} (agent thread only) becomes true when {@code onStart} of the current instance
 * returned normally. The only call of {@code onStop} is in {@link #callOnStop}, which tests and
 * clears it first. Every path out of a started instance goes through either {@link #restart}
 * or {@link #terminate}, both of which call {@link #callOnStop} after the instance's last message.
 */
final class SimpleAgent<M> implements AgentRef<M> {

    static final int OK = 0;
    static final int FULL = 1;
    static final int NOT_FOUND = 2;

    /** Result of a phase of the run loop. */
    private enum Next { RESTART, TERMINATE }

    /** What the agent thread decided to do next, inside the monitor. */
    private enum Step { FORCED, TO_SHUTTING_DOWN, TO_PAUSED, TO_RUNNING, DELIVER, FINISH }

    final ThreadPerAgentRuntime rt;
    private final AgentId id;
    final String name;
    private final Class<M> type;
    private final AgentFactory<M> factory;
    final int capacity;
    private final RestartPolicy policy;
    private final ArrayBlockingQueue<Object> mailbox;
    final Thread thread;
    final CompletableFuture<TerminationCause> termination = new CompletableFuture<>();
    private final Context context = new Context();
    private final SimpleTimers<M> timers;
    /** Asks whose request was accepted and that are not completed yet (rule 5.7). */
    final Set<AskReply<?>> pendingAsks = ConcurrentHashMap.newKeySet();
    /** Topics this agent is on, so termination can remove it (rule 6.5). */
    final Set<Topic<?>> subscriptions = ConcurrentHashMap.newKeySet();

    // ---- guarded by this
    private boolean stopRequested;
    private TerminationCause stopCause;
    private boolean pauseRequested;
    /** Callers of pause/resume waiting for the effect; guarded by this. */
    private final java.util.List<CompletableFuture<AgentState>> controlWaiters = new java.util.ArrayList<>();
    private boolean forced;
    private boolean closed;
    private final ArrayDeque<Signal.Terminated> signals = new ArrayDeque<>();
    private final Set<SimpleAgent<?>> watchers = new HashSet<>();

    /** Written only by the agent thread; read by anyone. */
    private volatile AgentState state = AgentState.STARTING;

    // ---- agent thread only
    private Agent<M> instance;
    private Agent<M> previousInstance;
    private boolean started;
    private int restartCount;
    private int consecutiveRestarts;
    private long backoffNanos = -1;
    private final RestartWindow restartWindow;
    private final Set<AgentId> watching = new HashSet<>();

    SimpleAgent(final ThreadPerAgentRuntime rt, final AgentId id, final String name, final Class<M> type,
                final AgentFactory<M> factory, final int capacity, final RestartPolicy policy) {
        this.rt = rt;
        this.id = id;
        this.name = name;
        this.type = type;
        this.factory = factory;
        this.capacity = capacity;
        this.policy = policy;
        this.restartWindow = new RestartWindow(policy); // the API's restart budget (rule 4.2), as the reference runtime's
        this.mailbox = new ArrayBlockingQueue<>(capacity);
        this.timers = new SimpleTimers<>(this);
        this.thread = new Thread(this::run, "simple-agent-" + id.value());
        this.thread.setDaemon(true);
    }

    // =================================================================== AgentRef: any thread

    @Override
    public AgentId id() {
        return id;
    }

    @Override
    public Class<M> messageType() {
        return type;
    }

    @Override
    public void tell(final M message) {
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        if (rt.isShutdown()) {
            throw new RuntimeStoppedException("send to " + id);
        }
        if (!type.isInstance(message)) { // only reachable through raw types
            throw new MessageTypeException(id, type, message.getClass());
        }
        enqueueOrThrow(message);
    }

    @Override
    public <R> CompletionStage<R> ask(final Function<Reply<R>, ? extends M> request, final Duration timeout) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, was " + timeout);
        }
        final AskReply<R> reply = new AskReply<>(this);
        final M message = Objects.requireNonNull(request.apply(reply), "request built a null message (rule 2.7)");
        if (!rt.isShutdown() && !type.isInstance(message)) {
            reply.failByRuntime(new MessageTypeException(id, type, message.getClass()));
            return reply.stage();
        }
        return sendRequest(reply, message, message.getClass(), timeout);
    }

    /**
     * The ask path after the request is built, for this ref and its message adapters: sends it with
     * its reply (rules 5.1, 5.3, 5.8).
     *
     * @param requestType what a timeout names (rule 5.2): the request as its sender built it
     */
    private <R> CompletionStage<R> sendRequest(final AskReply<R> reply, final Object message, final Class<?> requestType,
            final Duration timeout) {
        reply.request(message);
        if (rt.isShutdown()) {
            reply.failByRuntime(new RuntimeStoppedException("ask of " + id));
        } else {
            final int outcome = offer(message, reply);
            if (outcome == OK) {
                reply.armTimeout(requestType, timeout);
            } else {
                reply.failByRuntime(refusal(outcome)); // rule 5.3: at once
            }
        }
        return reply.stage();
    }

    // =================================================================== sending

    void enqueueOrThrow(final Object message) {
        final int outcome = offer(message, null);
        if (outcome != OK) {
            throw refusal(outcome);
        }
    }

    /** Counts a refusal of a send and builds its exception. */
    RuntimeException refusal(final int outcome) {
        if (outcome == FULL) {
            rt.rejectedFull.increment();
            return new MailboxFullException(id, capacity);
        }
        rt.rejectedNotFound.increment();
        return rt.isShutdown() ? new RuntimeStoppedException("send to " + id) : new AgentNotFoundException(id);
    }

    /**
     * The one way into the mailbox. Any thread; holds the monitor only around the offer.
     *
     * @param message a user message, an event, or a timer entry; not null
     * @param ask     the ask this message is the request of, or null
     * @return OK (accepted and counted), FULL or NOT_FOUND (nothing enqueued, not counted)
     */
    int offer(final Object message, final AskReply<?> ask) {
        synchronized (this) {
            if (stopRequested) {
                return NOT_FOUND; // stopping or terminated (rule 2.5)
            }
            if (!mailbox.offer(message)) {
                return FULL; // rule 2.2: at once
            }
            if (ask != null) {
                pendingAsks.add(ask); // before the monitor is released: termination will see it
            }
            rt.accepted.increment();
            notifyAll();
            return OK;
        }
    }

    /** A value sent through a message adapter or published on an adapted subscription (rules 2.10, 6.9). */
    record Adapted(Object value, java.util.function.Function<Object, ?> adapter) {
    }

    /** The adapters of adapted subscriptions, by topic. */
    private final Map<Topic<?>, java.util.function.Function<Object, ?>> topicAdapters = new ConcurrentHashMap<>();

    void topicAdapter(final Topic<?> topic, final java.util.function.Function<Object, ?> adapter) {
        if (adapter == null) {
            topicAdapters.remove(topic);
        } else {
            topicAdapters.put(topic, adapter);
        }
    }

    /** What to offer for an event of the topic; null if the agent takes neither it nor an adapted form. */
    Object deliveryOf(final Topic<?> topic, final Object event) {
        final java.util.function.Function<Object, ?> adapter = topicAdapters.get(topic);
        if (adapter != null) {
            return new Adapted(event, adapter);
        }
        return type.isInstance(event) ? event : null;
    }

    int mailboxDepth() {
        return mailbox.size();
    }

    AgentState state() {
        return state;
    }

    // =================================================================== control: any thread

    void requestStop(final TerminationCause cause) {
        synchronized (this) {
            if (!stopRequested) {
                stopRequested = true;
                stopCause = cause;
                notifyAll();
            }
        }
    }

    /** @return completed with the state once the agent thread applied the request (rule 8.11) */
    CompletableFuture<AgentState> requestPause(final boolean pause) {
        final CompletableFuture<AgentState> waiter = new CompletableFuture<>();
        synchronized (this) {
            pauseRequested = pause;
            if (state == AgentState.TERMINATED) {
                waiter.complete(AgentState.TERMINATED);
            } else {
                controlWaiters.add(waiter);
            }
            notifyAll();
        }
        return waiter;
    }

    /** Under the monitor: completes the control waiters with the state, once the flags are applied. */
    private void settleControls(final AgentState s) {
        if (controlWaiters.isEmpty()) {
            return;
        }
        final boolean applied = !(stopRequested && s != AgentState.SHUTTING_DOWN)
                && !(s == AgentState.RUNNING && pauseRequested) && !(s == AgentState.PAUSED && !pauseRequested);
        if (applied) {
            for (final CompletableFuture<AgentState> w : controlWaiters) {
                w.complete(s);
            }
            controlWaiters.clear();
        }
    }

    /** Shutdown deadline passed: process nothing more, terminate as soon as the thread is free. */
    void force() {
        synchronized (this) {
            if (!stopRequested) {
                stopRequested = true;
                stopCause = TerminationCause.RUNTIME_SHUTDOWN;
            }
            forced = true;
            notifyAll();
        }
        thread.interrupt();
    }

    /** The thread never came back from a callback: at least complete the asks waiting on it. */
    void abandon() {
        for (final AskReply<?> ask : pendingAsks) {
            ask.failByRuntime(new AgentTerminatedException(id));
        }
    }

    // =================================================================== death watch plumbing

    /** Called on the watcher's thread. Exactly one signal per watch (rule 4.7). */
    void addWatcher(final SimpleAgent<?> watcher) {
        final TerminationCause cause;
        synchronized (this) {
            if (!closed) {
                watchers.add(watcher);
                return;
            }
            cause = stopCause;
        }
        watcher.enqueueSignal(new Signal.Terminated(id, cause)); // already terminated: signal at once
    }

    void removeWatcher(final SimpleAgent<?> watcher) {
        synchronized (this) {
            watchers.remove(watcher);
        }
    }

    /** Signals do not use the mailbox; at most one per watch is ever queued (rule 2.9). */
    void enqueueSignal(final Signal.Terminated signal) {
        synchronized (this) {
            if (closed) {
                return;
            }
            signals.add(signal);
            notifyAll();
        }
    }

    void addSubscription(final Topic<?> topic, final Set<SimpleAgent<?>> subscribers) {
        synchronized (this) {
            if (closed) {
                throw new AgentNotFoundException(id);
            }
            subscriptions.add(topic);
            subscribers.add(this); // termination sets closed, then removes it: no zombie (rule 6.5)
        }
    }

    // =================================================================== the agent thread

    private void run() {
        ThreadPerAgentRuntime.CURRENT.set(this);
        try {
            for (;;) {
                if (backoffNanos >= 0) {
                    awaitBackoff(backoffNanos);
                }
                Next next = startInstance();
                if (next == null) {
                    next = processMessages();
                }
                if (next == Next.TERMINATE) {
                    terminate();
                    return;
                }
            }
        } catch (Throwable bug) {
            System.getLogger(SimpleAgent.class.getName()).log(System.Logger.Level.ERROR,
                    "run loop of " + id + " failed; a runtime bug", bug);
            if (!termination.isDone()) {
                try {
                    synchronized (this) {
                        if (!stopRequested) {
                            stopRequested = true;
                            stopCause = TerminationCause.FAILED;
                        }
                    }
                    terminate();
                } catch (Throwable ignored) {
                    termination.complete(TerminationCause.FAILED);
                }
            }
        } finally {
            ThreadPerAgentRuntime.CURRENT.remove();
        }
    }

    /** Rule 4.4: wait in STARTING; a stop request (or forced shutdown) ends the wait. */
    private void awaitBackoff(final long nanos) {
        final long deadline = System.nanoTime() + nanos;
        synchronized (this) {
            while (!stopRequested && !forced) {
                final long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                } catch (InterruptedException e) {
                    // only force() interrupts us; the loop condition sees it
                }
            }
        }
    }

    /**
     * Makes an instance and runs its onStart (rules 1.3, 3.2, 4.6).
     *
     * @return null if the instance started, otherwise what its start failure leads to
     */
    private Next startInstance() {
        synchronized (this) {
            if (forced) {
                return Next.TERMINATE;
            }
        }
        try {
            final Agent<M> fresh = factory.create();
            if (fresh == null) {
                throw new IllegalStateException("factory of " + id + " returned null (rule 1.3)");
            }
            if (fresh == previousInstance && carriesState(fresh)) {
                throw new IllegalStateException("factory of " + id + " returned its previous instance (rule 1.3)");
            }
            previousInstance = fresh;
            instance = fresh;
            fresh.onStart(context);
        } catch (Throwable t) {
            instance = null; // no onStop for an instance whose start failed (rule 3.3)
            return fail(AgentFailure.Phase.START, null, t);
        }
        started = true;
        final boolean stop;
        final boolean pause;
        synchronized (this) {
            stop = stopRequested;
            pause = pauseRequested;
        }
        transition(stop ? AgentState.SHUTTING_DOWN : pause ? AgentState.PAUSED : AgentState.RUNNING);
        return null;
    }

    /** Runs the started instance until it must restart or terminate. */
    private Next processMessages() {
        for (;;) {
            Step step;
            Object item = null;
            synchronized (this) {
                for (;;) {
                    final AgentState s = state;
                    settleControls(s);
                    if (forced) {
                        step = Step.FORCED;
                        break;
                    }
                    if (stopRequested && s != AgentState.SHUTTING_DOWN) {
                        step = Step.TO_SHUTTING_DOWN; // also ends a pause (rule 3.6)
                        break;
                    }
                    if (s == AgentState.SHUTTING_DOWN) {
                        // no send is accepted any more: what is queued is exactly what came before the stop
                        item = signals.poll();
                        if (item == null) {
                            item = mailbox.poll();
                        }
                        step = item == null ? Step.FINISH : Step.DELIVER;
                        break;
                    }
                    if (s == AgentState.RUNNING && pauseRequested) {
                        step = Step.TO_PAUSED; // before the next message (rule 3.4)
                        break;
                    }
                    if (s == AgentState.PAUSED && !pauseRequested) {
                        step = Step.TO_RUNNING;
                        break;
                    }
                    if (s == AgentState.RUNNING) {
                        item = signals.poll();
                        if (item == null) {
                            item = mailbox.poll();
                        }
                        if (item != null) {
                            step = Step.DELIVER;
                            break;
                        }
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only force() interrupts us; the loop sees forced
                    }
                }
            }
            switch (step) {
                case FORCED, FINISH -> {
                    return Next.TERMINATE;
                }
                case TO_SHUTTING_DOWN -> transition(AgentState.SHUTTING_DOWN);
                case TO_PAUSED -> transition(AgentState.PAUSED);
                case TO_RUNNING -> transition(AgentState.RUNNING);
                case DELIVER -> {
                    final Next next = deliver(item);
                    if (next != null) {
                        return next;
                    }
                }
                default -> throw new IllegalStateException("unreachable");
            }
        }
    }

    /**
     * @return null to go on, or what a failure leads to
     */
    @SuppressWarnings("unchecked")
    private Next deliver(final Object item) {
        if (item instanceof Signal.Terminated signal) {
            if (!watching.remove(signal.agent())) {
                return null; // unwatched before delivery (rule 4.7)
            }
            try {
                instance.onSignal(signal, context);
            } catch (Throwable t) {
                return fail(AgentFailure.Phase.SIGNAL, signal, t);
            }
            return null;
        }
        Object message = item;
        if (item instanceof SimpleTimers<?>.Entry entry) {
            message = timers.takeIfLive(entry); // on the agent thread: cancel is exact (rule 7.3)
            if (message == null) {
                rt.staleTimerMessages.increment();
                return null;
            }
        }
        rt.processed.increment();
        final Object taken = message;
        try {
            if (taken instanceof Adapted adapted) { // rules 2.10, 6.9: on the agent thread
                message = Objects.requireNonNull(adapted.adapter().apply(adapted.value()), "adapter returned null");
                if (!type.isInstance(message)) {
                    throw new MessageTypeException(id, type, message.getClass());
                }
            }
            instance.onMessage((M) message, context);
        } catch (Throwable t) {
            message = taken instanceof Adapted adapted ? adapted.value() : message;
            for (final AskReply<?> ask : pendingAsks) { // rule 5.8: the ask this message was the request of fails with the cause
                if (ask.isRequest(taken)) {
                    ask.failByRuntime(t);
                    break;
                }
            }
            return fail(AgentFailure.Phase.MESSAGE, message, t); // not retried (rule 4.3)
        }
        consecutiveRestarts = 0;
        return null;
    }

    /** Rules 4.2, 4.5, 4.6. */
    private Next fail(final AgentFailure.Phase phase, final Object message, final Throwable cause) {
        rt.failures.increment();
        final AgentFailure.Decision decision = decide(cause);
        rt.publishInternal(SystemTopics.FAILURES,
                new AgentFailure(id, phase, message == null ? null : message.getClass(), cause, decision));
        if (decision == AgentFailure.Decision.RESTART) {
            restart();
            return Next.RESTART;
        }
        synchronized (this) {
            if (!stopRequested) {
                stopRequested = true; // from now sends are refused; what is queued becomes dead letters
                stopCause = TerminationCause.FAILED;
            }
        }
        if (state != AgentState.SHUTTING_DOWN) {
            transition(AgentState.SHUTTING_DOWN);
        }
        return Next.TERMINATE;
    }

    private AgentFailure.Decision decide(final Throwable cause) {
        synchronized (this) {
            if (stopRequested) {
                return AgentFailure.Decision.STOP; // a stop is never undone by a restart
            }
        }
        return restartWindow.tryRestartAt(cause, System.nanoTime()) ? AgentFailure.Decision.RESTART : AgentFailure.Decision.STOP;
    }

    /** Rule 4.8: same id, mailbox, subscriptions, watches; timers cancelled; fresh instance next. */
    private void restart() {
        callOnStop();
        instance = null;
        timers.cancelAllInternal();
        final Backoff backoff = policy.backoff();
        backoffNanos = backoff.delayNanos(consecutiveRestarts);
        consecutiveRestarts++;
        restartCount++;
        rt.restarts.increment();
        transition(AgentState.STARTING);
    }

    private void callOnStop() {
        if (!started) {
            return;
        }
        started = false;
        try {
            instance.onStop(context);
        } catch (Throwable t) {
            rt.failures.increment();
            rt.publishInternal(SystemTopics.FAILURES,
                    new AgentFailure(id, AgentFailure.Phase.STOP, null, t, AgentFailure.Decision.IGNORE));
        }
    }

    /** SHUTTING_DOWN -> TERMINATED: onStop, close the mailbox, dead-letter leftovers, tell everyone. */
    private void terminate() {
        if (state != AgentState.SHUTTING_DOWN) {
            transition(AgentState.SHUTTING_DOWN); // forced before or while running
        }
        callOnStop();
        instance = null;
        final List<Object> leftovers = new ArrayList<>();
        final List<SimpleAgent<?>> toSignal;
        final TerminationCause cause;
        final boolean wasForced;
        synchronized (this) {
            closed = true;
            mailbox.drainTo(leftovers); // nothing can be added after this: stopRequested is set
            signals.clear();
            toSignal = new ArrayList<>(watchers);
            watchers.clear();
            cause = stopCause;
            wasForced = forced;
        }
        final DeadLetter.Reason reason = wasForced || cause == TerminationCause.RUNTIME_SHUTDOWN
                ? DeadLetter.Reason.RUNTIME_SHUTDOWN : DeadLetter.Reason.RECIPIENT_TERMINATED;
        for (final Object item : leftovers) {
            if (item instanceof SimpleTimers<?>.Entry) {
                // termination cancels every timer (rule 7.4), so a timer message still queued is a
                // cancelled timer's: stale (rule 7.3), live or not, never a dead letter
                rt.staleTimerMessages.increment();
                continue;
            }
            rt.deadLetter(new DeadLetter(id, item instanceof Adapted adapted ? adapted.value() : item, reason)); // rule 3.7
        }
        leftovers.clear();
        timers.cancelAllInternal(); // rule 7.4
        for (final AgentId target : watching) {
            final SimpleAgent<?> other = rt.agent(target);
            if (other != null) {
                other.removeWatcher(this);
            }
        }
        watching.clear();
        rt.unsubscribeAll(this);
        for (final AskReply<?> ask : pendingAsks) {
            ask.failByRuntime(new AgentTerminatedException(id)); // rule 5.7
        }
        state = AgentState.TERMINATED;
        rt.removeTerminated(this);
        rt.publishInternal(SystemTopics.LIFECYCLE,
                new LifecycleEvent(id, AgentState.SHUTTING_DOWN, AgentState.TERMINATED));
        final Signal.Terminated signal = new Signal.Terminated(id, cause);
        for (final SimpleAgent<?> watcher : toSignal) {
            watcher.enqueueSignal(signal);
        }
        synchronized (this) {
            for (final CompletableFuture<AgentState> w : controlWaiters) {
                w.complete(AgentState.TERMINATED);
            }
            controlWaiters.clear();
        }
        termination.complete(cause);
    }

    /** Agent thread only; rule 3.1 and 3.9. */
    private void transition(final AgentState next) {
        final AgentState current = state;
        if (!current.canTransitionTo(next)) {
            throw new IllegalLifecycleTransitionException(id, current, next);
        }
        state = next;
        rt.publishInternal(SystemTopics.LIFECYCLE, new LifecycleEvent(id, current, next));
    }

    /** Rules 1.4 and 7.6: the context and its timers refuse every thread but this agent's own. */
    void checkAgentThread(final String what) {
        final Thread current = Thread.currentThread();
        if (current != thread) {
            throw new ContextOutsideAgentException(what, id, current.getName());
        }
    }

    @Override
    public String toString() {
        return "AgentRef[" + id + (name == null ? "" : " '" + name + "'") + ", " + type.getSimpleName() + "]";
    }

    // =================================================================== AgentContext

    /**
     * What the instance sees. Separate from the ref so a ref exposes nothing but the mailbox, and
     * agent-thread only but for {@link #self()} (rule 1.4).
     */
    private final class Context implements AgentContext<M> {

        @Override
        public AgentRef<M> self() {
            return SimpleAgent.this;
        }

        @Override
        public AgentRuntime runtime() {
            checkAgentThread("runtime");
            return rt;
        }

        @Override
        public Timers<M> timers() {
            checkAgentThread("timers");
            return timers;
        }

        @Override
        public void watch(final AgentId target) {
            Objects.requireNonNull(target, "target");
            checkAgentThread("watch");
            if (!watching.add(target)) {
                return; // watching twice has no further effect
            }
            final SimpleAgent<?> other = rt.agent(target);
            if (other == null) {
                enqueueSignal(new Signal.Terminated(target, TerminationCause.UNKNOWN)); // not alive: at once
            } else {
                other.addWatcher(SimpleAgent.this);
            }
        }

        @Override
        public void unwatch(final AgentId target) {
            Objects.requireNonNull(target, "target");
            checkAgentThread("unwatch");
            watching.remove(target); // a queued signal is dropped at delivery
            final SimpleAgent<?> other = rt.agent(target);
            if (other != null) {
                other.removeWatcher(SimpleAgent.this);
            }
        }

        @Override
        public <E extends M> void subscribe(final Topic<E> topic) {
            Objects.requireNonNull(topic, "topic");
            checkAgentThread("subscribe");
            rt.subscribe(topic, id);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <E> void subscribe(final Topic<E> topic, final java.util.function.Function<? super E, ? extends M> adapter) {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(adapter, "adapter");
            checkAgentThread("subscribe");
            rt.subscribe(topic, id, (java.util.function.Function<Object, ?>) (java.util.function.Function<?, ?>) adapter);
        }

        @Override
        public <U> AgentRef<U> messageAdapter(final Class<U> adapted, final java.util.function.Function<? super U, ? extends M> adapter) {
            Objects.requireNonNull(adapted, "type");
            Objects.requireNonNull(adapter, "adapter");
            checkAgentThread("messageAdapter");
            return new AdapterRef<>(adapted, adapter);
        }

        @Override
        public void unsubscribe(final Topic<?> topic) {
            Objects.requireNonNull(topic, "topic");
            checkAgentThread("unsubscribe");
            topicAdapters.remove(topic);
            rt.unsubscribe(topic, id);
        }

        @Override
        public <R> void pipeToSelf(final CompletionStage<R> stage,
                                   final BiFunction<? super R, Throwable, ? extends M> mapper) {
            Objects.requireNonNull(stage, "stage");
            Objects.requireNonNull(mapper, "mapper");
            checkAgentThread("pipeToSelf");
            stage.whenComplete((value, failure) -> {
                final M message;
                try {
                    message = mapper.apply(value, failure);
                } catch (Throwable t) {
                    System.getLogger(SimpleAgent.class.getName()).log(System.Logger.Level.WARNING,
                            "pipeToSelf mapper of " + id + " threw; nothing delivered", t);
                    return;
                }
                if (message == null) {
                    return; // rule 2.7: nothing is enqueued
                }
                final int outcome = offer(message, null); // the bounded mailbox, like tell (rule 2.9)
                if (outcome != OK) {
                    refusal(outcome); // counted as a refused send (rule 2.2 / 2.5)
                }
            });
        }

        @Override
        public void stop() {
            checkAgentThread("stop");
            requestStop(TerminationCause.STOPPED);
        }

        @Override
        public int restartCount() {
            checkAgentThread("restartCount");
            return restartCount;
        }
    }

    /** Rule 1.3: only an instance with fields can carry state across a restart. */
    private static boolean carriesState(final Object instance) {
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (final java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (!java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A message adapter's ref (rule 2.10): wraps what it is sent and offers it to this agent. */
    private final class AdapterRef<U> implements AgentRef<U> {
        private final Class<U> adapted;
        private final java.util.function.Function<Object, ?> adapter;

        @SuppressWarnings("unchecked")
        AdapterRef(final Class<U> adapted, final java.util.function.Function<? super U, ?> adapter) {
            this.adapted = adapted;
            this.adapter = (java.util.function.Function<Object, ?>) (java.util.function.Function<?, ?>) adapter;
        }

        private Adapted wrap(final Object message) {
            Objects.requireNonNull(message, "message");
            if (!adapted.isInstance(message)) {
                throw new MessageTypeException(id, adapted, message.getClass());
            }
            return new Adapted(message, adapter);
        }

        @Override
        public AgentId id() {
            return id;
        }

        @Override
        public Class<U> messageType() {
            return adapted;
        }

        @Override
        public void tell(final U message) {
            enqueueOrThrow(wrap(message));
        }

        @Override
        public <R> CompletionStage<R> ask(final java.util.function.Function<Reply<R>, ? extends U> request, final Duration timeout) {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("ask timeout must be positive, was " + timeout);
            }
            final AskReply<R> reply = new AskReply<>(SimpleAgent.this);
            final Adapted message = wrap(request.apply(reply));
            return sendRequest(reply, message, message.value().getClass(), timeout);
        }
    }
}
