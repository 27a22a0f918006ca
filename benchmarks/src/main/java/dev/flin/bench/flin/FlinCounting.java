package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

/**
 * One counting agent fed by one or more threads outside the runtime: {@code OneToOneTell}
 * (the benchmark thread is the sender) and {@code ManyToOneTell} (producer threads started with the
 * workload, released together for each operation).
 *
 * <pre>
 * sender(s) --tell(Tick)--&gt; [mailbox 1024] --&gt; counter agent (on a worker, or where its placement puts it)
 * </pre>
 *
 * <p>The counter is spawned on the given {@link DispatcherSelector} (rule 1.7): {@code DEFAULT} for
 * the {@code flin-*} idle-strategy rows, {@code PINNED} for {@code flin-pinned} (a thread of its
 * own, spin-yield-park), {@code BLOCKING} for {@code flin-blocking}.
 *
 * <p>Before each batch the driver tells the counter how many ticks to expect, with the future it
 * completes when it has counted them; per-sender FIFO puts that message ahead of the batch.
 */
final class FlinCounting implements Workload {

    /** The counter's protocol. */
    sealed interface CounterMessage permits Tick, Expect {
    }

    /** One unit of work; a single instance is sent over and over. */
    record Tick() implements CounterMessage {
    }

    /** Reset and count {@code ticks}, then complete {@code done} with the count. */
    record Expect(long ticks, CompletableFuture<Long> done) implements CounterMessage {
    }

    private static final Tick TICK = new Tick();

    private final String system;
    private final String scenario;
    private final AgentRuntime runtime;
    private final AgentRef<CounterMessage> counter;
    private final int producers;
    private final int messagesPerProducer;
    private final Thread[] producerThreads;
    private final CyclicBarrier start;
    private volatile boolean closing;

    private FlinCounting(final String system, final String scenario, final IdleStrategy idle,
                         final int producers, final int messagesPerProducer, final boolean benchmarkThreadSends,
                         final DispatcherSelector placement) {
        this.system = system;
        this.scenario = scenario;
        this.runtime = FlinSupport.runtime(idle, system);
        this.counter = runtime.spawn(CounterMessage.class, Counter::new, SpawnOptions.defaults().withDispatcher(placement)
                .withMailboxCapacity(Params.STREAM_MAILBOX_CAPACITY));
        this.producers = producers;
        this.messagesPerProducer = messagesPerProducer;
        if (benchmarkThreadSends) {
            this.producerThreads = new Thread[0];
            this.start = null;
        } else {
            this.start = new CyclicBarrier(producers + 1);
            this.producerThreads = new Thread[producers];
            for (int p = 0; p < producers; p++) {
                producerThreads[p] = new Thread(this::produce, system + "-producer-" + p);
                producerThreads[p].setDaemon(true);
                producerThreads[p].start();
            }
        }
    }

    static Workload oneToOne(final String system, final IdleStrategy idle, final Params.OneToOne params) {
        return oneToOne(system, idle, params, DispatcherSelector.DEFAULT);
    }

    static Workload oneToOne(final String system, final IdleStrategy idle, final Params.OneToOne params,
                             final DispatcherSelector placement) {
        return new FlinCounting(system, "OneToOneTell", idle, 1, params.messages(), true, placement);
    }

    static Workload manyToOne(final String system, final IdleStrategy idle, final Params.ManyToOne params) {
        return manyToOne(system, idle, params, DispatcherSelector.DEFAULT);
    }

    static Workload manyToOne(final String system, final IdleStrategy idle, final Params.ManyToOne params,
                              final DispatcherSelector placement) {
        return new FlinCounting(system, "ManyToOneTell", idle, params.producers(), params.messagesPerProducer(), false,
                placement);
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        FlinSupport.tellPatiently(counter, new Expect(expected(), done));
        if (start == null) {
            sendBatch();
        } else {
            start.await(FlinSupport.DEADLINE_SECONDS, TimeUnit.SECONDS);
        }
        return FlinSupport.await(done, scenario, system);
    }

    private void produce() {
        try {
            while (true) {
                start.await();
                if (closing) {
                    return;
                }
                sendBatch();
            }
        } catch (Exception e) {
            if (!closing) {
                throw new IllegalStateException(scenario + " on " + system + ": producer failed", e);
            }
        }
    }

    private void sendBatch() {
        final AgentRef<CounterMessage> target = counter;
        for (int i = 0; i < messagesPerProducer; i++) {
            FlinSupport.tellPatiently(target, TICK);
        }
    }

    @Override
    public long expected() {
        return (long) producers * messagesPerProducer;
    }

    @Override
    public void close() throws Exception {
        closing = true;
        if (start != null) {
            start.reset();
            for (final Thread thread : producerThreads) {
                thread.join(TimeUnit.SECONDS.toMillis(FlinSupport.DEADLINE_SECONDS));
            }
        }
        FlinSupport.shutdown(runtime, system);
    }

    /** Counts ticks; owned by its agent. */
    private static final class Counter implements Agent<CounterMessage> {
        private long count;
        private long target = -1;
        private CompletableFuture<Long> done;

        @Override
        public void onMessage(final CounterMessage message, final AgentContext<CounterMessage> context) {
            if (message instanceof Tick) {
                if (++count == target) {
                    done.complete(count);
                }
            } else {
                final Expect expect = (Expect) message;
                count = 0;
                target = expect.ticks();
                done = expect.done();
            }
        }
    }
}
