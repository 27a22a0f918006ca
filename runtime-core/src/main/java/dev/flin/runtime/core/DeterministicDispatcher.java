package dev.flin.runtime.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Runs every task on the calling thread, in an order drawn from a seed, with a manual clock.
 * Nothing happens until the test calls {@link #runNext}, {@link #runUntilIdle} or
 * {@link #advanceTime}; timers fire only when the clock is advanced. The same seed and the same
 * sequence of calls replay the same interleaving exactly.
 *
 * <p>Threading: confined to one thread, the first that uses it, with one exception:
 * {@link #execute} may be called from any thread (a send from a foreign thread schedules its agent);
 * such tasks wait in a concurrent inbox and join the ready set at the owner's next {@link #runNext}.
 * Every other method called from another thread throws {@link IllegalStateException}. Interleavings
 * replay exactly when all sends come from the owner thread.
 */
public final class DeterministicDispatcher implements Dispatcher {

    private final long seed;
    private final SplittableRandom random;
    private final ArrayList<Runnable> ready = new ArrayList<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> foreign = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private Thread owner;
    private long now;
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

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Scheduled schedule(final long delayNanos, final Runnable action) {
        Objects.requireNonNull(action, "action");
        checkThread();
        final Timer timer = new Timer(now + Math.max(0, delayNanos), timerSequence++, action);
        timers.add(timer);
        return timer;
    }

    /**
     * Runs one ready task, chosen by the seeded random source.
     *
     * @return false if no task was ready
     */
    public boolean runNext() {
        checkThread();
        for (Runnable task = foreign.poll(); task != null; task = foreign.poll()) {
            if (!shutdown) {
                ready.add(task);
            }
        }
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
     * @param duration how far, at least zero
     */
    public void advanceTime(final Duration duration) {
        checkThread();
        final long target = now + duration.toNanos();
        runUntilIdle();
        while (!timers.isEmpty() && timers.peek().due <= target) {
            final Timer timer = timers.poll();
            now = Math.max(now, timer.due);
            if (!timer.cancelled) {
                timer.action.run();
            }
            runUntilIdle();
        }
        now = target;
        runUntilIdle();
    }

    @Override
    public boolean awaitCondition(final BooleanSupplier condition, final long timeoutNanos) {
        checkThread();
        final long deadline = now + timeoutNanos;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (runNext()) {
                continue;
            }
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
        boolean cancelled;

        Timer(final long due, final long sequence, final Runnable action) {
            this.due = due;
            this.sequence = sequence;
            this.action = action;
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
