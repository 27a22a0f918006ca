package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;

/**
 * Creates runtimes for a test and shuts every one of them down after it, so no thread leaks
 * between tests. Things that keep an agent blocked (latches) are registered with
 * {@link #beforeShutdown} and released first.
 */
abstract class RuntimeTestSupport {

    private static final AtomicInteger PREFIXES = new AtomicInteger();

    private final List<AgentRuntime> runtimes = new ArrayList<>();
    private final List<Runnable> releases = new ArrayList<>();

    /** The deterministic dispatcher of the last {@link #deterministic} runtime. */
    DeterministicDispatcher dispatcher;

    @AfterEach
    final void shutdownEveryRuntime() {
        releases.forEach(Runnable::run);
        for (final AgentRuntime runtime : runtimes) {
            runtime.shutdown(Duration.ofSeconds(10));
        }
    }

    /** Runs {@code release} after the test, before its runtimes are shut down. */
    final void beforeShutdown(final Runnable release) {
        releases.add(release);
    }

    /** A runtime on a deterministic dispatcher (kept in {@link #dispatcher}), default options. */
    final AgentRuntime deterministic(final long seed) {
        return deterministic(seed, RuntimeOptions.defaults());
    }

    /** A runtime on a deterministic dispatcher with the given options otherwise. */
    final AgentRuntime deterministic(final long seed, final RuntimeOptions options) {
        dispatcher = Dispatchers.deterministic(seed);
        return track(FlinRuntime.create(options.withDispatcher(dispatcher)));
    }

    /**
     * Runs the deterministic dispatcher until no task is ready, like
     * {@link DeterministicDispatcher#runUntilIdle()}, but fails instead of spinning forever when a
     * runtime bug (or a restart storm) keeps producing work.
     */
    final void runUntilIdle() {
        for (int i = 0; i < 1_000_000; i++) {
            if (!dispatcher.runNext()) {
                return;
            }
        }
        fail("the deterministic dispatcher never became idle (endless work: restart loop?)");
    }

    /** A runtime on a worker pool of {@code threads} threads, default options otherwise. */
    final AgentRuntime workerPool(final int threads) {
        return workerPool(threads, uniquePrefix("pool"), RuntimeOptions.defaults());
    }

    /** A runtime on a worker pool whose threads are named {@code prefix-worker-N} and {@code prefix-timer}. */
    final AgentRuntime workerPool(final int threads, final String prefix, final RuntimeOptions options) {
        return track(FlinRuntime.create(options.withDispatcher(
                () -> Dispatchers.workerPool(threads, Dispatchers.defaultIdleStrategy(), prefix))));
    }

    final AgentRuntime track(final AgentRuntime runtime) {
        runtimes.add(runtime);
        return runtime;
    }

    /** A thread-name prefix no other runtime of this JVM uses (ends before the "-worker" part). */
    static String uniquePrefix(final String base) {
        return "flin-test-" + base + "-" + PREFIXES.incrementAndGet();
    }

    /**
     * An agent that records every event of a topic it is subscribed to. Its mailbox is large, so
     * that the recording itself never drops an event in these tests.
     */
    static final class Recorder<E> {
        final AgentRef<E> ref;
        final ConcurrentLinkedQueue<E> events = new ConcurrentLinkedQueue<>();

        private Recorder(final AgentRuntime runtime, final Topic<E> topic) {
            ref = runtime.spawn(topic.eventType(), () -> (event, ctx) -> events.add(event),
                    SpawnOptions.defaults().withMailboxCapacity(1 << 14));
            runtime.subscribe(topic, ref);
        }

        static <E> Recorder<E> on(final AgentRuntime runtime, final Topic<E> topic) {
            return new Recorder<>(runtime, topic);
        }

        List<E> all() {
            return new ArrayList<>(events);
        }

        List<E> matching(final Predicate<? super E> filter) {
            final List<E> out = new ArrayList<>();
            for (final E event : events) {
                if (filter.test(event)) {
                    out.add(event);
                }
            }
            return out;
        }
    }

    /** A message handler, as a lambda. */
    @FunctionalInterface
    interface Handler<M> {
        void handle(M message, AgentContext<M> ctx) throws Exception;
    }

    /**
     * A factory that wraps {@code handler} in a new agent object on every call. Needed wherever an
     * agent may restart: a non-capturing lambda {@code () -> (m, ctx) -> ...} returns the very
     * same instance each time, which rule 1.3 makes a start failure.
     */
    static <M> AgentFactory<M> fresh(final Handler<M> handler) {
        return () -> new Agent<M>() {
            @Override
            public void onMessage(final M message, final AgentContext<M> ctx) throws Exception {
                handler.handle(message, ctx);
            }
        };
    }

    /**
     * An agent whose every callback counts {@code entered} down, then blocks until {@code release}
     * is counted down, ignoring interrupts: a callback that never returns (like one stuck in native
     * code), for the shutdown bounds of rule 8.7.
     */
    static <M> AgentFactory<M> stuckUntil(final CountDownLatch entered, final CountDownLatch release) {
        return () -> (m, ctx) -> {
            entered.countDown();
            while (release.getCount() > 0) {
                try {
                    release.await();
                } catch (InterruptedException ignored) {
                    // ignores interrupts: keeps blocking
                }
            }
        };
    }

    /** @return "FROM->TO" for each event, for readable assertions */
    static List<String> edges(final List<LifecycleEvent> events) {
        final List<String> out = new ArrayList<>();
        for (final LifecycleEvent event : events) {
            out.add(event.from() + "->" + event.to());
        }
        return out;
    }
}
