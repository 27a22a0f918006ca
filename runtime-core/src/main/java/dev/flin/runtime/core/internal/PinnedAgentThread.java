package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread of one {@code PINNED} agent (rule 1.7): a platform thread named after the agent that
 * runs nothing but that agent's run task, like a Disruptor event processor runs its handler. It is
 * made at spawn, kept across the agent's restarts (a restart happens inside the agent's run), and
 * ends once the agent has terminated ({@link #close}). Clock and timers are the runtime dispatcher's.
 *
 * <h2>Hand-off (no lost wake-up)</h2>
 * <pre>
 * sender (execute):  pending = task              volatile write
 *                    if (parked) unpark(thread)  volatile read
 * thread (idle):     spin ~100 rounds, yield ~10 rounds, then
 *                    parked = true               volatile write
 *                    if (pending == null &amp;&amp; !closed) park   volatile reads
 *                    parked = false
 * </pre>
 * A Dekker pair of volatile accesses, which are sequentially consistent: either the thread's
 * re-check sees the task, or the sender sees {@code parked} and unparks (a permit given before the
 * park makes the park return at once). A spurious return from {@code park} only loops. A sender
 * pays an {@code unpark} only when the thread announced that it parks, not while it spins or
 * yields. Model-checked by {@code PinnedHandOffModelCheckTest}.
 *
 * <p>Only one task is ever handed over: the agent's run task, which the cell submits at most once
 * until it starts running (its {@code scheduled} flag), so one slot is the whole queue. The thread
 * takes it with an atomic swap before running it, so a submission that comes during the run (after
 * the cell cleared {@code scheduled}) is kept for the next round.
 *
 * <p>Threading: {@link #execute} and {@link #close} from any thread; {@link #resubmit} from the
 * pinned thread only. Happens-before: {@code execute} (the volatile write of {@code pending})
 * happens-before the task runs (the swap that reads it).
 */
final class PinnedAgentThread extends PlacedDispatcher {

    /** Idle rounds spent spinning, then yielding, before the thread parks. */
    static final int SPINS = 100;
    static final int YIELDS = 10;

    private static final VarHandle PENDING;

    static {
        try {
            PENDING = MethodHandles.lookup().findVarHandle(PinnedAgentThread.class, "pending", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * How the pinned thread parks and a sender wakes it. Production uses {@link LockSupport}; the
     * model check uses a version without spurious returns, so that a lost wake-up is a hang.
     */
    interface Parking {
        /** Parks the calling thread until {@link #unpark} (or, here, spuriously). */
        void park(Object blocker);

        /** Wakes the thread, or makes its next park return at once. */
        void unpark(Thread thread);

        /** {@link LockSupport#park(Object)} and {@link LockSupport#unpark}. */
        Parking LOCK_SUPPORT = new Parking() {
            @Override
            public void park(final Object blocker) {
                LockSupport.park(blocker);
            }

            @Override
            public void unpark(final Thread thread) {
                LockSupport.unpark(thread);
            }
        };
    }

    private final Thread thread;
    private final int spins;
    private final int yields;
    private final Parking parking;
    /** The task handed over and not yet taken; see the class comment. */
    @SuppressWarnings("unused")
    private volatile Runnable pending;
    /** Written by the pinned thread only: it is about to park, or parked. */
    private volatile boolean parked;
    private volatile boolean closed;

    /**
     * @param clock  the runtime's dispatcher: clock and timers
     * @param name   the thread's name
     * @param onExit run on the pinned thread as its last act (the runtime forgets the thread)
     */
    PinnedAgentThread(final Dispatcher clock, final String name, final Runnable onExit) {
        this(clock, name, onExit, SPINS, YIELDS, Parking.LOCK_SUPPORT);
    }

    /**
     * @param spins   idle rounds spent spinning before yielding
     * @param yields  idle rounds spent yielding before parking
     * @param parking how to park and wake (the model check's differs)
     */
    PinnedAgentThread(final Dispatcher clock, final String name, final Runnable onExit, final int spins, final int yields,
                      final Parking parking) {
        super(clock);
        this.spins = spins;
        this.yields = yields;
        this.parking = Objects.requireNonNull(parking, "parking");
        Objects.requireNonNull(onExit, "onExit");
        this.thread = new Thread(() -> {
            try {
                runLoop();
            } finally {
                onExit.run();
            }
        }, Objects.requireNonNull(name, "name"));
        thread.setDaemon(true); // a callback that never returns must not keep the process alive (rule 8.7)
    }

    /**
     * Idle rounds spent spinning, here and in the agent's run before it ends caught up (see
     * {@code AgentCell.holdWhileCaughtUp}).
     */
    int spins() {
        return spins;
    }

    /** Idle rounds spent yielding after {@link #spins}, here and in the agent's run. */
    int yields() {
        return yields;
    }

    /** Starts the thread; once. */
    void start() {
        thread.start();
    }

    Thread thread() {
        return thread;
    }

    /** The pinned thread: runs the handed-over task until closed. */
    void runLoop() {
        int idle = 0;
        while (true) {
            // Read before the swap: an idle thread spinning on the swap itself would take the line
            // that senders write to for exclusive use on every round.
            final Runnable task = pending == null ? null : (Runnable) PENDING.getAndSet(this, null);
            if (task != null) {
                idle = 0;
                task.run();
                continue;
            }
            if (closed) {
                return;
            }
            if (idle < spins) {
                idle++;
                Thread.onSpinWait();
            } else if (idle < spins + yields) {
                idle++;
                Thread.yield();
            } else {
                parked = true; // volatile write, then volatile reads: the thread's side of the Dekker pair
                if (pending == null && !closed) {
                    park();
                }
                parked = false;
            }
        }
    }

    private void park() {
        parking.park(this);
    }

    @Override
    public void execute(final Runnable task) {
        pending = task; // volatile write, then volatile read: the sender's side of the Dekker pair
        if (parked) {
            parking.unpark(thread);
        }
    }

    /** On the pinned thread, at the end of a run: it takes the task in its next round, awake. */
    @Override
    public void resubmit(final Runnable task) {
        pending = task;
    }

    /**
     * Any thread: the thread exits once it has no task left to run. Called when the agent
     * terminated (on this thread, from its last run) or at shutdown.
     */
    void close() {
        closed = true;
        parking.unpark(thread);
    }

    /** {@link #close}: the thread ends once its current run, if any, returns. */
    @Override
    void stop() {
        close();
    }

    /**
     * Joins the thread until the deadline; interrupts it if it has not exited by then (a callback
     * that does not return) and leaves it, a daemon (rule 8.7). True at once on the thread itself
     * (ending from its own last run).
     */
    @Override
    boolean awaitExit(final long deadline) {
        if (Thread.currentThread() == thread) {
            return true;
        }
        try {
            final long millis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (millis > 0) {
                thread.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "PinnedAgentThread[" + thread.getName() + "]";
    }
}
