package dev.flin.bench.disruptor;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import dev.flin.bench.disruptor.Processors.Kind;
import dev.flin.bench.disruptor.Processors.Slot;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.function.Function;

/**
 * The scenarios on the raw LMAX Disruptor, with no agent layer: the practical upper limit of a
 * design whose mailboxes are Disruptor rings. Only the topologies a ring expresses directly:
 * oneToOne, pingPong, manyToOne and count; the others keep the default, which throws.
 *
 * <p>Every ring has {@value Processors#RING_SIZE} preallocated, mutable slots and a
 * {@code YieldingWaitStrategy}; a producer claims a slot with {@code next()}, writes it in place and
 * {@code publish()}es it, so no message is allocated (the allocation-free path). Each ring is
 * consumed by one {@code BatchEventProcessor} running an {@link EventHandler} on its own platform
 * thread; {@link Workload#close()} halts the processors and joins their threads.
 *
 * <p>Differences from the agent systems, because a ring is not an agent: in count, the producer is
 * the benchmark thread itself (so count is oneToOne with a million increments and a "get total"
 * event); in pingPong the driver's start event goes into the pinger's ring.
 */
@SuppressWarnings("try") // close() may throw InterruptedException, as Workload#close() does
public final class DisruptorWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return "disruptor";
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        Objects.requireNonNull(params, "params");
        return create("OneToOneTell", processors -> new SingleProducer(processors, params.messages()));
    }

    @Override
    public Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(latency, "latency");
        return create("PingPong", processors -> new PingPong(processors, params.roundTrips(), latency));
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        Objects.requireNonNull(params, "params");
        return create("ManyToOneTell", processors -> new ManyToOne(processors, params));
    }

    @Override
    public Workload count(final Params.Count params) {
        Objects.requireNonNull(params, "params");
        return create("SavinaCount", processors -> new SingleProducer(processors, params.increments()));
    }

    /** Sets up a workload, then starts its threads; on failure stops what was started. */
    private Workload create(final String scenario, final Function<Processors, Workload> setUp) {
        final Processors processors = new Processors(scenario + " on " + system());
        try {
            final Workload workload = setUp.apply(processors);
            processors.startAll();
            return workload;
        } catch (RuntimeException | Error e) {
            processors.closeAfter(e);
            throw e;
        }
    }

    /**
     * Counts {@link Kind#TICK}s; on a {@link Kind#REPORT} completes its future with the count and
     * starts again from zero. Runs on its processor's thread.
     */
    private static final class Counting implements EventHandler<Slot> {
        private long count;

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) {
            if (slot.kind == Kind.TICK) {
                count++;
            } else if (slot.kind == Kind.REPORT) {
                final CompletableFuture<Long> reply = slot.reply;
                slot.reply = null;
                final long total = count;
                count = 0;
                reply.complete(total);
            } else {
                throw new IllegalStateException("unexpected " + slot.kind);
            }
        }
    }

    /**
     * oneToOne and count: the benchmark thread publishes ticks, then a report, into a
     * single-producer ring; one processor (its own thread) counts them and completes the report's
     * future.
     */
    private static final class SingleProducer implements Workload {
        private final Processors processors;
        private final int messages;
        private final RingBuffer<Slot> ring = Processors.singleProducerRing();
        private final BatchEventProcessor<Slot> counter;

        SingleProducer(final Processors processors, final int messages) {
            this.processors = processors;
            this.messages = messages;
            this.counter = processors.processor("counter", ring, new Counting());
        }

        @Override
        public long runOnce() throws Exception {
            final CompletableFuture<Long> reply = processors.reply();
            final long base = counter.getSequence().get();
            for (int i = 0; i < messages; i++) {
                Processors.publish(ring, Kind.TICK, null);
            }
            Processors.publish(ring, Kind.REPORT, reply);
            return processors.await(reply, counter, base);
        }

        @Override
        public long expected() {
            return messages;
        }

        @Override
        public void close() throws Exception {
            processors.close();
        }
    }

    /**
     * The pinger, on its processor's thread: on {@link Kind#START} pings; on each {@link Kind#PONG}
     * records the round trip and pings again, until {@code roundTrips}, then completes the start's
     * future.
     */
    private static final class Pinger implements EventHandler<Slot> {
        private final int roundTrips;
        private final LatencyRecorder latency;
        private final RingBuffer<Slot> pings;
        private CompletableFuture<Long> reply;
        private long trips;
        private long sentAt;

        Pinger(final int roundTrips, final LatencyRecorder latency, final RingBuffer<Slot> pings) {
            this.roundTrips = roundTrips;
            this.latency = latency;
            this.pings = pings;
        }

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) {
            if (slot.kind == Kind.PONG) {
                latency.record(System.nanoTime() - sentAt);
                trips++;
                if (trips == roundTrips) {
                    final CompletableFuture<Long> done = reply;
                    reply = null;
                    done.complete(trips);
                } else {
                    ping();
                }
            } else if (slot.kind == Kind.START) {
                reply = slot.reply;
                slot.reply = null;
                trips = 0;
                ping();
            } else {
                throw new IllegalStateException("unexpected " + slot.kind);
            }
        }

        private void ping() {
            sentAt = System.nanoTime();
            Processors.publish(pings, Kind.PING, null);
        }
    }

    /** The ponger, on its processor's thread: answers each ping with a pong. */
    private static final class Ponger implements EventHandler<Slot> {
        private final RingBuffer<Slot> pongs;

        Ponger(final RingBuffer<Slot> pongs) {
            this.pongs = pongs;
        }

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch) {
            if (slot.kind != Kind.PING) {
                throw new IllegalStateException("unexpected " + slot.kind);
            }
            Processors.publish(pongs, Kind.PONG, null);
        }
    }

    /**
     * pingPong: two rings and two processors, each on its own thread. The pinger consumes the pong
     * ring and publishes into the ping ring (single producer); the ponger the other way round.
     *
     * <p>The benchmark thread starts an operation by publishing a start event into the pong ring, so
     * that ring has two publishing threads and is a multi-producer ring. (Their publishes never
     * overlap, but the single-producer sequencer asserts one publishing thread, and it is right to:
     * its contract is the thread, not the happens-before order.)
     */
    private static final class PingPong implements Workload {
        private final Processors processors;
        private final int roundTrips;
        private final RingBuffer<Slot> pings = Processors.singleProducerRing();
        private final RingBuffer<Slot> pongs = Processors.multiProducerRing();
        private final BatchEventProcessor<Slot> pinger;

        PingPong(final Processors processors, final int roundTrips, final LatencyRecorder latency) {
            this.processors = processors;
            this.roundTrips = roundTrips;
            this.pinger = processors.processor("pinger", pongs, new Pinger(roundTrips, latency, pings));
            processors.processor("ponger", pings, new Ponger(pongs));
        }

        @Override
        public long runOnce() throws Exception {
            final CompletableFuture<Long> reply = processors.reply();
            final long base = pinger.getSequence().get();
            Processors.publish(pongs, Kind.START, reply);
            return processors.await(reply, pinger, base);
        }

        @Override
        public long expected() {
            return roundTrips;
        }

        @Override
        public void close() throws Exception {
            processors.close();
        }
    }

    /**
     * manyToOne: {@code producers} platform threads, released together by a {@link Phaser}, publish
     * ticks into one multi-producer ring; one processor (its own thread) counts them; once every
     * producer is done (the phaser again) the benchmark thread publishes the report.
     */
    private static final class ManyToOne implements Workload {
        private final Processors processors;
        private final long expected;
        private final RingBuffer<Slot> ring = Processors.multiProducerRing();
        private final BatchEventProcessor<Slot> counter;
        /** Parties: the producers and the benchmark thread; two phases per operation, start and end. */
        private final Phaser phaser;

        ManyToOne(final Processors processors, final Params.ManyToOne params) {
            this.processors = processors;
            this.expected = params.expected();
            this.counter = processors.processor("counter", ring, new Counting());
            this.phaser = new Phaser(params.producers() + 1);
            final int messages = params.messagesPerProducer();
            for (int p = 0; p < params.producers(); p++) {
                processors.producerThread("producer " + p, () -> produce(messages));
            }
        }

        /** On a producer thread, until closed. */
        private void produce(final int messages) throws InterruptedException {
            while (true) {
                phaser.awaitAdvanceInterruptibly(phaser.arrive()); // the start of an operation
                for (int i = 0; i < messages; i++) {
                    Processors.publish(ring, Kind.TICK, null);
                }
                phaser.awaitAdvanceInterruptibly(phaser.arrive()); // every producer is done
            }
        }

        @Override
        public long runOnce() throws Exception {
            final CompletableFuture<Long> reply = processors.reply();
            final long base = counter.getSequence().get();
            processors.arriveAndAwait(phaser, "the start of every producer", counter, base);
            processors.arriveAndAwait(phaser, "the end of every producer's publishes", counter, base);
            Processors.publish(ring, Kind.REPORT, reply);
            return processors.await(reply, counter, base);
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            processors.close();
        }
    }
}
