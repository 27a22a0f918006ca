package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code BLOCKING} dispatcher on a JDK without safe virtual threads (before 24, see
 * {@link AgentDispatchers}): a pool of platform threads that grows on demand up to a bound and
 * whose idle threads retire. Threads wait for tasks blocked in a queue's {@code poll}, never
 * spinning: a callback here is expected to block for milliseconds, not to be answered in
 * nanoseconds.
 *
 * <h2>Growth (no stranded task)</h2>
 * <pre>
 * execute:  queue.offer(task); if (queue.size() > idle) start a thread (below the bound)
 * thread:   idle++; task = queue.poll(keepAlive); idle--
 *           got one:   if (!queue.isEmpty() &amp;&amp; idle == 0) start a thread; run it
 *           timed out: threads--; if (!queue.isEmpty()) start a thread; exit
 * </pre>
 * A sender that finds as many waiting threads as queued tasks counts on one of them, but a waiter
 * counted there may already have taken a task and not yet said so. So every thread that stops waiting
 * re-checks: its {@code idle--} comes after the sender's read, which came after the sender's
 * offer, so the re-check sees the task unless someone took it, and starts a thread if nobody else
 * waits. At the bound no thread starts, but every busy thread polls again after its task. All of
 * these are volatile or locked accesses, sequentially consistent. (The first version compared with
 * {@code idle == 0} and lacked the re-check: six sends to one waiting thread all counted on it; the
 * kit's rule 1.7 check caught it in a matrix run, and {@code BlockingThreadPoolTest} shows it.)
 *
 * <p>At the bound, agents whose callbacks all block hold every thread: the next agent waits (rule 1.7
 * holds up to {@link #maxThreads} blocked agents at once).
 *
 * <p>Threading: {@link #execute} from any thread. Happens-before: the queue's offer happens-before
 * the poll that takes the task.
 */
final class BlockingThreadPool extends PlacedDispatcher {

    private final String namePrefix;
    private final int maxThreads;
    private final long keepAliveNanos;
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger threads = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger names = new AtomicInteger();
    private final RuntimeThreads started = new RuntimeThreads();
    private volatile boolean running = true;

    /**
     * @param clock          the runtime's dispatcher: clock and timers
     * @param namePrefix     thread names are this plus a number
     * @param maxThreads     the bound, at least 1
     * @param keepAliveNanos how long an idle thread waits before it retires
     */
    BlockingThreadPool(final Dispatcher clock, final String namePrefix, final int maxThreads, final long keepAliveNanos) {
        super(clock);
        this.namePrefix = Objects.requireNonNull(namePrefix, "namePrefix");
        if (maxThreads < 1 || keepAliveNanos < 1) {
            throw new IllegalArgumentException("maxThreads and keepAliveNanos must be >= 1");
        }
        this.maxThreads = maxThreads;
        this.keepAliveNanos = keepAliveNanos;
    }

    @Override
    public void execute(final Runnable task) {
        if (!running) {
            return; // shut down: agents are terminated first, so nothing is lost here
        }
        queue.offer(task);
        if (queue.size() > idle.get()) { // more tasks than waiting threads: this one needs a thread
            tryStartThread();
        }
    }

    /** From a pool thread at the end of a run: it polls again at once, so no thread is started for it. */
    @Override
    public void resubmit(final Runnable task) {
        if (running) {
            queue.offer(task);
        }
    }

    private void tryStartThread() {
        int n;
        do {
            n = threads.get();
            if (n >= maxThreads) {
                return; // a busy thread takes the task when its callback returns
            }
        } while (!threads.compareAndSet(n, n + 1));
        final Thread thread = new Thread(this::work, namePrefix + names.incrementAndGet());
        thread.setDaemon(true); // a callback that never returns must not keep the process alive (rule 8.7)
        started.add(thread);
        if (!running) { // raced with shutdown, which may not have seen it: do not start it
            started.remove(thread);
            threads.decrementAndGet();
            return;
        }
        thread.start();
    }

    private void work() {
        while (running) {
            final Runnable task;
            idle.incrementAndGet();
            try {
                task = queue.poll(keepAliveNanos, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                continue; // a stale interrupt; "running" says whether to go on
            } finally {
                idle.decrementAndGet();
            }
            if (task == null) {
                threads.decrementAndGet();
                if (!queue.isEmpty() && running) {
                    tryStartThread(); // a task offered as this thread timed out (see class comment)
                }
                return;
            }
            if (!queue.isEmpty() && idle.get() == 0) {
                tryStartThread(); // this thread may have taken another sender's task (see class comment)
            }
            Thread.interrupted(); // a stale interrupt must not reach the next agent's callback
            task.run();
        }
        threads.decrementAndGet();
    }

    /** @return the number of pool threads alive now; for tests */
    int threadCount() {
        return started.aliveCount();
    }

    int maxThreads() {
        return maxThreads;
    }

    /** Stops taking tasks and wakes the idle threads; returns at once. */
    @Override
    void stop() {
        running = false;
        queue.clear(); // agents were terminated first: nothing is lost
        for (int i = threads.get() + 1; i > 0; i--) {
            queue.offer(BlockingThreadPool::nothing); // wakes a waiting thread, which then finds "running" false; busy ones are left be
        }
    }

    @Override
    boolean awaitExit(final long deadline) {
        return started.joinAll(deadline);
    }

    /** Offered at shutdown to wake idle threads without interrupting busy ones. */
    private static void nothing() {
        // no work: the woken thread finds "running" false
    }
}
