package dev.flin.bench.pekko;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * ManyToOneTell on Pekko: {@code producers} platform threads, started with the workload, each tell
 * one long-lived {@link MessageCounter} their messages (one reused
 * {@link MessageCounter.Increment}). A {@link Phaser} (the producers and the driver) releases them
 * together at the start of each operation and tells the driver when all have sent; the driver then
 * tells the counter a {@link MessageCounter.Report}, which every producer's tells happen before, and
 * waits on the future the counter completes with its count.
 *
 * <pre>
 * producer thread 1 --tell--\
 * producer thread N --tell---&gt; [mailbox] --&gt; counter (default dispatcher) --Report--&gt; driver
 * </pre>
 */
final class ManyToOneWorkload implements Workload {

    private static final String SCENARIO = "ManyToOneTell";

    private final PekkoSystem system;
    private final Params.ManyToOne params;
    private final ActorRef<MessageCounter.Command> counter;
    /** Phases alternate: release the producers, then all have sent. Parties: the producers and the driver. */
    private final Phaser phaser;
    private final List<Thread> producers;

    private ManyToOneWorkload(final PekkoSystem system, final Params.ManyToOne params) throws Exception {
        this.system = system;
        this.params = params;
        this.counter = system.spawn(MessageCounter.create(), "counter");
        this.phaser = new Phaser(params.producers() + 1);
        final List<Thread> threads = new ArrayList<>(params.producers());
        for (int i = 0; i < params.producers(); i++) {
            final Thread producer = new Thread(this::produce, "pekko-" + SCENARIO + "-producer-" + i);
            producer.setDaemon(true);
            threads.add(producer);
        }
        this.producers = List.copyOf(threads);
        for (final Thread producer : producers) {
            producer.start();
        }
    }

    /**
     * @param params the scenario's parameters
     * @return the workload, its actor system, counter and producer threads started
     */
    static Workload start(final Params.ManyToOne params) {
        return PekkoSystem.build(SCENARIO, system -> new ManyToOneWorkload(system, params));
    }

    /** A producer thread's loop, until the phaser is terminated by {@link #close()}. */
    private void produce() {
        final MessageCounter.Increment increment = MessageCounter.Increment.INSTANCE;
        final int messages = params.messagesPerProducer();
        while (phaser.arriveAndAwaitAdvance() >= 0) {
            for (int i = messages; i > 0; i--) {
                counter.tell(increment);
            }
            if (phaser.arriveAndAwaitAdvance() < 0) {
                return;
            }
        }
    }

    @Override
    public long runOnce() throws Exception {
        awaitPhase("producers not all waiting to start");
        awaitPhase("producers not all done sending");
        final CompletableFuture<Long> count = new CompletableFuture<>();
        counter.tell(new MessageCounter.Report(count));
        return PekkoSystem.await(count, SCENARIO,
                () -> PekkoSystem.progress(List.of(counter), MessageCounter.Progress::new, "messages"));
    }

    /** The driver arrives and waits, with the deadline, until every producer has. */
    private void awaitPhase(final String what) throws Exception {
        final int phase = phaser.arrive();
        try {
            phaser.awaitAdvanceInterruptibly(phase, PekkoSystem.DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            final TimeoutException timeout = new TimeoutException(SCENARIO + " on " + PekkoSystem.SYSTEM + ": "
                    + what + " after " + PekkoSystem.DEADLINE_SECONDS + " s; reached: "
                    + Math.max(0, phaser.getArrivedParties() - 1) + " of " + producers.size() + " producers");
            timeout.initCause(e);
            throw timeout;
        }
    }

    @Override
    public long expected() {
        return params.expected();
    }

    @Override
    public void close() throws Exception {
        phaser.forceTermination();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PekkoSystem.CLOSE_SECONDS);
        int alive = 0;
        for (final Thread producer : producers) {
            final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left > 0) {
                producer.join(left);
            }
            if (producer.isAlive()) {
                alive++;
            }
        }
        system.close();
        if (alive > 0) {
            throw new TimeoutException(SCENARIO + " on " + PekkoSystem.SYSTEM + ": " + alive + " of " + producers.size()
                    + " producer threads still running " + PekkoSystem.CLOSE_SECONDS + " s after close");
        }
    }
}
