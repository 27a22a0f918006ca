package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.spi.TimerWheel;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed pool of worker threads sharing one intrusive lock-free run queue, plus one
 * {@link TimerWheel} thread.
 *
 * <p>Producers ({@link #execute}) never block: an exchange on the queue, a full fence, then a scan
 * of the workers for one that is parked, which is woken with a CAS on its flag and an unpark.
 * Workers take turns at the single-consumer end of the queue with a CAS token held only for the
 * O(1) poll. A worker that finds nothing runs its {@link IdleStrategy}; before a parking idle it
 * publishes its parked flag (volatile) and re-checks the queue, so a wake-up cannot be lost:
 * either the worker sees the new node, or the producer sees the flag.
 *
 * <h2>The next slot (a hand-off that stays on one thread)</h2>
 * Each worker has a one-task {@code next} slot. A task submitted by a worker while it runs an agent
 * (that agent sent a message to an idle agent) goes into that worker's slot instead of the shared
 * queue, and the worker runs it as soon as the current run returns: a request and its reply, or a
 * token passed around a ring, stay on one thread and in its cache, with no wake-up and no
 * cross-core hand-off. This is Go's {@code runnext} and Tokio's LIFO slot. A task already in the
 * slot moves to the shared queue (with the usual wake-up), so a fan-out still spreads. Fairness:
 * after {@value #NEXT_STREAK} slot runs in a row the worker serves the shared queue first. A task
 * can sit in a slot only while its owner is running something; if that run is long (a blocking
 * handler), an idle worker that sees the same task in the slot for {@value #STEAL_AFTER_ROUNDS}
 * idle rounds steals it with a CAS (the owner takes its slot with an exchange, so exactly one of
 * them runs it). A parked worker steals when its park times out.
 *
 * <h2>Spinning workers (Go's scheduler accounting)</h2>
 * An idle worker spins (the spinning and yielding rounds of its {@link IdleStrategy}) only while
 * fewer than {@code max(1, workers / 2)} others do; the others go straight to their parking rounds.
 * A submission from outside the pool wakes nobody while a worker spins: the spinner finds the task.
 * So on two cores one idle worker at most competes with the sender and the running agent, and a
 * sender that keeps an agent busy pays no unpark. A spinner that finds a task stops spinning and,
 * if it was the last spinner and the shared queue still holds work, wakes one parked worker, which
 * spins in its turn: a burst still spreads over the pool. No wake-up can be lost: a spinner that
 * gives up first leaves the spinning count (volatile), then runs the parking protocol above, whose
 * re-check of the queue follows the submitter's offer whenever the submitter read the count before
 * the spinner left it. An idle strategy that never parks (busy spin, yielding) is not limited.
 */
public final class WorkerPoolDispatcher implements Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPoolDispatcher.class);
    private static final VarHandle CONSUMER_TOKEN;
    private static final VarHandle PARKED;
    private static final VarHandle NEXT;
    private static final VarHandle SPINNING;
    /** Slot runs in a row before a worker serves the shared queue first. */
    private static final int NEXT_STREAK = 16;
    /** Idle rounds a task must sit in another worker's slot before it is stolen. */
    private static final int STEAL_AFTER_ROUNDS = 64;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_TOKEN = lookup.findVarHandle(WorkerPoolDispatcher.class, "consumerToken", int.class);
            PARKED = lookup.findVarHandle(Worker.class, "parked", boolean.class);
            NEXT = lookup.findVarHandle(Worker.class, "next", DispatchNode.class);
            SPINNING = lookup.findVarHandle(WorkerPoolDispatcher.class, "spinning", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MpscNodeQueue queue = new MpscNodeQueue();
    private final Worker[] workers;
    /** Timers and ask timeouts: a lock-free wheel, so an ask's schedule and cancel take no lock. */
    private final TimerWheel timer;
    @SuppressWarnings("unused")
    private volatile int consumerToken;
    /** Workers in their spinning or yielding idle rounds now (CAS); see the class comment. */
    @SuppressWarnings("unused")
    private volatile int spinning;
    /** At most this many workers spin at once. */
    private final int maxSpinning;
    private volatile boolean running = true;

    /**
     * @param threads      worker count, at least 1
     * @param idleStrategy copied per worker
     * @param namePrefix   thread name prefix
     */
    public WorkerPoolDispatcher(final int threads, final IdleStrategy idleStrategy, final String namePrefix) {
        Objects.requireNonNull(idleStrategy, "idleStrategy");
        Objects.requireNonNull(namePrefix, "namePrefix");
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        }
        workers = new Worker[threads];
        maxSpinning = Math.max(1, threads / 2);
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(idleStrategy.copy());
            final Thread thread = new WorkerThread(this, workers[i], namePrefix + "-worker-" + i);
            thread.setDaemon(true);
            workers[i].thread = thread;
        }
        timer = TimerWheel.start(namePrefix + "-timer");
        for (final Worker worker : workers) {
            worker.thread.start();
        }
    }

    @Override
    public void execute(final Runnable task) {
        if (!running) {
            return; // shut down: agents are terminated first, so nothing is lost here
        }
        final DispatchNode node = task instanceof DispatchNode dn ? dn : new RunnableNode(task);
        if (Thread.currentThread() instanceof WorkerThread current && current.pool == this) {
            // A worker's agent woke another agent: keep the hand-off on this thread (see class comment).
            final DispatchNode displaced = (DispatchNode) NEXT.getAndSet(current.worker, node);
            if (displaced == null) {
                return; // this worker runs it right after the current run; nobody needs waking
            }
            offerShared(displaced);
            return;
        }
        offerShared(node);
    }

    /** Shared queue, then wake one parked worker if there is one. */
    private void offerShared(final DispatchNode node) {
        queue.offer(node);
        // Full fence: order the exchange above before the reads of the parked flags below
        // (the exchange is already volatile; the fence documents and guarantees the Dekker pair
        // with Worker.run's "parked = true; fence; queue.isEmpty()").
        VarHandle.fullFence();
        if (spinning > 0) {
            return; // a spinning worker will find it (see "Spinning workers")
        }
        wakeOne();
    }

    private void wakeOne() {
        for (final Worker worker : workers) {
            if (worker.parked && PARKED.compareAndSet(worker, true, false)) {
                LockSupport.unpark(worker.thread);
                return;
            }
        }
    }

    /** @return whether the calling worker may spin now; if so it counts as spinning */
    private boolean startSpinning() {
        int now = spinning;
        while (now < maxSpinning) {
            final int witness = (int) SPINNING.compareAndExchange(this, now, now + 1);
            if (witness == now) {
                return true;
            }
            now = witness;
        }
        return false;
    }

    /** @return how many workers still spin after the calling one stopped */
    private int stopSpinning() {
        return (int) SPINNING.getAndAdd(this, -1) - 1;
    }

    /**
     * Called by a worker at the end of a run: enqueue only. That worker polls the queue as soon as
     * it returns, so the task cannot be stranded, and no parked worker is woken for it; a worker
     * that wakes from its own timed park, or any new submission, shares the queue as before.
     */
    @Override
    public void resubmit(final Runnable task) {
        if (!running) {
            return;
        }
        queue.offer(task instanceof DispatchNode dn ? dn : new RunnableNode(task));
    }

    /**
     * The calling worker, during a run: whether no other task waits for a worker (its own next slot
     * and the shared queue are empty). A hint, read to decide whether a run may hold on a moment.
     */
    boolean nothingElseWaits() {
        return Thread.currentThread() instanceof WorkerThread current && current.pool == this
                && current.worker.next == null && queue.isEmpty();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Scheduled schedule(final long delayNanos, final Runnable action) {
        return timer.schedule(delayNanos, action); // after shutdown: never runs, cancel() is false
    }


    @Override
    public boolean shutdown(final long timeoutNanos) {
        running = false;
        timer.shutdown(0); // no timer fires from now on; its thread is joined below, within the deadline
        for (final Worker worker : workers) {
            LockSupport.unpark(worker.thread);
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        boolean allExited = true;
        try {
            // Bounded whatever the callbacks do (rule 8.7): join every worker until the deadline, then
            // interrupt those still in a callback and leave them (they are daemons). No extra wait
            // per stuck worker, so the bound does not grow with the number of workers.
            for (final Worker worker : workers) {
                final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left > 0) {
                    worker.thread.join(left);
                }
            }
            for (final Worker worker : workers) {
                if (worker.thread.isAlive()) {
                    worker.thread.interrupt();
                    allExited = false;
                }
            }
            allExited &= timer.shutdown(Math.max(1, deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return allExited;
    }

    /** @return the worker threads, for tests that check they exited */
    public Thread[] threads() {
        final Thread[] threads = new Thread[workers.length];
        for (int i = 0; i < workers.length; i++) {
            threads[i] = workers[i].thread;
        }
        return threads;
    }

    private DispatchNode pollShared() {
        if (!CONSUMER_TOKEN.compareAndSet(this, 0, 1)) {
            return null;
        }
        try {
            return queue.poll();
        } finally {
            CONSUMER_TOKEN.setRelease(this, 0);
        }
    }

    /** A worker's thread, so that {@link #execute} can tell a submission from its own worker. */
    private static final class WorkerThread extends Thread {
        final WorkerPoolDispatcher pool;
        final Worker worker;

        WorkerThread(final WorkerPoolDispatcher pool, final Worker worker, final String name) {
            super(worker, name);
            this.pool = pool;
            this.worker = worker;
        }
    }

    private final class Worker implements Runnable {
        private final IdleStrategy idle;
        /** The first idle round in which {@link #idle} parks, or -1 if it never does (no spin limit). */
        private final int firstParkingRound;
        /** Whether this worker counts in {@code spinning}. Worker thread only. */
        private boolean isSpinning;
        Thread thread;
        volatile boolean parked;
        /** This worker's next slot: set by its own thread (exchange), taken by it or stolen (CAS). */
        volatile DispatchNode next;
        /** Runs from the slot in a row. Worker thread only. */
        private int streak;
        /** A task seen in another worker's slot, and the idle round it was first seen. Worker thread only. */
        private DispatchNode watched;
        private int watchedSince;

        Worker(final IdleStrategy idle) {
            this.idle = idle;
            int first = -1;
            for (int round = 1; round <= 100_000; round++) {
                if (idle.parks(round)) {
                    first = round;
                    break;
                }
            }
            this.firstParkingRound = first;
        }

        /** A task was found: leave the spinners, and keep one spinning if more work is queued. */
        private void foundWork() {
            if (isSpinning) {
                isSpinning = false;
                if (stopSpinning() == 0 && !queue.isEmpty()) {
                    wakeOne();
                }
            }
        }

        private DispatchNode takeNext() {
            return next == null ? null : (DispatchNode) NEXT.getAndSet(this, null);
        }

        private DispatchNode take() {
            if (streak >= NEXT_STREAK) {
                streak = 0;
                final DispatchNode shared = pollShared();
                if (shared != null) {
                    return shared;
                }
            }
            final DispatchNode mine = takeNext();
            if (mine != null) {
                streak++;
                return mine;
            }
            streak = 0;
            return pollShared();
        }

        /** Steals a task that has sat in another worker's slot for a while (its owner is busy). */
        private DispatchNode steal(final int idleRounds) {
            for (final Worker other : workers) {
                if (other == this) {
                    continue;
                }
                final DispatchNode candidate = other.next;
                if (candidate == null) {
                    continue;
                }
                if (candidate != watched) {
                    watched = candidate;
                    watchedSince = idleRounds;
                } else if (idleRounds - watchedSince >= STEAL_AFTER_ROUNDS
                        && NEXT.compareAndSet(other, candidate, null)) {
                    watched = null;
                    return candidate;
                }
            }
            return null;
        }

        private void runTask(final DispatchNode task) {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.error("task {} threw; a runtime bug", task, t);
            }
        }

        @Override
        public void run() {
            int idleRounds = 0;
            while (running) {
                final DispatchNode task = take();
                if (task != null) {
                    idleRounds = 0;
                    foundWork();
                    runTask(task);
                    continue;
                }
                if (queue.isEmpty()) {
                    idleRounds++;
                    final DispatchNode stolen = steal(idleRounds);
                    if (stolen != null) {
                        idleRounds = 0;
                        foundWork();
                        runTask(stolen);
                        continue;
                    }
                    if (firstParkingRound > 0 && idleRounds < firstParkingRound && !isSpinning) {
                        if (idleRounds == 1 && startSpinning()) {
                            isSpinning = true;
                        } else {
                            idleRounds = firstParkingRound; // enough workers spin: park instead
                        }
                    }
                    if (idle.parks(idleRounds)) {
                        if (isSpinning) {
                            isSpinning = false;
                            stopSpinning(); // volatile, before the parked flag's fence and re-check below
                        }
                        parked = true;
                        VarHandle.fullFence();
                        if (queue.isEmpty() && running) {
                            idle.idle(idleRounds);
                        }
                        parked = false;
                    } else {
                        idle.idle(idleRounds);
                    }
                } else {
                    Thread.onSpinWait(); // another worker holds the token, or a producer is mid-offer
                }
            }
        }
    }

    private static final class RunnableNode extends DispatchNode {
        private final Runnable task;

        RunnableNode(final Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            task.run();
        }
    }
}
