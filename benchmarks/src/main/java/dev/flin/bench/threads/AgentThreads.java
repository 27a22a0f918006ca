package dev.flin.bench.threads;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The agents of one workload, one thread per agent: each agent is a thread made by the system's
 * {@link ThreadFactory} that loops {@code take()} on its own {@link BlockingQueue} mailbox and hands
 * each message to its {@link Behaviour}, one at a time, until the behaviour stops it or
 * {@link #close()} interrupts the thread. Also the deadline-bounded waits every workload shares, and
 * the first failure of any agent, which fails the operation in progress at once.
 *
 * <p>Threading: created, started, awaited and closed by the benchmark thread; {@link Agent#tell}
 * by any thread; a behaviour runs only on its agent's thread, so its state needs no synchronisation
 * (the mailbox hand-off orders everything a sender did before the send before the handling).
 */
@SuppressWarnings("try") // close() may throw InterruptedException, as Workload#close() does
final class AgentThreads implements AutoCloseable {

    /** Every wait of a workload gives up after this long. */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** What an agent does with each message, on the agent's own thread. */
    @FunctionalInterface
    interface Behaviour {
        /**
         * @param message the next message from the mailbox
         * @return {@code true} to take the next message, {@code false} to stop (the thread ends)
         * @throws Exception fails the agent (its thread ends) and the operation in progress
         */
        boolean onMessage(Object message) throws Exception;
    }

    /** An agent's address: its mailbox and the thread that drains it. */
    static final class Agent {
        private final AgentThreads owner;
        private final BlockingQueue<Object> mailbox;
        private final Thread thread;

        private Agent(final AgentThreads owner, final BlockingQueue<Object> mailbox, final Thread thread) {
            this.owner = owner;
            this.mailbox = mailbox;
            this.thread = thread;
        }

        /**
         * Puts a message in the mailbox, blocking while it is full (the back-pressure of bounded
         * queues): {@code put()}, bounded by the deadline.
         *
         * @param message the message
         * @throws InterruptedException when the workload is being closed
         * @throws TimeoutException     when the mailbox stayed full for the whole deadline
         */
        void tell(final Object message) throws InterruptedException, TimeoutException {
            if (!mailbox.offer(message, DEADLINE_NANOS, TimeUnit.NANOSECONDS)) {
                throw owner.timeout("a mailbox stayed full for 60 s", owner.progress());
            }
        }

        /** Starts the agent's thread (for agents not started by {@link AgentThreads#startAll()}). */
        void start() {
            thread.start();
        }

        /**
         * @param deadline a {@link System#nanoTime()} value
         * @return whether the agent's thread has terminated by then
         * @throws InterruptedException when interrupted while waiting
         */
        boolean awaitTermination(final long deadline) throws InterruptedException {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, deadline - System.nanoTime()));
            return !thread.isAlive();
        }

        /** Interrupts the agent's thread, which ends it unless it already has. */
        void interrupt() {
            thread.interrupt();
        }
    }

    /**
     * A count owned by one agent: written only by that agent's thread, with a release store (a
     * plain store on x86, no fence), so the benchmark thread can read how far an operation got when
     * it times out.
     */
    static final class Counter {
        private final AtomicLong value = new AtomicLong();

        /** By the owning agent only. */
        void increment() {
            value.lazySet(value.getPlain() + 1);
        }

        /** By the owning agent only. */
        void reset() {
            value.lazySet(0);
        }

        long get() {
            return value.get();
        }
    }

    /**
     * The end of one operation: {@code parties} reports, each adding the units its agent counted.
     * Agents report from their own threads; the benchmark thread awaits it.
     */
    static final class Tally {
        private final int parties;
        private final AtomicInteger pending;
        private final AtomicLong units = new AtomicLong();
        private final CompletableFuture<Long> done = new CompletableFuture<>();

        private Tally(final int parties) {
            this.parties = parties;
            this.pending = new AtomicInteger(parties);
        }

        /** @param counted the units the reporting agent counted */
        void report(final long counted) {
            units.addAndGet(counted);
            // The last to decrement reads the sum: every report's add happens-before its decrement.
            // (Completing with this report's own addAndGet result lost the reports that added
            // after it but decremented before it: 160,000 of 600,000 in SavinaFjThroughput, caught
            // by the benchmark's count check.)
            if (pending.decrementAndGet() == 0) {
                done.complete(units.get());
            }
        }

        private void fail(final Throwable failure) {
            done.completeExceptionally(failure);
        }
    }

    private final String label;
    private final ThreadFactory threads;
    private final Supplier<? extends BlockingQueue<Object>> mailboxes;
    /** The threads this workload owns (long-lived agents, producers), by the benchmark thread only. */
    private final List<Thread> owned = new ArrayList<>();
    private final List<Counter> counters = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private int started;
    /** The operation in progress, failed at once when an agent fails. */
    private volatile Tally current;

    /**
     * @param label     the scenario and the system, as in "PingPong on threads"
     * @param threads   makes each agent's thread
     * @param mailboxes makes each agent's mailbox
     */
    AgentThreads(final String label, final ThreadFactory threads, final Supplier<? extends BlockingQueue<Object>> mailboxes) {
        this.label = Objects.requireNonNull(label, "label");
        this.threads = Objects.requireNonNull(threads, "threads");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
    }

    /**
     * A long-lived agent, stopped by {@link #close()}; its thread starts with {@link #startAll()}, so
     * that its behaviour can be wired to agents created after it.
     */
    Agent agent(final Behaviour behaviour) {
        final Agent agent = detached(behaviour);
        owned.add(agent.thread);
        return agent;
    }

    /** An agent that this group does not stop: its caller starts it and sees it end. */
    Agent detached(final Behaviour behaviour) {
        Objects.requireNonNull(behaviour, "behaviour");
        final BlockingQueue<Object> mailbox = Objects.requireNonNull(mailboxes.get(), "mailbox");
        final Thread thread = Objects.requireNonNull(threads.newThread(() -> loop(mailbox, behaviour)), "thread");
        return new Agent(this, mailbox, thread);
    }

    /** The body of a thread that is not an agent. */
    @FunctionalInterface
    interface Task {
        /**
         * @throws InterruptedException ends the thread quietly: {@link #close()} interrupted it
         * @throws Exception            fails the operation in progress
         */
        void run() throws Exception;
    }

    /** A platform thread (not an agent) owned by this workload, started by {@link #startAll()}. */
    void platformThread(final String name, final Task body) {
        Objects.requireNonNull(body, "body");
        final Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // close(): the thread ends
            } catch (Exception | Error e) {
                fail(e);
            }
        }, label + " " + name);
        thread.setDaemon(true);
        owned.add(thread);
    }

    /** Starts every thread created since the last call. */
    void startAll() {
        while (started < owned.size()) {
            owned.get(started++).start();
        }
    }

    /** @return a new counter, summed into the progress reported on a timeout */
    Counter counter() {
        final Counter counter = new Counter();
        counters.add(counter);
        return counter;
    }

    /**
     * @return the sum of the counters, each reset by its agent when an operation starts: how far
     *         the operation in progress got
     */
    long progress() {
        long sum = 0;
        for (final Counter counter : counters) {
            sum += counter.get();
        }
        return sum;
    }

    /**
     * Starts an operation.
     *
     * @param parties reports that complete it
     * @return the tally the agents report to
     */
    Tally tally(final int parties) {
        final Tally tally = new Tally(parties);
        current = tally;
        final Throwable failed = failure.get();
        if (failed != null) {
            tally.fail(failed);
        }
        return tally;
    }

    /**
     * @return the total of the reports, once every party reported
     * @throws TimeoutException when they did not all report within the deadline
     * @throws IllegalStateException when an agent failed
     */
    long await(final Tally tally) throws InterruptedException, TimeoutException {
        try {
            return tally.done.get(DEADLINE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout((tally.parties - tally.pending.get()) + " of " + tally.parties + " reports arrived within 60 s",
                    progress());
        } catch (ExecutionException e) {
            throw new IllegalStateException(label + ": an agent failed", e.getCause());
        }
    }

    /**
     * Arrives at the phaser and waits for its other parties, interruptibly and within the deadline.
     */
    void arriveAndAwait(final Phaser phaser, final String what) throws InterruptedException, TimeoutException {
        try {
            phaser.awaitAdvanceInterruptibly(phaser.arrive(), DEADLINE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout(what + " did not happen within 60 s", progress());
        }
    }

    /** @return a timeout naming the scenario, the system and the count reached, with any agent failure as cause */
    TimeoutException timeout(final String what, final long countSoFar) {
        final TimeoutException timeout = new TimeoutException(label + ": " + what + "; count so far " + countSoFar);
        final Throwable failed = failure.get();
        if (failed != null) {
            timeout.initCause(failed);
        }
        return timeout;
    }

    /** Records an agent's failure and fails the operation in progress. */
    void fail(final Throwable failed) {
        if (!failure.compareAndSet(null, failed) && failure.get() != failed) {
            failure.get().addSuppressed(failed);
        }
        final Tally tally = current;
        if (tally != null) {
            tally.fail(failed);
        }
    }

    private void loop(final BlockingQueue<Object> mailbox, final Behaviour behaviour) {
        try {
            while (behaviour.onMessage(mailbox.take())) {
                // one message at a time, until the behaviour stops the agent
            }
        } catch (InterruptedException e) {
            // close(): the agent stops
        } catch (Exception | Error e) {
            fail(e);
        }
    }

    /** @return the failure for a message an agent does not expect */
    static IllegalStateException unexpected(final Object message) {
        return new IllegalStateException("unexpected message " + message);
    }

    /**
     * Interrupts every thread this workload owns (an agent blocked in {@code take()} or
     * {@code put()} ends) and waits until all have ended.
     *
     * @throws TimeoutException when some are still alive after the deadline
     */
    @Override
    public void close() throws InterruptedException, TimeoutException {
        for (final Thread thread : owned) {
            thread.interrupt();
        }
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        int alive = 0;
        for (final Thread thread : owned) {
            final long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                alive++;
            }
        }
        if (alive > 0) {
            throw timeout("closing: " + alive + " of " + owned.size() + " threads still alive after 60 s", progress());
        }
    }

    /** Closes after a failed set-up, keeping the set-up's failure as the one thrown. */
    void closeAfter(final Throwable setUpFailure) {
        try {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            setUpFailure.addSuppressed(e);
        } catch (TimeoutException | RuntimeException e) {
            setUpFailure.addSuppressed(e);
        }
    }
}
