package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Runs every task on the calling thread, in an order drawn from a seed, with a manual clock.
 * Nothing happens until the test calls {@link #runNext}, {@link #runUntilIdle} or
 * {@link #advanceTime}; timers fire only when the clock is advanced. The same seed and the same
 * sequence of calls replay the same interleaving exactly.
 *
 * <p>Threading: confined to one thread, the first that uses it, with two exceptions, so that any
 * thread may send to (and ask) the agents it runs: {@link #execute} and {@link #schedule} may be
 * called from any thread, and {@link #nanoTime} read from any. Tasks and timers from another thread
 * wait in concurrent inboxes (the submission happens-before the owner's next {@link #runNext},
 * {@link #advanceTime} or {@link #awaitCondition} that drains them) and join the ready set or the
 * timer queue there; a foreign timer's delay counts from the clock it read when it was scheduled.
 * Cancelling a timer is allowed from any thread. Every other method called from another thread
 * throws {@link IllegalStateException}. Interleavings replay exactly when all sends come from the
 * owner thread.
 *
 * <p>Durations and delays beyond the clock's range (about 292 years) saturate: such a timer never
 * fires, and advancing the clock that far stops at {@code Long.MAX_VALUE}.
 */
public final class DeterministicDispatcher implements Dispatcher {

    private final long seed;
    private final SplittableRandom random;
    private final ArrayList<Runnable> ready = new ArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> foreign = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Timer> foreignTimers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile @Nullable Thread owner;
    /** Written by the owner only; volatile so that {@link #nanoTime} and foreign timers can read it. */
    private volatile long now;
    private long timerSequence;
    private long tasksRun;
    private boolean shutdown;

    DeterministicDispatcher(final long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** @return the seed this dispatcher draws its interleaving from */
    public long seed() {
        return seed;
    }

    /** @return how many tasks have run */
    public long tasksRun() {
        return tasksRun;
    }

    /** @return how many tasks are ready to run */
    public int readyCount() {
        checkThread();
        return ready.size();
    }

    /** @return how many timers are pending */
    public int pendingTimers() {
        checkThread();
        return timers.size();
    }

    @Override
    public void execute(final Runnable task) {
        Objects.requireNonNull(task, "task");
        if (owner != null && owner != Thread.currentThread()) {
            foreign.add(task); // never refuse: the task's agent is already marked scheduled
            return;
        }
        checkThread();
        if (!shutdown) {
            ready.add(task);
        }
    }

    /**
     * @return true: every agent runs here, whatever its {@code DispatcherSelector}, so the
     *     interleaving stays a function of the seed (rule 8.8); a runtime on this dispatcher does not
     *     offer rule 1.7
     */
    @Override
    public boolean confinesAgents() {
        return true;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Scheduled schedule(final long delayNanos, final Runnable action) {
        Objects.requireNonNull(action, "action");
        final long due = saturatedAdd(now, Math.max(0, delayNanos));
        final Thread current = Thread.currentThread();
        if (owner != null && owner != current) {
            final Timer timer = new Timer(due, -1, action); // sequenced when the owner drains it
            foreignTimers.add(timer);
            return timer;
        }
        checkThread();
        final Timer timer = new Timer(due, timerSequence++, action);
        if (!shutdown) {
            timers.add(timer);
        }
        return timer;
    }

    private void drainForeign() {
        for (Runnable task = foreign.poll(); task != null; task = foreign.poll()) {
            if (!shutdown) {
                ready.add(task);
            }
        }
        for (Timer timer = foreignTimers.poll(); timer != null; timer = foreignTimers.poll()) {
            if (!shutdown) {
                timers.add(new Timer(timer, timerSequence++));
            }
        }
    }

    /** Like internal.Durations, which this public package may not reach (RepositoryArchitectureTest). */
    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /**
     * Runs one ready task, chosen by the seeded random source.
     *
     * @return false if no task was ready
     */
    public boolean runNext() {
        checkThread();
        drainForeign();
        if (ready.isEmpty()) {
            return false;
        }
        final int index = random.nextInt(ready.size());
        final int last = ready.size() - 1;
        final Runnable task = ready.get(index);
        ready.set(index, ready.get(last));
        ready.remove(last);
        tasksRun++;
        task.run();
        return true;
    }

    /**
     * Runs ready tasks until none is left (timers do not fire: the clock stands still).
     *
     * @return how many tasks ran
     */
    public int runUntilIdle() {
        int count = 0;
        while (runNext()) {
            count++;
        }
        return count;
    }

    /**
     * Moves the clock forward, firing every timer that falls due, in due order, and running the
     * tasks they make ready before the clock moves on.
     *
     * @param duration how far, at least zero; beyond the clock's range the clock stops at
     *                 {@code Long.MAX_VALUE}
     */
    public void advanceTime(final Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("the clock only moves forward; duration was " + duration);
        }
        checkThread();
        final long nanos = duration.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : duration.toNanos();
        final long target = saturatedAdd(now, nanos);
        runUntilIdle();
        drainForeign();
        while (!timers.isEmpty() && timers.peek().due <= target) {
            final Timer timer = timers.poll();
            now = Math.max(now, timer.due);
            if (!timer.isCancelled()) {
                timer.action.run();
            }
            runUntilIdle();
            drainForeign();
        }
        now = target;
        runUntilIdle();
    }

    @Override
    public boolean awaitCondition(final BooleanSupplier condition, final long timeoutNanos) {
        checkThread();
        final long deadline = saturatedAdd(now, Math.max(0, timeoutNanos));
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (runNext()) {
                continue;
            }
            drainForeign();
            final Timer next = timers.peek();
            if (next == null || next.due > deadline) {
                return condition.getAsBoolean();
            }
            advanceTime(Duration.ofNanos(next.due - now));
        }
    }

    @Override
    public boolean shutdown(final long timeoutNanos) {
        shutdown = true;
        ready.clear();
        foreign.clear();
        foreignTimers.clear();
        timers.clear();
        return true;
    }

    private void checkThread() {
        final Thread current = Thread.currentThread();
        if (owner == null) {
            owner = current;
        } else if (owner != current) {
            throw new IllegalStateException("DeterministicDispatcher is confined to " + owner.getName()
                    + "; called from " + current.getName());
        }
    }

    private static final class Timer implements Comparable<Timer>, Scheduled {
        final long due;
        final long sequence;
        final Runnable action;
        /** The handle given out: cancelling it cancels this timer (a foreign timer is re-sequenced). */
        private final Timer origin;
        /** Volatile: a timer may be cancelled from any thread. */
        private volatile boolean cancelled;

        Timer(final long due, final long sequence, final Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
            this.origin = this;
        }

        Timer(final Timer foreign, final long sequence) {
            this.due = foreign.due;
            this.sequence = sequence;
            this.action = foreign.action;
            this.origin = foreign;
        }

        boolean isCancelled() {
            return cancelled || origin.cancelled;
        }

        @Override
        public int compareTo(final Timer other) {
            final int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }

        @Override
        public boolean cancel() {
            final boolean was = !cancelled;
            cancelled = true;
            return was;
        }
    }
}
