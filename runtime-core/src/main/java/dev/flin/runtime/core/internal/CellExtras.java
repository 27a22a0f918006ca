package dev.flin.runtime.core.internal;

import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.Signal;
import dev.flin.runtime.TerminationCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * The parts of an agent cell that most agents never use, in one object that the cell makes at the
 * first use ({@link CellControl#extras()}): a name and a restart policy other than the default,
 * the stop's sequence, pause/resume waiters, signals, pending asks, death watch, the termination
 * future, subscriptions, supervision and timers. An idle agent that was never named, asked,
 * watched, stopped, subscribed or failed has none of them, and its cell holds one null reference
 * instead of eleven fields (issue 13: the heap per idle agent went from 240 B to under 200 B).
 *
 * <p>Threads and happens-before: the object is published by a CAS on the cell's volatile
 * {@code extras} field, so whoever reads that field non-null sees the {@linkplain #name final
 * fields}. Each lazily made part below is created by a CAS on its own volatile field, so racing
 * creators agree on one instance, and a reader that sees the part sees it fully built (the same
 * Dekker pairs as when these fields were the cell's own: every step is a volatile access or an
 * atomic read-modify-write). {@link #supervision} and {@link #timers} are the agent thread's only:
 * plain fields, ordered by the run hand-over like the rest of the agent's state.
 */
final class CellExtras {

    private static final VarHandle STOP_SEQUENCE;
    private static final VarHandle CONTROL_WAITERS;
    private static final VarHandle SIGNALS;
    private static final VarHandle PENDING_ASKS;
    private static final VarHandle DEATH_WATCH;
    private static final VarHandle TERMINATION;
    private static final VarHandle SUBSCRIPTIONS;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            STOP_SEQUENCE = l.findVarHandle(CellExtras.class, "stopSequence", long.class);
            CONTROL_WAITERS = l.findVarHandle(CellExtras.class, "controlWaiters", ControlWaiters.class);
            SIGNALS = l.findVarHandle(CellExtras.class, "signals", ConcurrentLinkedQueue.class);
            PENDING_ASKS = l.findVarHandle(CellExtras.class, "pendingAsks", PendingAsks.class);
            DEATH_WATCH = l.findVarHandle(CellExtras.class, "deathWatch", DeathWatch.class);
            TERMINATION = l.findVarHandle(CellExtras.class, "termination", CompletableFuture.class);
            SUBSCRIPTIONS = l.findVarHandle(CellExtras.class, "subscriptions", Subscriptions.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The agent's registered name, or null. */
    final String name;
    /** The restart policy when it is not {@link RestartPolicy#never()}, else null. */
    final RestartPolicy policy;

    /** Last sequence to process before stopping; only ever lowered ({@link #lowerStopSequence}). */
    private volatile long stopSequence = Long.MAX_VALUE;
    /** Callers of pause/resume waiting for the effect (rule 8.11). */
    private volatile ControlWaiters controlWaiters;
    /** Signals not yet delivered (rules 4.7, 7.x). */
    private volatile ConcurrentLinkedQueue<Signal> signals;
    /** Accepted asks not answered yet (rule 5.7). */
    private volatile PendingAsks pendingAsks;
    /** Death watch both ways (rule 4.7). */
    private volatile DeathWatch deathWatch;
    /** Completes with the termination cause (rule 3.6). Read and written through TERMINATION only. */
    @SuppressWarnings("UnusedVariable") // accessed through its VarHandle
    private volatile CompletableFuture<TerminationCause> termination;
    /** The topics this agent is subscribed to (rule 6.5). */
    private volatile Subscriptions subscriptions;

    /** Agent thread: restart bookkeeping (rules 4.1-4.4); created at the first failure. */
    Supervision supervision;
    /** Agent thread: this agent's timers (rule 7); created at the first use of the context's timers. */
    TimersImpl<?> timers;

    /**
     * @param name   the agent's name, or null
     * @param policy its restart policy, or null for {@link RestartPolicy#never()}
     */
    CellExtras(final String name, final RestartPolicy policy) {
        this.name = name;
        this.policy = policy;
    }

    /** @return the restart policy: the spawn's, or {@link RestartPolicy#never()} */
    RestartPolicy policy() {
        return policy == null ? RestartPolicy.never() : policy;
    }

    // ---- the stop's sequence

    /**
     * Any thread: lowers the stop sequence to {@code candidate} if that is lower (CAS loop), never
     * raises it.
     */
    void lowerStopSequence(final long candidate) {
        long current;
        do {
            current = stopSequence;
            if (candidate >= current) {
                return;
            }
        } while (!STOP_SEQUENCE.compareAndSet(this, current, candidate));
    }

    /** Any thread: the stop sequence (volatile read), {@code Long.MAX_VALUE} until one is published. */
    long stopSequence() {
        return stopSequence;
    }

    // ---- lazily made parts: get(), or getOrCreate() which makes it once (CAS) on first use

    ControlWaiters controlWaiters() {
        return controlWaiters;
    }

    ControlWaiters controlWaitersOrCreate() {
        return orCreate(CONTROL_WAITERS, null, owner -> new ControlWaiters());
    }

    ConcurrentLinkedQueue<Signal> signals() {
        return signals;
    }

    ConcurrentLinkedQueue<Signal> signalsOrCreate() {
        return orCreate(SIGNALS, null, owner -> new ConcurrentLinkedQueue<Signal>());
    }

    PendingAsks pendingAsks() {
        return pendingAsks;
    }

    PendingAsks pendingAsksOrCreate() {
        return orCreate(PENDING_ASKS, null, owner -> new PendingAsks());
    }

    DeathWatch deathWatch() {
        return deathWatch;
    }

    DeathWatch deathWatchOrCreate(final AgentCell<?> owner) {
        return orCreate(DEATH_WATCH, owner, DeathWatch::new);
    }

    CompletableFuture<TerminationCause> terminationOrCreate() {
        return orCreate(TERMINATION, null, owner -> new CompletableFuture<TerminationCause>());
    }

    Subscriptions subscriptions() {
        return subscriptions;
    }

    Subscriptions subscriptionsOrCreate() {
        return orCreate(SUBSCRIPTIONS, null, owner -> new Subscriptions());
    }

    /**
     * The part in {@code field} (volatile read); if none yet, makes one and installs it by a CAS,
     * so that racing callers all return the instance that won.
     *
     * @param field the part's VarHandle, of a field of this class
     * @param owner passed to {@code make} (the cell, for the parts that point back to it), or null
     * @param make  makes a fresh part; non-capturing, so a call that finds the part allocates nothing
     */
    @SuppressWarnings("unchecked") // each VarHandle's variable type is the type its caller names
    private <T> T orCreate(final VarHandle field, final AgentCell<?> owner, final Function<AgentCell<?>, T> make) {
        final T existing = (T) field.getVolatile(this);
        if (existing != null) {
            return existing;
        }
        final T fresh = make.apply(owner);
        return field.compareAndSet(this, (Object) null, (Object) fresh) ? fresh : (T) field.getVolatile(this);
    }
}
