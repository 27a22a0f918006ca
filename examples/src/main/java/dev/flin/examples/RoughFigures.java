package dev.flin.examples;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * First rough figures, a timed loop and a heap measurement (not a benchmark: the JMH suite and the
 * baseline report are the real measurements). Run:
 * {@code java -Xms2g -Xmx2g -cp 'examples/target/flin-examples.jar:examples/target/lib/*' dev.flin.examples.RoughFigures}
 */
public final class RoughFigures {

    private RoughFigures() {
    }

    /**
     * @param args ignored
     * @throws Exception on failure
     */
    public static void main(final String[] args) throws Exception {
        System.out.println("JDK " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors() + " cores");
        for (int round = 1; round <= 5; round++) {
            oneToOne(round, 20_000_000);
        }
        idleAgents(1_000_000, false, 0);
        idleAgents(100_000, true, 0);
        idleAgents(100_000, true, 16);
    }

    private static void oneToOne(final int round, final int messages) throws Exception {
        final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults().withDefaultMailboxCapacity(1024)
                .withDispatcher(() -> Dispatchers.workerPool(1, Dispatchers.defaultIdleStrategy(), "rough")));
        final CountDownLatch done = new CountDownLatch(1);
        final AgentRef<Long> sink = runtime.spawn(Long.class, () -> new dev.flin.runtime.Agent<>() {
            private long seen;

            @Override
            public void onMessage(final Long message, final dev.flin.runtime.AgentContext<Long> ctx) {
                if (++seen == messages) {
                    done.countDown();
                }
            }
        });
        final Long boxed = 1L;
        long full = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            while (true) {
                try {
                    sink.tell(boxed);
                    break;
                } catch (MailboxFullException e) {
                    full++;
                    Thread.onSpinWait();
                }
            }
        }
        if (!done.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all messages processed");
        }
        final long nanos = System.nanoTime() - start;
        System.out.printf("one-to-one tell, round %d: %,d msgs in %.2f s = %,.0f msgs/s (%,d sends met a full mailbox)%n",
                round, messages, nanos / 1e9, messages * 1e9 / nanos, full);
        runtime.shutdown(Duration.ofSeconds(5));
    }

    private static void idleAgents(final int count, final boolean touched, final int capacity) throws Exception {
        final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults()
                .withDispatcher(() -> Dispatchers.workerPool(1, IdleStrategy.parking(), "idle")));
        final long before = usedHeap();
        final List<AgentRef<Integer>> refs = new ArrayList<>(count);
        final SpawnOptions options = capacity == 0 ? SpawnOptions.defaults() : SpawnOptions.defaults().withMailboxCapacity(capacity);
        final CountDownLatch started = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            final AgentRef<Integer> ref = runtime.spawn(Integer.class, () -> new dev.flin.runtime.Agent<>() {
                @Override
                public void onStart(final dev.flin.runtime.AgentContext<Integer> ctx) {
                    started.countDown();
                }

                @Override
                public void onMessage(final Integer message, final dev.flin.runtime.AgentContext<Integer> ctx) {
                }
            }, options);
            if (touched) {
                ref.tell(1);
            }
            refs.add(ref);
        }
        started.await(60, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (runtime.counters().queued() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        final long after;
        try {
            after = usedHeap();
        } finally {
            java.lang.ref.Reference.reachabilityFence(refs); // the refs (and so the agents' cells) count until here
        }
        final long refList = 4L * count + 16;
        System.out.printf("%,d idle agents (%s): %,d bytes each (heap delta %,d B, list of refs excluded)%n", count,
                touched ? "one message each, capacity " + (capacity == 0 ? RuntimeOptions.DEFAULT_MAILBOX_CAPACITY : capacity)
                        : "never messaged, no ring allocated",
                (after - before - refList) / count, after - before);
        runtime.shutdown(Duration.ofSeconds(60));
    }

    private static long usedHeap() throws InterruptedException {
        final Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(100); // let the collector settle; a measurement program, not a test
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
