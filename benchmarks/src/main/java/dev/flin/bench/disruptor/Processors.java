package dev.flin.bench.disruptor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.flin.bench.Params;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The rings, event processors and threads of one Disruptor workload: rings of
 * {@value #RING_SIZE} preallocated {@link Slot}s with a {@link YieldingWaitStrategy}, each consumed
 * by one {@link BatchEventProcessor} on its own platform thread; the deadline-bounded waits; and the
 * first failure of a handler, which fails the operation in progress at once (the processor goes on
 * with the next event, so that a producer never waits forever for room).
 *
 * <p>Threading: created, started, awaited and closed by the benchmark thread; each handler runs on
 * its processor's thread.
 */
@SuppressWarnings("try") // close() may throw InterruptedException, as Workload#close() does
final class Processors implements AutoCloseable {

    /** Every wait of a workload gives up after this long. */
    static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Slots per ring. */
    static final int RING_SIZE = Params.STREAM_MAILBOX_CAPACITY;

    /** What a slot holds. */
    enum Kind { TICK, REPORT, START, PING, PONG }

    /**
     * A ring slot: preallocated and mutable, written in place by the producer between
     * {@code next()} and {@code publish()}, read by the consumer's handler; nothing is allocated per
     * message.
     */
    static final class Slot {
        Kind kind;
        /** For {@link Kind#REPORT} and {@link Kind#START}: where the count goes; otherwise null. */
        CompletableFuture<Long> reply;
    }

    /** The body of a producer thread. */
    @FunctionalInterface
    interface Task {
        /**
         * @throws InterruptedException ends the thread quietly: {@link #close()} interrupted it
         * @throws Exception            fails the operation in progress
         */
        void run() throws Exception;
    }

    /** @return a ring for one publishing thread at a time */
    static RingBuffer<Slot> singleProducerRing() {
        return RingBuffer.createSingleProducer(Slot::new, RING_SIZE, new YieldingWaitStrategy());
    }

    /** @return a ring for concurrent publishers */
    static RingBuffer<Slot> multiProducerRing() {
        return RingBuffer.createMultiProducer(Slot::new, RING_SIZE, new YieldingWaitStrategy());
    }

    /** Claims the next slot (waiting while the ring is full), fills it in place and publishes it. */
    static void publish(final RingBuffer<Slot> ring, final Kind kind, final CompletableFuture<Long> reply) {
        final long sequence = ring.next();
        try {
            final Slot slot = ring.get(sequence);
            slot.kind = kind;
            slot.reply = reply;
        } finally {
            ring.publish(sequence);
        }
    }

    private final String label;
    private final List<BatchEventProcessor<Slot>> processors = new ArrayList<>();
    private final List<Thread> processorThreads = new ArrayList<>();
    private final List<Thread> producerThreads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ExceptionHandler<Slot> failures = new ExceptionHandler<>() {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final Slot event) {
            fail(ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex) {
            fail(ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex) {
            fail(ex);
        }
    };
    /** The operation in progress, failed at once when a handler fails. */
    private volatile CompletableFuture<Long> current;

    /** @param label the scenario and the system, as in "PingPong on disruptor" */
    Processors(final String label) {
        this.label = Objects.requireNonNull(label, "label");
    }

    /**
     * A processor of {@code ring} with {@code handler}, gating the ring's producers; its thread
     * starts with {@link #startAll()}.
     */
    BatchEventProcessor<Slot> processor(final String name, final RingBuffer<Slot> ring, final EventHandler<Slot> handler) {
        final BatchEventProcessor<Slot> processor = new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
        processor.setExceptionHandler(failures);
        ring.addGatingSequences(processor.getSequence());
        final Thread thread = new Thread(processor, label + " " + name);
        thread.setDaemon(true);
        processors.add(processor);
        processorThreads.add(thread);
        return processor;
    }

    /** A producer platform thread owned by this workload, started by {@link #startAll()}. */
    void producerThread(final String name, final Task body) {
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
        producerThreads.add(thread);
    }

    /** Starts every processor and producer thread. */
    void startAll() {
        processorThreads.forEach(Thread::start);
        producerThreads.forEach(Thread::start);
    }

    /** @return the future the operation about to start completes with its count */
    CompletableFuture<Long> reply() {
        final CompletableFuture<Long> reply = new CompletableFuture<>();
        current = reply;
        final Throwable failed = failure.get();
        if (failed != null) {
            reply.completeExceptionally(failed);
        }
        return reply;
    }

    /**
     * @param processor whose progress a timeout reports
     * @param base      its sequence at the start of the operation
     * @return the count, once the operation completed
     * @throws TimeoutException when it did not within the deadline
     */
    long await(final CompletableFuture<Long> reply, final BatchEventProcessor<Slot> processor, final long base)
            throws InterruptedException, TimeoutException {
        try {
            return reply.get(DEADLINE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout("no report within 60 s", processor, base);
        } catch (ExecutionException e) {
            throw new IllegalStateException(label + ": a handler failed", e.getCause());
        }
    }

    /** Arrives at the phaser and waits for its other parties, interruptibly and within the deadline. */
    void arriveAndAwait(final Phaser phaser, final String what, final BatchEventProcessor<Slot> processor, final long base)
            throws InterruptedException, TimeoutException {
        try {
            phaser.awaitAdvanceInterruptibly(phaser.arrive(), DEADLINE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timeout(what + " did not happen within 60 s", processor, base);
        }
    }

    private TimeoutException timeout(final String what, final BatchEventProcessor<Slot> processor, final long base) {
        final TimeoutException timeout = new TimeoutException(label + ": " + what + "; count so far "
                + (processor.getSequence().get() - base) + " events handled");
        final Throwable failed = failure.get();
        if (failed != null) {
            timeout.initCause(failed);
        }
        return timeout;
    }

    private void fail(final Throwable failed) {
        if (!failure.compareAndSet(null, failed) && failure.get() != failed) {
            failure.get().addSuppressed(failed);
        }
        final CompletableFuture<Long> reply = current;
        if (reply != null) {
            reply.completeExceptionally(failed);
        }
    }

    /**
     * Interrupts the producer threads and waits for them, then halts the processors and waits for
     * their threads.
     *
     * @throws TimeoutException when some thread is still alive after the deadline
     */
    @Override
    public void close() throws InterruptedException, TimeoutException {
        final long deadline = System.nanoTime() + DEADLINE_NANOS;
        producerThreads.forEach(Thread::interrupt);
        int alive = join(producerThreads, deadline);
        processors.forEach(BatchEventProcessor::halt);
        alive += join(processorThreads, deadline);
        if (alive > 0) {
            throw new TimeoutException(label + ": closing: " + alive + " threads still alive after 60 s");
        }
    }

    private static int join(final List<Thread> threads, final long deadline) throws InterruptedException {
        int alive = 0;
        for (final Thread thread : threads) {
            final long left = deadline - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(thread, left);
            }
            if (thread.isAlive()) {
                alive++;
            }
        }
        return alive;
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
