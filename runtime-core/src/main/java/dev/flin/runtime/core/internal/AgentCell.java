package dev.flin.runtime.core.internal;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.ContextOutsideAgentException;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.IllegalLifecycleTransitionException;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.HandlerTimer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * One agent: its mailbox, its lifecycle state machine and its run loop. It is the agent's
 * {@link AgentRef} (any thread), and only that: its context is a separate object,
 * {@link AgentThreadContext}, handed to the instance's callbacks alone, so that no ref can be cast
 * to a context (rule 1.4).
 *
 * <p>Its parts, each a class of this package: {@link CellControl} (the superclass) holds the control
 * word, every transition of it, and the control requests (stop, force, pause, resume) with their
 * {@link ControlWaiters}; {@link Supervision} decides restarts and backoffs; {@link Mailbox},
 * {@link PendingAsks}, {@link DeathWatch}, {@link Subscriptions} and {@link TimersImpl} are the
 * mailbox, the asks, the watches, the topics and the timers. This class sends, runs, fails and
 * closes.
 *
 * <p>Layout: what every agent uses is a field of the cell (id, message type, factory, runtime,
 * dispatcher, capacity, runner, mailbox, state, agent thread, instance, context; the control word
 * in the superclass); all the rest (name, restart policy, stop sequence, control waiters, signals,
 * asks, watches, termination future, subscriptions, supervision, timers) is in one
 * {@link CellExtras}, made at its first use. A mailbox is made at the first send. So an idle agent
 * costs its cell (72 B with compressed references), its runner, its id, its context and its
 * registry entry: 192 B on JDK 17 and 25 (IdleFootprint, 1,000,000 agents), from 240 B.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>Senders (any thread) call {@link #offer}: no locks, no blocking.</li>
 *   <li>Control calls (any thread) set request bits of the control word ({@link CellControl}) and
 *       schedule the cell.</li>
 *   <li>The <b>agent thread</b> is whichever dispatcher thread runs the cell. The SCHEDULED bit
 *       (set by a CAS to submit, cleared by an atomic RMW at the end of a run) guarantees one runner
 *       at a time, and the pair orders one run before the next: this is rule 1.1 and 1.2. Fields
 *       marked "agent thread" are plain for that reason.</li>
 * </ul>
 *
 * <h2>Send protocol (rules 2.2, 2.4, 3.6)</h2>
 * <pre>
 * sender:   if CLOSING (volatile read) -> NotFound
 *           r = box.tail(); seq = r.tryClaim()   CAS on the ring's cursor
 *             full: r = box.successor(r), retry   the next ring, installed (CAS) while below capacity;
 *                                                 none -> MailboxFull, or NotFound if CLOSING
 *           idle = SCHEDULED clear        volatile read, after the CAS
 *           slot = m; r.publish(seq)      plain store, then ordered store: visible to the consumer
 *           accepted; if idle -> trySchedule() (CAS) and submit
 * consumer: normal: box.takeNext(): take slot, free it (ordered store), or hand over to the
 *                   successor ring (seal the ring, take the rest of it, move on: see Mailbox)
 *           close:  set CLOSED (RMW); box.sealAndTakeRest(): seal every ring from the consumer's,
 *                   end the chain; every sender-claimed slot not taken: wait published; dead letter
 * </pre>
 * A claimed slot is an accepted message: no sender ever takes one back. Sealing claims every slot a
 * sender could still claim, the consumer never frees a slot of a sealed ring again, and the close
 * ends the chain of rings, so every sender claim is dead-lettered by the close unless it was
 * processed before; a sender that comes later finds every ring full and no successor and, since
 * CLOSING was set before the close began, is
 * refused as not found. Hence every accepted message is processed or dead-lettered exactly once,
 * every other send was refused before it claimed anything, and {@link Mailbox#acceptedCount} (the
 * claim sequences) counts accepted messages exactly. A mailbox never created before the close is
 * replaced by the runtime's sealed empty one, so no sender can create one afterwards. The stop
 * sequence is a mailbox position, ordered across rings (see {@link Mailbox}).
 *
 * <h2>Scheduling handshake (rule 1.1: no message is stranded)</h2>
 * A sender reads SCHEDULED after its claim (the cursor CAS); the end of a run clears SCHEDULED,
 * then reads its ring's cursor and successor ({@link #hasWork}); one of the two sees the other, see
 * {@link CellControl}: a claim in a later ring comes after that ring was installed, so the run end
 * sees the claim or the successor it must hand over to.
 * The run checks claimed slots, not published ones, because the sender reads SCHEDULED before it
 * publishes; a run that finds a claimed slot not yet published takes nothing and re-submits. The
 * sender's CAS on the cursor is its only atomic instruction while the ring does not grow. Control
 * calls (stop, pause, signals) set their bit or queue their item, then {@link #schedule()}.
 */
public final class AgentCell<M> extends CellControl implements AgentRef<M> {

    private static final VarHandle MAILBOX;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            MAILBOX = l.findVarHandle(AgentCell.class, "mailbox", Mailbox.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final AgentId id;
    final Class<M> type;
    private final AgentFactory<M> factory;
    private final RuntimeCore runtime;
    /** Runs this agent (rule 1.7): the runtime's dispatcher, or the one its spawn placed it on. */
    private final Dispatcher dispatcher;
    private final int capacity;
    /**
     * The dispatcher task. Kept apart from the cell so that the ref handed to users is not a
     * {@link Runnable}: nobody outside the dispatcher can run this agent's callbacks (rules 1.1, 1.4).
     */
    private final DispatchNode runner = new DispatchNode() {
        @Override
        public void run() {
            runScheduled();
        }

        @Override
        public String toString() {
            return "runner of " + id;
        }
    };

    // ---- any thread (the control flags are the bits of CellControl's control word)
    private volatile Mailbox mailbox;
    private volatile AgentState state = AgentState.STARTING;
    private volatile Thread agentThread;
    // signals, pending asks (rule 5.7), death watch (rule 4.7), the termination future and the
    // subscriptions (rule 6.5): in CellExtras, made at the first use (an idle agent has none)

    // ---- agent thread
    private Agent<M> instance;
    private boolean started;
    // supervision (rules 4.1-4.4) and timers (rule 7): in CellExtras, made at the first failure or use
    /** What the callbacks receive; made at the first start, kept across restarts. */
    private AgentThreadContext<M> context;

    AgentCell(final AgentId id, final Class<M> type, final AgentFactory<M> factory, final SpawnOptions options,
              final RuntimeCore runtime, final Dispatcher dispatcher, final int capacity) {
        this.id = id;
        this.type = type;
        this.factory = factory;
        final RestartPolicy policy = options.restartPolicy();
        if (options.name() != null || policy != RestartPolicy.never()) {
            initExtras(new CellExtras(options.name(), policy == RestartPolicy.never() ? null : policy));
        }
        this.runtime = runtime;
        this.dispatcher = dispatcher;
        this.capacity = capacity;
    }

    // =====================================================================================
    // AgentRef: any thread
    // =====================================================================================

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
        throwIfRefused(offer(message, true));
    }

    @Override
    public boolean tryTell(final M message) {
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        final Offer outcome = offer(message, true);
        if (outcome == Offer.REFUSED_FULL) {
            return false; // counted as rejectedFull by offer(); no exception is built (rule 2.2)
        }
        throwIfRefused(outcome);
        return true;
    }

    @Override
    public dev.flin.runtime.SendOutcome trySend(final M message) {
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        return outcomeOf(offer(message, true));
    }

    /** A refusal as the public value, without building an exception. */
    dev.flin.runtime.SendOutcome outcomeOf(final Offer outcome) {
        return switch (outcome) {
            case ACCEPTED -> dev.flin.runtime.SendOutcome.ACCEPTED;
            case REFUSED_FULL -> dev.flin.runtime.SendOutcome.MAILBOX_FULL;
            case REFUSED_NOT_FOUND -> runtime.isShutdown() ? dev.flin.runtime.SendOutcome.RUNTIME_STOPPED
                    : dev.flin.runtime.SendOutcome.NOT_FOUND;
        };
    }

    /** Turns a refusal into the exception of a public send; does nothing for {@link Offer#ACCEPTED}. */
    void throwIfRefused(final Offer outcome) {
        if (outcome == Offer.REFUSED_FULL) {
            throw new MailboxFullException(id, capacity);
        }
        if (outcome == Offer.REFUSED_NOT_FOUND) {
            if (runtime.isShutdown()) {
                throw new RuntimeStoppedException("send to " + id);
            }
            throw new AgentNotFoundException(id);
        }
    }

    @Override
    public <R> CompletionStage<R> ask(final Function<Reply<R>, ? extends M> request, final Duration timeout) {
        Objects.requireNonNull(request, "request");
        return askWrapped(request, timeout);
    }

    /**
     * The ask path, for this ref and for its message adapters ({@link AdapterRef}), whose request is
     * the adapter's envelope. Any thread.
     */
    <R> CompletionStage<R> askWrapped(final Function<Reply<R>, ?> request, final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("ask timeout must be positive, was " + timeout);
        }
        // Validated before anything is enqueued (rule 5.1): a timeout beyond what nanoTime can
        // express (about 292 years) means "never times out", not an overflow after the send.
        final long timeoutNanos = Durations.saturatedNanos(timeout);
        final ReplyHandle<R> handle = new ReplyHandle<>(this, runtime.counters);
        final Object message = Objects.requireNonNull(request.apply(handle), "request built a null message (rule 2.7)");
        if (timeoutNanos != Durations.NEVER) {
            handle.deadline(runtime.dispatcher, Durations.saturatedAdd(runtime.dispatcher.nanoTime(), timeoutNanos),
                    Adapted.original(message).getClass(), timeout);
        }
        // Added before the send, so that the agent finds it if the handler throws (rule 5.8); not
        // failed by a termination until marked accepted (rule 5.3). See PendingAsks.
        handle.request(message);
        final PendingAsks asks = pendingAsks();
        asks.add(handle);
        final Offer outcome = offer(message, true);
        if (outcome != Offer.ACCEPTED) {
            // Refused: nothing was enqueued, so the stage reports the refusal and only that (rule 5.3).
            asks.withdraw(handle);
            try {
                throwIfRefused(outcome);
            } catch (RuntimeException e) {
                handle.failByRuntime(e);
            }
            return handle.future.minimalCompletionStage();
        }
        // Accepted. Dekker pair with finishStop(), which sets CLOSED (atomic RMW) and then reads the
        // accepted marks: the mark is a volatile write before the volatile read of CLOSED, so either
        // it sees closed or finishStop sees the mark; either way an accepted request the agent will
        // never process fails (rule 5.7). See PendingAsks.
        if (asks.accepted(handle, this) && timeoutNanos != Durations.NEVER) {
            handle.timeoutHandle(runtime.dispatcher.schedule(timeoutNanos, () -> {
                try {
                    handle.expire();
                } catch (Throwable t) { // the dispatcher's timer thread would swallow it
                    runtime.escalateIfFatal(t);
                    throw t;
                }
            }));
        }
        return handle.future.minimalCompletionStage();
    }

    /** Any thread: the pending asks, created on first use (CAS, so every asker shares one). */
    private PendingAsks pendingAsks() {
        return extras().pendingAsksOrCreate();
    }

    /** Any thread: the ask completed (see ReplyHandle); it needs no failing at termination. */
    void forgetAsk(final ReplyHandle<?> handle) {
        final PendingAsks asks = pendingAsksOrNull();
        if (asks != null) {
            asks.forget(handle);
        }
    }

    /**
     * The send path. Any thread; lock-free; never blocks.
     *
     * @param message     not null
     * @param countRefusal whether a refusal counts as rejected (events count as dropped instead)
     * @return whether it was accepted, or why it was refused
     */
    Offer offer(final Object message, final boolean countRefusal) {
        if (isClosing() || runtime.isShutdown()) { // rule 2.5, 8.6: stopping agent, or shutdown under way
            if (countRefusal) {
                runtime.counters.rejectedNotFound.increment();
            }
            return Offer.REFUSED_NOT_FOUND;
        }
        final Mailbox box = mailbox();
        Mailbox.Ring ring = box.tail();
        long sequence = ring.tryClaim(); // CAS on the ring's cursor; fails at once when full (rule 2.2)
        while (sequence < 0) {
            ring = box.successor(ring); // the next ring, installed if below capacity; null if none
            if (ring == null) {
                break;
            }
            sequence = ring.tryClaim();
        }
        if (sequence < 0) {
            if (isClosing()) { // a sealed (or closing and full) mailbox: the agent is going away (rule 2.5)
                if (countRefusal) {
                    runtime.counters.rejectedNotFound.increment();
                }
                return Offer.REFUSED_NOT_FOUND;
            }
            if (countRefusal) {
                runtime.counters.rejectedFull.increment();
            }
            FlightEvents.mailboxFull(this, Adapted.original(message), !countRefusal);
            return Offer.REFUSED_FULL;
        }
        // Accepted, and counted by the claim itself (Mailbox.acceptedCount): no shared counter here.
        // Volatile read after the cursor CAS (a volatile write): the send side of the scheduling
        // handshake, see the class comment. No fence of its own is needed.
        final boolean idle = isIdle();
        ring.publish(sequence, message); // plain slot write, then an ordered store of the sequence
        if (idle && trySchedule()) {
            dispatcher.execute(runner);
        }
        return Offer.ACCEPTED;
    }

    Offer offerTimer(final TimersImpl<?>.Entry entry) {
        return offer(entry, true);
    }

    private Mailbox mailbox() {
        final Mailbox existing = mailbox;
        if (existing != null) {
            return existing;
        }
        final Mailbox fresh = new Mailbox(capacity);
        return MAILBOX.compareAndSet(this, null, fresh) ? fresh : mailbox;
    }

    // =====================================================================================
    // Control (any thread): the requests are CellControl's; this is what they need of the cell
    // =====================================================================================

    @Override
    void schedule() {
        // Full fence: the publish/flag write that made work visible must not be reordered with the
        // read of SCHEDULED below (store-load). Pairs with the run end: "endRun(); hasWork()".
        // Control bits are set by atomic RMWs on the word itself, ordered without it (CellControl).
        VarHandle.fullFence();
        if (trySchedule()) {
            dispatcher.execute(runner);
        }
    }

    /**
     * Any thread: the mailbox position (see {@link Mailbox}) of the last slot claimed so far in the
     * newest ring (volatile reads); -1 if none. Every claim made before this call is at or before it.
     */
    @Override
    long claimedSequence() {
        final Mailbox box = mailbox;
        return box == null ? -1 : box.claimedPosition();
    }

    @Override
    AgentState state() {
        return state;
    }

    /** Any thread: the thread running one of this agent's callbacks right now, or null. */
    Thread runningOn() {
        return agentThread;
    }

    /** Any thread: messages waiting in the mailbox (a gauge); 0 once closed. */
    int depth() {
        final Mailbox box = mailbox;
        return box == null || isClosed() ? 0 : box.depth();
    }

    /**
     * Any thread: how many messages this agent has accepted (a counter). Never more than the true
     * number; includes every send that has returned; exact once it terminated.
     */
    long acceptedCount() {
        final Mailbox box = mailbox;
        return box == null ? 0 : box.acceptedCount();
    }


    int capacity() {
        return capacity;
    }

    CompletableFuture<TerminationCause> termination() {
        final CompletableFuture<TerminationCause> f = extras().terminationOrCreate();
        // Completed only by finishStop, after the agent left the registry: a caller that sees the
        // stage complete then finds state() empty (rule 8.1). The CAS that makes it (in CellExtras)
        // makes the terminating thread and every caller share one future, so none is missed.
        return f;
    }

    // ---- subscriptions (rule 6.5): see Subscriptions; created at the first subscribe (idle agents stay small)

    /**
     * Any thread: the runtime added this agent to the topic's subscribers.
     *
     * @param adapter turns the topic's events into this agent's messages (rule 6.9), or null if they are its messages
     */
    void addTopic(final Topic<?> topic, final Function<Object, ?> adapter) {
        extras().subscriptionsOrCreate().add(topic, adapter);
    }

    /**
     * Any publishing thread: what to offer this agent for an event of the topic: the event itself, or
     * the event wrapped with the subscription's adapter (rule 6.9); null if neither fits, which
     * happens only to a publish that raced the end of an adapted subscription (rule 6.4: not delivered).
     */
    Object deliveryOf(final Topic<?> topic, final Object event) {
        final Subscriptions subs = subscriptionsOrNull();
        final Function<Object, ?> adapter = subs == null ? null : subs.adapterOf(topic);
        if (adapter != null) {
            return new Adapted(event, adapter);
        }
        return type.isInstance(event) ? event : null;
    }

    /** Any thread: a message adapter of this agent (rule 2.10). */
    <U> AgentRef<U> messageAdapter(final Class<U> adapted, final Function<? super U, ? extends M> adapter) {
        return new AdapterRef<>(this, adapted, adapter);
    }

    /** Any thread: the runtime took this agent out of the topic's subscribers. */
    void removeTopic(final Topic<?> topic) {
        final Subscriptions subs = subscriptionsOrNull();
        if (subs != null) {
            subs.remove(topic);
        }
    }

    // ---- death watch (rule 4.7): see DeathWatch

    /**
     * Any thread: this agent's death watch, created on first use (CAS, so that watchers and the
     * termination share one; see DeathWatch for the pair they form).
     */
    DeathWatch deathWatch() {
        return extras().deathWatchOrCreate(this);
    }

    /** Any thread: this agent's death watch if anyone ever watched it, else null. */
    private DeathWatch deathWatchOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.deathWatch();
    }

    /** Any thread: a watcher leaves; nothing to do if nobody ever watched this agent. */
    void removeWatcher(final AgentCell<?> watcher) {
        final DeathWatch watch = deathWatchOrNull();
        if (watch != null) {
            watch.removeWatcher(watcher);
        }
    }

    void enqueueSignal(final Signal signal) {
        if (isClosed()) {
            return; // a terminated agent receives no signals
        }
        extras().signalsOrCreate().add(signal);
        schedule();
    }

    // =====================================================================================
    // The run loop: agent thread
    // =====================================================================================

    private void runScheduled() {
        agentThread = Thread.currentThread();
        final boolean mdc = runtime.agentMdc;
        try {
            if (mdc) {
                enterMdc(); // rule 8.12: once per run, not per message; removed in the finally block
            }
            process();
            if (dispatcher instanceof PinnedAgentThread pinned && !isForced()) {
                holdWhileCaughtUp(pinned.spins(), pinned.yields(), null);
            } else if (dispatcher instanceof WorkerPoolDispatcher pool && !isForced()) {
                holdWhileCaughtUp(POOL_GRACE_SPINS, 0, pool);
            }
            if (isForced()) {
                // Rule 8.7: a forced stop that arrived while a handler (or onStart) was running,
                // e.g. one blocked past the shutdown timeout, is finished in this same run. The
                // re-submit in the finally block is not enough: by the time a handler blocked that
                // long returns, shutdown() has usually stopped the dispatcher, which drops the
                // task, so the agent never terminated and its mailbox was never dead-lettered.
                // Ordering: FORCED is set before forceTerminate's schedule(). A force set before
                // this read is handled here; one set after it is in the word endRun() returns in
                // the finally block (or its schedule() finds SCHEDULED clear), whose re-submit
                // still finds the dispatcher running, because shutdown() waits for the forced
                // agents before it stops the dispatcher.
                // finishStop() is a no-op once TERMINATED.
                finishStop();
            }
        } catch (Throwable t) {
            if (!runtime.escalateIfFatal(t)) {
                runtime.log.error("{} run loop failed; a runtime bug", id, t);
            }
        } finally {
            if (mdc) {
                AgentMdc.exit(); // before the thread can run another agent (the resubmit below)
            }
            agentThread = null;
            if (endRunAndReschedule()) { // clears SCHEDULED, then hasWork's volatile reads (the cursor among them)
                dispatcher.resubmit(runner); // this thread goes straight back to the dispatcher
            }
        }
    }

    /**
     * Agent thread: puts this agent's id and name in the MDC (rule 8.12). The id's string is made
     * per run rather than kept: a field for it would grow every started agent by 8 bytes (the idle
     * footprint target is 200), while the MDC is off by default.
     */
    private void enterMdc() {
        AgentMdc.enter(id.toString(), name());
    }

    /**
     * Spinning rounds a run on the worker pool holds on, caught up, while no other task waits for a
     * worker. Measured on 2 cores (JDK 17, flin-backoff, 0 against 256 rounds, alternating JMH runs):
     * ManyToOneTell with 2 and 4 producers 10-11 M to 16-28 M messages/s, SavinaCount 115-119 ms to
     * 37-68 ms, OneToOneTell about as fast (16-19 M against 19-23 M) but with an error of 7-10% of
     * the score instead of 80%; PingPong, SavinaBig, SavinaFjThroughput and SavinaThreadRing
     * unchanged. 4,096 rounds were no better than 256.
     */
    static final int POOL_GRACE_SPINS = 256;

    /**
     * Agent thread: instead of ending the run once caught up, waits a moment for more work with
     * SCHEDULED still set, as a Disruptor event processor waits on its barrier, so that a sender
     * meanwhile pays nothing but its claim and publish: no schedule, no hand-over, no wake-up, and
     * the agent stays on its worker with its mailbox's cache lines. Each round re-reads what the end
     * of a run would (messages, signals, control requests; messages once published, see
     * {@link #hasWorkWhileHolding}), so nothing that arrives is left waiting; after {@code spins}
     * rounds of spinning and {@code yields} of yielding without work the run ends as usual.
     *
     * <p>A pinned agent (rule 1.7) holds its own thread, which has nothing else to run. A run on the
     * worker pool ({@code pool} not null) holds its worker only while no other task waits for one,
     * and gives it up at the first that does ({@link WorkerPoolDispatcher#nothingElseWaits}), so the
     * grace never delays another agent. (Tried before with the held run polling the ring's cursor:
     * OneToOneTell fell from 30 M to 6-8 M messages/s, because the poll took the line each claim CAS
     * needs; polling published slots removed that, see {@link Mailbox#hasPublished}.)
     */
    private void holdWhileCaughtUp(final int spins, final int yields, final WorkerPoolDispatcher pool) {
        final int rounds = spins + yields;
        int idle = 0;
        while (idle < rounds) {
            if (state == AgentState.TERMINATED || isForced() || (pool != null && !pool.nothingElseWaits())) {
                return;
            }
            if (hasWorkWhileHolding(control())) {
                process();
                idle = 0;
            } else if (++idle <= spins) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    @Override
    boolean hasWork(final int word) {
        return hasWork(word, false);
    }

    /**
     * Agent thread, while a run holds on ({@link #holdWhileCaughtUp}): {@link #hasWork} with messages
     * counted once published, not once claimed ({@link Mailbox#hasPublished}: polling the claim
     * cursor would slow every claim of its senders). Sound only while SCHEDULED is set: the end of
     * the run checks claims.
     */
    private boolean hasWorkWhileHolding(final int word) {
        return hasWork(word, true);
    }

    private boolean hasWork(final int word, final boolean publishedOnly) {
        final AgentState s = state;
        if (s == AgentState.TERMINATED) {
            return false;
        }
        if (has(word, FORCED)) {
            return true;
        }
        if (s == AgentState.STARTING) {
            // A backoff that ended while this run was still on its thread: the timer's wake-up found
            // the agent scheduled and did nothing, so the end of the run must see the due time itself
            // (the timer fired at or after restartAt and read SCHEDULED before this run cleared it,
            // so this clock read is later than restartAt).
            final Supervision supervision = supervisionOrNull();
            return supervision == null || !supervision.isBackingOff() || has(word, STOP_REQUESTED)
                    || supervision.backoffOverAt(runtime.dispatcher.nanoTime());
        }
        if (has(word, STOP_REQUESTED) && s != AgentState.SHUTTING_DOWN) {
            return true;
        }
        if (controlWaitersPending()) {
            return true; // a pause/resume caller waits for the next run to apply its request (rule 8.11)
        }
        if (s == AgentState.SHUTTING_DOWN) {
            return consumedSequence() >= stopSequence() || messagePending(publishedOnly) || signalsPending();
        }
        if (has(word, PAUSE_REQUESTED) != (s == AgentState.PAUSED)) {
            return true;
        }
        return s == AgentState.RUNNING && (messagePending(publishedOnly) || signalsPending());
    }

    /** Agent thread: the mailbox position of the last message taken; -1 if none. */
    private long consumedSequence() {
        final Mailbox box = mailbox;
        return box == null ? -1 : box.consumedPosition();
    }

    /**
     * Whether a sender has claimed a slot the agent has not taken: claimed, not only published, so
     * that a sender that read SCHEDULED set right after its claim cannot be missed (see the
     * class comment). A claimed slot is published a few instructions later; until then the run
     * finds nothing to take and re-submits itself.
     */
    private boolean messagePending(final boolean publishedOnly) {
        final Mailbox box = mailbox;
        if (box == null) {
            return false;
        }
        // hasClaimed: the ring's cursor, then its successor (volatile reads); hasPublished: the next
        // slot's availability flag (acquire load), then the successor
        return publishedOnly ? box.hasPublished() : box.hasClaimed();
    }

    private boolean signalsPending() {
        final ConcurrentLinkedQueue<Signal> queue = signalsOrNull();
        return queue != null && !queue.isEmpty();
    }

    // ---- the parts in CellExtras, read without making them (null: never used)

    /** Any thread: the queued signals, or null (volatile reads). */
    private ConcurrentLinkedQueue<Signal> signalsOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.signals();
    }

    /** Any thread: the accepted asks not answered yet, or null if none was ever accepted (volatile reads). */
    private PendingAsks pendingAsksOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.pendingAsks();
    }

    /** Any thread: this agent's topics, or null if it never subscribed (volatile reads). */
    private Subscriptions subscriptionsOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.subscriptions();
    }

    /** Agent thread: the restart bookkeeping, or null before the first failure. */
    private Supervision supervisionOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.supervision;
    }

    /** Agent thread: this agent's timers, or null if it never used them. */
    @SuppressWarnings("unchecked") // made only by timers(), as TimersImpl<M>
    private TimersImpl<M> timersOrNull() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : (TimersImpl<M>) x.timers;
    }

    /** Any thread: the agent's registered name, or null. */
    String name() {
        final CellExtras x = extrasOrNull();
        return x == null ? null : x.name;
    }

    private void process() {
        if (state == AgentState.TERMINATED) {
            return;
        }
        if (isForced()) {
            finishStop();
            return;
        }
        if (state == AgentState.STARTING) {
            final Supervision supervision = supervisionOrNull();
            if (supervision != null && supervision.isBackingOff()) {
                if (!isStopRequested() && !supervision.backoffOverAt(runtime.dispatcher.nanoTime())) {
                    return; // backing off (rule 4.4); a stop request cuts the backoff short
                }
                supervision.endBackoff();
            }
            if (!startInstance()) {
                return;
            }
        }
        // Rule 8.11: take the waiters before reading the control word. A caller joins them after its
        // bit was set, so the word read below includes its request; a caller joining later waits for
        // the next run (hasWork sees it), whose read of the word will include its request.
        final ControlWaiters.Generation settling = takeControlWaiters();
        final int word = control();
        if (has(word, STOP_REQUESTED) && state != AgentState.SHUTTING_DOWN) {
            transition(AgentState.SHUTTING_DOWN);
        }
        if (state == AgentState.RUNNING && has(word, PAUSE_REQUESTED)) {
            transition(AgentState.PAUSED);
        } else if (state == AgentState.PAUSED && !has(word, PAUSE_REQUESTED)) {
            transition(AgentState.RUNNING);
        }
        if (settling != null) {
            settling.complete(state);
        }
        if (state == AgentState.RUNNING || state == AgentState.SHUTTING_DOWN) {
            drainBatch();
        }
        if (state == AgentState.SHUTTING_DOWN && consumedSequence() >= stopSequence()) {
            finishStop();
        }
    }

    /**
     * Hands the handler up to one batch of messages and signals.
     *
     * <p>Each message's slot is freed ({@code consumed}) before its handler runs, not once per batch
     * as a Disruptor event processor does: rule 2.2 refuses a send only when the mailbox is full, and
     * a slot held for a message already taken would refuse sends to a mailbox that is not.
     *
     * <p>The count of messages handled is a local, added to the shared counter once per batch: the
     * counters are exact at quiescence (rule 8.3), which is all they promise, and a LongAdder CAS per
     * message was 3-12% of a one-to-one profile. (It was a field of the cell; written per message, it
     * shared a cache line with the control word that every sender reads.)
     */
    private void drainBatch() {
        final Mailbox box = mailbox;
        int budget = runtime.batchSize;
        long processed = 0;
        final boolean timed = FlightEvents.slowHandlersTimed(); // once a batch, not per message: see FlightEvents
        final HandlerTimer timer = runtime.handlerTimer; // a final field: null unless the options set one
        final String timerName = timer == null ? null : name();
        final boolean mdc = runtime.agentMdc;
        try {
            while (budget-- > 0) {
                final ConcurrentLinkedQueue<Signal> queue = signalsOrNull();
                final Signal signal = queue == null ? null : queue.peek();
                final Mailbox current = box != null ? box : mailbox;
                final long limit = state == AgentState.SHUTTING_DOWN ? stopSequence() : Long.MAX_VALUE;
                if (signal == null && (current == null || !current.hasNext(limit))) {
                    return; // nothing published yet, or the stop's last message was taken
                }
                // Rule 3.4: the control word is read after the next item was found published (an
                // acquire load). A pause that returned before that item's send set its bit before the
                // send, so this read sees it and the item waits; reading the word after the previous
                // delivery instead let a pause and a send land between the read and the take.
                final int word = control();
                if (has(word, FORCED) || (state != AgentState.RUNNING && state != AgentState.SHUTTING_DOWN)) {
                    return; // restarted, or stopped after a failure
                }
                if (has(word, PAUSE_REQUESTED) && state == AgentState.RUNNING && !has(word, STOP_REQUESTED)) {
                    return; // rule 3.4: pause takes effect before the next message
                }
                if (signal != null) {
                    queue.poll(); // the one consumer: the signal peeked above
                    deliverSignal(signal);
                } else {
                    // the take is plain, ordered before CLOSED is set (same thread); then an ordered
                    // store frees the slot for producers
                    final Object message = current.takeNext(limit);
                    if (message != null && deliver(message, timed, timer, timerName, mdc)) {
                        processed++;
                    }
                }
            }
        } finally {
            if (processed != 0) {
                runtime.counters.processed.add(processed);
            }
        }
    }

    /**
     * @param timed     whether the handler is timed for {@link FlightEvents.SlowHandler}
     * @param timer     the runtime's handler timer, or null: then no clock is read for it
     * @param timerName this agent's name for the timer (read once a batch), or null
     * @param mdc       whether to put the message's correlation id in the MDC (rule 8.12)
     * @return whether the message reached the handler (a stale timer's does not, rule 7.3)
     */
    @SuppressWarnings("unchecked")
    private boolean deliver(final Object raw, final boolean timed, final HandlerTimer timer, final String timerName,
            final boolean mdc) {
        Object message = raw;
        if (raw instanceof TimersImpl<?>.Entry entry) {
            final TimersImpl<M> timers = timersOrNull();
            message = timers == null ? null : timers.takeIfLive(entry);
            if (message == null) {
                runtime.counters.staleTimerMessages.increment(); // rule 7.3
                return false;
            }
        }
        final Object taken = message;
        final FlightEvents.SlowHandler slow = timed ? FlightEvents.handlerStarts() : null;
        boolean correlated = false;
        boolean timing = false; // the handler is running and timed
        long started = 0;
        try {
            if (taken instanceof Adapted adapted) {
                message = adapted.apply(type, id); // rules 2.10, 6.9: on this thread, in mailbox order
            }
            correlated = mdc && AgentMdc.beginMessage(message);
            if (timer != null) {
                started = System.nanoTime();
                timing = true;
            }
            instance.onMessage((M) message, context);
            if (timing) {
                timing = false;
                timed(timer, timerName, message, System.nanoTime() - started);
            }
            if (slow != null) {
                FlightEvents.handlerReturned(slow, this, message);
            }
            final Supervision supervision = supervisionOrNull();
            if (supervision != null) {
                supervision.messageHandled();
            }
        } catch (Throwable t) {
            if (timing) {
                timed(timer, timerName, message, System.nanoTime() - started); // a handler that threw took time too
            }
            failAskOf(taken, t); // rule 5.8: before the failure is handled, so the asker learns the cause first
            onFailure(AgentFailure.Phase.MESSAGE, Adapted.original(message), t);
        } finally {
            if (correlated) {
                AgentMdc.endMessage();
            }
        }
        return true; // a message whose handler threw was processed too (rule 8.3)
    }

    /** Agent thread: tells the handler timer; what it throws is not this agent's failure (see HandlerTimer). */
    private void timed(final HandlerTimer timer, final String name, final Object message, final long elapsed) {
        try {
            timer.handled(id, name, message.getClass(), elapsed);
        } catch (RuntimeException | Error e) {
            runtime.observerFailed("HandlerTimer.handled", e);
        }
    }

    private void deliverSignal(final Signal signal) {
        if (signal instanceof Signal.Terminated terminated) {
            final DeathWatch watch = deathWatchOrNull();
            if (watch == null || !watch.takeTerminated(terminated.agent())) {
                return; // unwatched before delivery
            }
        }
        try {
            instance.onSignal(signal, context);
        } catch (Throwable t) {
            onFailure(AgentFailure.Phase.SIGNAL, signal, t);
        }
    }

    private boolean startInstance() {
        try {
            final Agent<M> fresh = Supervision.freshInstance(factory, instance, id);
            instance = fresh;
            if (context == null) {
                context = new AgentThreadContext<>(this);
            }
            fresh.onStart(context); // rule 3.2: completes before the first message
            started = true;
        } catch (Throwable t) {
            onFailure(AgentFailure.Phase.START, null, t);
            return state == AgentState.RUNNING;
        }
        final int word = control();
        transition(has(word, STOP_REQUESTED) ? AgentState.SHUTTING_DOWN
                : has(word, PAUSE_REQUESTED) ? AgentState.PAUSED : AgentState.RUNNING);
        return true;
    }

    /** Rule 4.9, for the timers of this agent. @return whether it was fatal */
    boolean escalateIfFatal(final Throwable error) {
        return runtime.escalateIfFatal(error);
    }

    /** Agent thread: the handler of {@code message} threw; the ask it answers, if any, fails with the cause. */
    private void failAskOf(final Object message, final Throwable cause) {
        final PendingAsks asks = pendingAsksOrNull();
        if (asks != null) {
            asks.failRequest(message, cause);
        }
    }

    private void onFailure(final AgentFailure.Phase phase, final Object message, final Throwable cause) {
        // rule 4.9: out of memory is the process's failure, not the agent's; if the handler returns
        // (a test records it), the agent fails as for any other throwable
        runtime.escalateIfFatal(cause);
        runtime.counters.failures.increment();
        final CellExtras extras = extras();
        if (extras.supervision == null) {
            extras.supervision = new Supervision(extras.policy());
        }
        final Supervision supervision = extras.supervision;
        final AgentFailure.Decision decision = supervision.decide(cause, isStopRequested(), runtime.dispatcher.nanoTime());
        final Class<?> messageType = message == null ? null : message.getClass();
        runtime.failure(new AgentFailure(id, phase, messageType, cause, decision));
        if (decision == AgentFailure.Decision.RESTART) {
            restart();
        } else {
            // rule 4.2: the policy gives up; nothing more is processed, the rest is dead-lettered
            stopAfterFailure();
        }
    }

    private void restart() {
        callOnStop();
        started = false;
        final TimersImpl<M> timers = timersOrNull();
        if (timers != null) {
            timers.cancelAllInternal(); // rule 7.4
        }
        final Supervision supervision = extras().supervision; // made by onFailure, which restarts
        final long delay = supervision.restarting();
        runtime.counters.restarts.increment();
        FlightEvents.restarted(this, supervision.restartCount(), delay);
        transition(AgentState.STARTING);
        if (delay > 0) {
            supervision.backOffUntil(runtime.dispatcher.nanoTime() + delay);
            runtime.dispatcher.schedule(delay, () -> {
                try {
                    restartDue();
                } catch (Throwable t) { // the dispatcher's timer thread would swallow it
                    runtime.escalateIfFatal(t);
                    throw t;
                }
            });
        }
        // else: hasWork() sees STARTING and reschedules at the end of this run
    }

    private void restartDue() {
        // timer thread: the agent thread reads the backoff's end; make it observe the due time
        schedule();
    }

    private void stopAfterFailure() {
        final long consumed = consumedSequence(); // process nothing more
        if (claimStop(TerminationCause.FAILED)) {
            publishStop(consumed);
        } else {
            lowerStopSequence(consumed); // a stop() claimed first: still, nothing more (rule 4.2)
        }
        if (state != AgentState.SHUTTING_DOWN) {
            transition(AgentState.SHUTTING_DOWN);
        }
    }

    private void callOnStop() {
        if (!started) {
            return;
        }
        started = false;
        try {
            instance.onStop(context); // rule 3.3: once per started instance, after its last message
        } catch (Throwable t) {
            runtime.escalateIfFatal(t); // rule 4.9
            runtime.counters.failures.increment();
            runtime.failure(new AgentFailure(id, AgentFailure.Phase.STOP, null, t, AgentFailure.Decision.IGNORE));
        }
    }

    private void finishStop() {
        if (state == AgentState.TERMINATED) {
            return;
        }
        if (state != AgentState.SHUTTING_DOWN) {
            transition(AgentState.SHUTTING_DOWN);
        }
        callOnStop();
        final TimersImpl<M> timers = timersOrNull();
        if (timers != null) {
            timers.cancelAllInternal(); // rule 7.4
        }
        final Subscriptions subs = subscriptionsOrNull();
        if (subs != null) {
            subs.leaveAll(runtime, this); // rule 6.5
        }
        final DeathWatch watch = deathWatchOrNull();
        if (watch != null) {
            watch.unwatchAll();
        }
        markClosed(); // read by PendingAsks.register to fail a request accepted during the close
        Mailbox box = mailbox;
        if (box == null && !MAILBOX.compareAndSet(this, null, runtime.sealedMailbox)) {
            box = mailbox; // a sender created it meanwhile
        }
        final DeadLetter.Reason reason = stopCauseOrUnknown() == TerminationCause.RUNTIME_SHUTDOWN
                ? DeadLetter.Reason.RUNTIME_SHUTDOWN : DeadLetter.Reason.RECIPIENT_TERMINATED;
        if (box != null) {
            box.sealAndTakeRest(message -> { // from here no sender can claim a slot (see class comment)
                if (message instanceof TimersImpl<?>.Entry) {
                    runtime.counters.staleTimerMessages.increment();
                } else {
                    runtime.deadLetter(new DeadLetter(id, Adapted.original(message), reason));
                }
            });
        }
        // volatile reads (extras, then its field) after CLOSED is set: PendingAsks' Dekker pair
        final PendingAsks asks = pendingAsksOrNull();
        if (asks != null) {
            asks.failAll(id); // rule 5.7
        }
        final ConcurrentLinkedQueue<Signal> queue = signalsOrNull();
        if (queue != null) {
            queue.clear();
        }
        instance = null;
        transition(AgentState.TERMINATED);
        settleControls();
        runtime.terminated(this);
        // Created here if nobody watched yet: a watcher that found this agent in the registry
        // before it left may still register, and must be signalled (see DeathWatch).
        deathWatch().closeAndSignal();
        termination().complete(stopCauseOrUnknown());
    }

    private void transition(final AgentState next) {
        final AgentState current = state;
        if (!current.canTransitionTo(next)) {
            throw new IllegalLifecycleTransitionException(id, current, next);
        }
        state = next; // volatile: readable by state() from any thread
        runtime.lifecycle(id, current, next);
    }

    // =====================================================================================
    // Behind the context (AgentThreadContext): agent thread only, checked there
    // =====================================================================================

    /**
     * Any thread: throws unless the calling thread is running one of this agent's callbacks right
     * now ({@code agentThread}, a volatile read). Rules 1.4 and 7.6.
     *
     * @param operation the context (or timers) method, for the error
     */
    void checkAgentThread(final String operation) {
        final Thread current = Thread.currentThread();
        if (agentThread != current) {
            throw new ContextOutsideAgentException(operation, id, current.getName());
        }
    }

    RuntimeCore runtime() {
        return runtime;
    }

    /** The dispatcher that runs this agent. */
    Dispatcher runsOn() {
        return dispatcher;
    }

    Timers<M> timers() {
        TimersImpl<M> timers = timersOrNull();
        if (timers == null) {
            timers = new TimersImpl<>(this, runtime.dispatcher);
            extras().timers = timers;
        }
        return timers;
    }

    void watch(final AgentId target) {
        deathWatch().watch(target);
    }

    void unwatch(final AgentId target) {
        final DeathWatch watch = deathWatchOrNull();
        if (watch != null) {
            watch.unwatch(target);
        }
    }

    int restartCount() {
        final Supervision supervision = supervisionOrNull();
        return supervision == null ? 0 : supervision.restartCount();
    }

    @Override
    public String toString() {
        final String name = name();
        return "AgentRef[" + id + (name == null ? "" : " '" + name + "'") + ", " + type.getSimpleName() + "]";
    }
}
