package dev.flin.runtime.core.spi;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hashed timer wheel on one thread of its own: the scheduler behind {@link Dispatcher#schedule}
 * for the worker pool and for runtime-http's event-loop dispatcher.
 *
 * <p>Why a wheel: every ask with a timeout schedules a timer and almost always cancels it. A
 * {@code ScheduledThreadPoolExecutor} takes its lock on both and keeps a heap ordered; here
 * {@link #schedule} and {@link Dispatcher.Scheduled#cancel} only enqueue a node on a lock-free queue (cancel is
 * one CAS more) and the wheel's thread does the bookkeeping, in O(1) per timeout, once per tick.
 *
 * <p>Shape: {@code buckets} doubly linked lists; tick {@code t} covers the clock interval
 * {@code [t * tick, (t + 1) * tick)} and its bucket is processed once the clock has passed the
 * interval's end, so a timeout whose deadline lies in tick {@code t} runs at or after its deadline,
 * never before (rule 7.2), and at most about one tick late when the wheel's thread is not held up.
 * A timeout further than one turn of the wheel waits out its remaining turns in its bucket.
 *
 * <p>Idle: with no timeout in the wheel and none being added, the thread parks until a
 * {@code schedule} wakes it (a Dekker pair on {@code sleeping}: the thread writes it, volatile,
 * then re-checks the queue of added timeouts; a scheduler adds, volatile, then reads the flag), so
 * an idle runtime costs no periodic wake-ups. While any timeout is pending it ticks.
 *
 * <p>Threading: {@link #schedule}, {@link Dispatcher.Scheduled#cancel}, {@link #size} and {@link #shutdown}
 * are thread-safe and never block, except {@code shutdown}, which joins the thread. Actions run on
 * the wheel's thread, one at a time; an action must be short and must not block (it usually enqueues
 * a message). An action that throws is logged and the wheel goes on. Happens-before: a call to
 * {@code schedule} happens-before its action runs; a {@code cancel} that returns {@code true}
 * happens-before the wheel forgets the timeout, and the action never runs.
 */
public final class TimerWheel {

    private static final Logger LOG = LoggerFactory.getLogger(TimerWheel.class);
    private static final VarHandle STATE;
    private static final VarHandle LIFECYCLE;
    private static final int UNSTARTED = 0;
    private static final int STARTED = 1;
    private static final int STOPPED = 2;
    private static final int PENDING = 0;
    private static final int CANCELLED = 1;
    private static final int EXPIRED = 2;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timeout.class, "state", int.class);
            LIFECYCLE = MethodHandles.lookup().findVarHandle(TimerWheel.class, "lifecycle", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long tickNanos;
    private final Timeout[] heads;
    private final int mask;
    private final long origin = System.nanoTime();
    private final ConcurrentLinkedQueue<Timeout> added = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Timeout> cancelled = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    /** UNSTARTED until the first schedule starts the thread (CAS), then STARTED; STOPPED for ever. */
    @SuppressWarnings("unused")
    private volatile int lifecycle;
    private volatile boolean running = true;
    /** Written by the wheel's thread before an untimed park; see the class comment. */
    private volatile boolean sleeping;
    /** Timeouts linked in buckets; wheel thread only, published (ordered) for {@link #size}. */
    private int linked;
    private volatile int linkedPublished;
    /** The next tick to process; wheel thread only. */
    private long tick;

    private TimerWheel(final String threadName, final long tickNanos, final int buckets) {
        this.tickNanos = tickNanos;
        this.heads = new Timeout[buckets];
        this.mask = buckets - 1;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /**
     * Creates a wheel; its thread starts with the first {@link #schedule}, so a runtime that never
     * schedules has no timer thread (and a model checker sees none).
     *
     * @param threadName the name of the wheel's (daemon) thread
     * @param tick       the wheel's resolution, from 100 µs to 1 s; a timeout may run up to about one
     *                   tick after its deadline
     * @param buckets    slots in one turn of the wheel, a power of two from 16 to 65,536
     * @return a wheel
     */
    public static TimerWheel start(final String threadName, final Duration tick, final int buckets) {
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(tick, "tick");
        if (tick.compareTo(Duration.ofNanos(100_000)) < 0 || tick.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("tick must be from 100 µs to 1 s, was " + tick);
        }
        if (buckets < 16 || buckets > 65_536 || Integer.bitCount(buckets) != 1) {
            throw new IllegalArgumentException("buckets must be a power of two from 16 to 65536, was " + buckets);
        }
        return new TimerWheel(threadName, tick.toNanos(), buckets);
    }

    /**
     * @param threadName the name of the wheel's thread
     * @return a wheel ticking every millisecond with 512 buckets (one turn about half a second)
     */
    public static TimerWheel start(final String threadName) {
        return start(threadName, Duration.ofMillis(1), 512);
    }

    /**
     * Runs {@code action} on the wheel's thread once {@code delayNanos} have passed on
     * {@link System#nanoTime()}. A delay beyond the clock's range waits for ever (rule 8.10). After
     * {@link #shutdown} the action never runs and the handle's {@code cancel} returns false.
     *
     * @param delayNanos the delay; 0 or less means the next tick
     * @param action     what to run; short and non-blocking
     * @return a handle that cancels it
     */
    public Dispatcher.Scheduled schedule(final long delayNanos, final Runnable action) {
        Objects.requireNonNull(action, "action");
        final int life = lifecycle;
        if (life == STOPPED || (life == UNSTARTED && !startThread())) {
            return () -> false;
        }
        final long now = System.nanoTime() - origin;
        final long delay = Math.max(0, delayNanos);
        final long deadline = now + delay < now ? Long.MAX_VALUE : now + delay; // saturates
        final Timeout timeout = new Timeout(this, deadline, action);
        added.offer(timeout); // volatile (CAS): then the read of "sleeping" below (Dekker pair)
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return timeout;
    }

    /**
     * @return how many timeouts the wheel's thread holds in its buckets (not yet run or cancelled),
     *     as of its last tick; a gauge for tests and monitoring
     */
    public int size() {
        return linkedPublished;
    }

    /** @return whether this call started the thread, or another did; false once stopped */
    private boolean startThread() {
        final int witness = (int) LIFECYCLE.compareAndExchange(this, UNSTARTED, STARTED);
        if (witness == UNSTARTED) {
            thread.start();
            return true;
        }
        return witness == STARTED;
    }

    /**
     * Stops the wheel: timeouts not yet run never run, though an action already running finishes.
     * Idempotent; a second call may wait again.
     *
     * @param timeoutNanos how long to wait for the thread to end; 0 or less only asks it to end
     * @return whether it ended in time
     */
    public boolean shutdown(final long timeoutNanos) {
        running = false;
        if ((int) LIFECYCLE.getAndSet(this, STOPPED) == UNSTARTED) {
            return true; // never started: no thread to end (a schedule that loses this race starts none)
        }
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return false; // an action shutting its own wheel down: the loop ends when it returns
        }
        if (timeoutNanos <= 0) {
            return !thread.isAlive();
        }
        try {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    // ---- the wheel's thread

    private void run() {
        tick = currentTick();
        while (running) {
            if (linked == 0 && added.isEmpty()) {
                sleeping = true; // volatile, then the re-check of "added" (Dekker pair with schedule)
                if (added.isEmpty() && running) {
                    LockSupport.park(this);
                }
                sleeping = false;
                tick = currentTick(); // every bucket is empty: start afresh from the clock
                continue;
            }
            final long tickEnd = (tick + 1) * tickNanos;
            final long left = tickEnd - (System.nanoTime() - origin);
            if (left > 0) {
                LockSupport.parkNanos(this, left);
                continue; // re-checks "running" and the clock (a park may return early)
            }
            transferAdded();
            removeCancelled();
            expire(heads[(int) (tick & mask)], System.nanoTime() - origin);
            tick++;
            linkedPublished = linked;
        }
        linkedPublished = 0;
    }

    private long currentTick() {
        return (System.nanoTime() - origin) / tickNanos;
    }

    private void transferAdded() {
        for (Timeout t = added.poll(); t != null; t = added.poll()) {
            if ((int) STATE.getAcquire(t) != PENDING) {
                continue; // cancelled before it was linked: its entry in "cancelled" finds it unlinked
            }
            final long target = Math.max(t.deadline / tickNanos, tick);
            t.rounds = (target - tick) / heads.length;
            link(t, (int) (target & mask));
        }
    }

    private void removeCancelled() {
        for (Timeout t = cancelled.poll(); t != null; t = cancelled.poll()) {
            if (t.bucket >= 0) {
                unlink(t);
            }
        }
    }

    private void expire(final Timeout head, final long now) {
        Timeout t = head;
        while (t != null) {
            final Timeout next = t.next;
            if (t.rounds > 0) {
                t.rounds--;
            } else {
                unlink(t);
                if (t.deadline > now) {
                    // Cannot happen with the placement above (the bucket's interval has passed), but a
                    // timeout is never run early (rule 7.2): it goes to the next tick instead.
                    link(t, (int) ((tick + 1) & mask));
                } else if (STATE.compareAndSet(t, PENDING, EXPIRED)) {
                    runAction(t.action);
                }
            }
            t = next;
        }
    }

    private static void runAction(final Runnable action) {
        try {
            action.run();
        } catch (VirtualMachineError fatal) {
            throw fatal; // the thread dies; its uncaught-exception handler decides (rule 4.9)
        } catch (Throwable t) {
            LOG.error("timer action failed; the wheel goes on", t);
        }
    }

    private void link(final Timeout t, final int bucket) {
        t.bucket = bucket;
        t.prev = null;
        t.next = heads[bucket];
        if (t.next != null) {
            t.next.prev = t;
        }
        heads[bucket] = t;
        linked++;
    }

    private void unlink(final Timeout t) {
        if (t.prev != null) {
            t.prev.next = t.next;
        } else {
            heads[t.bucket] = t.next;
        }
        if (t.next != null) {
            t.next.prev = t.prev;
        }
        t.prev = null;
        t.next = null;
        t.bucket = -1;
        linked--;
    }

    /** One timeout: its links, bucket and rounds are the wheel thread's; {@code state} is CAS'd. */
    private static final class Timeout implements Dispatcher.Scheduled {
        private final TimerWheel wheel;
        private final long deadline;
        private final Runnable action;
        @SuppressWarnings("unused")
        private volatile int state;
        private long rounds;
        private int bucket = -1;
        private @Nullable Timeout prev;
        private @Nullable Timeout next;

        Timeout(final TimerWheel wheel, final long deadline, final Runnable action) {
            this.wheel = wheel;
            this.deadline = deadline;
            this.action = action;
        }

        @Override
        public boolean cancel() {
            if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                wheel.cancelled.offer(this); // the wheel's thread unlinks it at its next tick
                return true;
            }
            return false;
        }
    }
}
