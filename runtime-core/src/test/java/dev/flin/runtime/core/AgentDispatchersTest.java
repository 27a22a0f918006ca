package dev.flin.runtime.core;

import static dev.flin.runtime.core.Await.awaitTrue;
import static dev.flin.runtime.core.Await.liveThreadsNamed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Rule 1.7: agents placed on PINNED run on a thread of their own, kept across restarts and ended
 * with the agent; agents placed on BLOCKING may block without stopping the others; a confining
 * dispatcher runs every agent itself.
 */
class AgentDispatchersTest {

    private static final SpawnOptions PINNED = SpawnOptions.defaults().withDispatcher(DispatcherSelector.PINNED);
    private static final SpawnOptions BLOCKING = SpawnOptions.defaults().withDispatcher(DispatcherSelector.BLOCKING);

    private static AgentRuntime twoWorkers(final String prefix) {
        return FlinRuntime.create(RuntimeOptions.defaults()
                .withDispatcher(() -> Dispatchers.workerPool(2, Dispatchers.defaultIdleStrategy(), prefix)));
    }

    @Test
    void spec_1_7_pinnedAgentRunsOnANamedThreadOfItsOwnKeptAcrossRestarts() {
        final String prefix = RuntimeTestSupport.uniquePrefix("pin");
        final AgentRuntime rt = twoWorkers(prefix);
        try {
            final Set<Thread> pinnedThreads = ConcurrentHashMap.newKeySet();
            final Set<Thread> otherThreads = ConcurrentHashMap.newKeySet();
            final AtomicInteger seen = new AtomicInteger();
            final AgentRef<Integer> pinned = rt.spawn(Integer.class, RuntimeTestSupport.fresh((m, ctx) -> {
                pinnedThreads.add(Thread.currentThread());
                seen.incrementAndGet();
                if (m < 0) {
                    throw new IllegalStateException("fail on purpose: restart");
                }
            }), PINNED.withName(prefix + "-hot").withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
            final AtomicInteger othersSeen = new AtomicInteger();
            final List<AgentRef<Integer>> others = new ArrayList<>();
            for (int a = 0; a < 4; a++) {
                others.add(rt.spawn(Integer.class, () -> (m, ctx) -> {
                    otherThreads.add(Thread.currentThread());
                    othersSeen.incrementAndGet();
                }));
            }
            for (int i = 0; i < 200; i++) {
                Await.tellRetrying(pinned, i == 100 ? -1 : i);
                for (final AgentRef<Integer> other : others) {
                    Await.tellRetrying(other, i);
                }
            }
            awaitTrue(() -> seen.get() == 200 && othersSeen.get() == 800);
            assertEquals(1, pinnedThreads.size(), "every callback of a pinned agent, before and after its restart,"
                    + " on one thread: " + pinnedThreads);
            final Thread own = pinnedThreads.iterator().next();
            assertEquals("flin-pinned-" + prefix + "-hot", own.getName());
            assertFalse(otherThreads.contains(own), "no other agent runs on a pinned agent's thread");

            rt.stop(pinned.id());
            awaitTrue("the pinned thread ends with its agent", () -> !own.isAlive());
        } finally {
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void spec_1_7_blockingAgentsMayAllBlockAtOnceWhileOthersProgress() {
        final String prefix = RuntimeTestSupport.uniquePrefix("blk");
        final AgentRuntime rt = twoWorkers(prefix);
        final int blockers = 4 * Runtime.getRuntime().availableProcessors() + 4; // more than any worker pool here
        final CountDownLatch allBlocked = new CountDownLatch(blockers);
        final CountDownLatch gate = new CountDownLatch(1);
        try {
            final Set<Thread> blockingThreads = ConcurrentHashMap.newKeySet();
            for (int a = 0; a < blockers; a++) {
                final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> {
                    blockingThreads.add(Thread.currentThread());
                    allBlocked.countDown();
                    gate.await(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS); // blocks, as JDBC would
                }, BLOCKING);
                ref.tell(0);
            }
            Await.await(allBlocked); // every blocking agent is inside its handler at once
            final AtomicInteger progressed = new AtomicInteger();
            final AgentRef<Integer> other = rt.spawn(Integer.class, () -> (m, ctx) -> progressed.incrementAndGet());
            for (int i = 0; i < 50; i++) {
                other.tell(i);
            }
            awaitTrue("a default agent progresses while every blocking agent blocks", () -> progressed.get() == 50);
            for (final Thread t : blockingThreads) {
                assertFalse(t.getName().startsWith(prefix), "a blocking agent ran on the worker pool: " + t.getName());
            }
        } finally {
            gate.countDown();
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void spec_1_1_aBlockingAgentStillRunsOneMessageAtATimeInOrder() throws Exception {
        final AgentRuntime rt = twoWorkers(RuntimeTestSupport.uniquePrefix("one"));
        try {
            final AtomicInteger inside = new AtomicInteger();
            final AtomicInteger overlaps = new AtomicInteger();
            final List<Integer> seen = new ArrayList<>(); // plain: rule 1.2 makes it safe
            final AtomicInteger count = new AtomicInteger();
            final AgentRef<Integer> ref = rt.spawn(Integer.class, () -> (m, ctx) -> {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
                Thread.yield();
                seen.add(m);
                inside.decrementAndGet();
                count.incrementAndGet();
            }, BLOCKING.withMailboxCapacity(1024));
            final List<Thread> senders = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                final int base = s * 1000;
                senders.add(new Thread(() -> {
                    for (int i = 0; i < 300; i++) {
                        Await.tellRetrying(ref, base + i);
                    }
                }));
            }
            senders.forEach(Thread::start);
            senders.forEach(Await::join);
            awaitTrue(() -> count.get() == 900);
            assertEquals(0, overlaps.get(), "two callbacks of one blocking agent ran at once");
            final List<Integer> copy = List.copyOf(seen); // after count == 900, incremented after the last add
            for (int s = 0; s < 3; s++) {
                final int base = s * 1000;
                final List<Integer> mine = copy.stream().filter(v -> v >= base && v < base + 1000).toList();
                assertEquals(300, mine.size());
                for (int i = 0; i < mine.size(); i++) {
                    assertEquals(base + i, mine.get(i), "per-sender order (rule 2.3) on a blocking agent");
                }
            }
        } finally {
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }

    @Test
    void spec_8_7_shutdownEndsPinnedAndBlockingThreads() {
        final String prefix = RuntimeTestSupport.uniquePrefix("end");
        final AgentRuntime rt = twoWorkers(prefix);
        final CountDownLatch ran = new CountDownLatch(3);
        final List<AgentRef<Integer>> refs = new ArrayList<>();
        refs.add(rt.spawn(Integer.class, () -> (m, ctx) -> ran.countDown(), PINNED.withName(prefix + "-a")));
        refs.add(rt.spawn(Integer.class, () -> (m, ctx) -> ran.countDown(), PINNED.withName(prefix + "-b")));
        refs.add(rt.spawn(Integer.class, () -> (m, ctx) -> ran.countDown(), BLOCKING));
        refs.forEach(r -> r.tell(1));
        Await.await(ran);
        assertEquals(2, liveThreadsNamed("flin-pinned-" + prefix).size());
        assertTrue(rt.shutdown(Duration.ofSeconds(10)), "graceful");
        assertEquals(List.of(), liveThreadsNamed("flin-pinned-" + prefix), "pinned threads alive after shutdown");
        if (!dev.flin.runtime.core.internal.AgentDispatchers.virtualThreadsUnpinned()) {
            assertEquals(List.of(), liveThreadsNamed("flin-blocking-"), "blocking pool threads alive after shutdown");
        }
    }

    @Test
    void spec_8_7_shutdownIsBoundedWhenAPinnedCallbackNeverReturns() {
        final String prefix = RuntimeTestSupport.uniquePrefix("stuck");
        final AgentRuntime rt = twoWorkers(prefix);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final AgentRef<Integer> stuck = rt.spawn(Integer.class, RuntimeTestSupport.stuckUntil(entered, never),
                PINNED.withName(prefix + "-stuck"));
        stuck.tell(1);
        Await.await(entered);
        final long start = System.nanoTime();
        try {
            assertFalse(rt.shutdown(Duration.ofMillis(200)), "a callback never returned: not graceful");
            final Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertTrue(took.compareTo(Duration.ofMillis(200).plus(FlinRuntime.SHUTDOWN_GRACE).plusSeconds(2)) < 0,
                    "shutdown bounded by timeout + grace, took " + took);
            assertEquals(List.of(), liveThreadsNamed(prefix + "-"),
                    "the worker and timer threads exited although the pinned callback never returned");
        } finally {
            never.countDown();
        }
        awaitTrue("the abandoned pinned thread ends once its callback returns",
                () -> liveThreadsNamed("flin-pinned-" + prefix).isEmpty());
    }

    /**
     * Rule 8.7 with a worker stuck in a callback: the pinned threads are told to end before the
     * runtime waits out its grace for that worker, so they have exited when shutdown returns.
     */
    @Test
    void spec_8_7_pinnedThreadsHaveExitedWhenShutdownReturnsDespiteAStuckWorker() {
        final String prefix = RuntimeTestSupport.uniquePrefix("stuckw");
        final AgentRuntime rt = twoWorkers(prefix);
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch never = new CountDownLatch(1);
        final AgentRef<Integer> stuck = rt.spawn(Integer.class, RuntimeTestSupport.stuckUntil(entered, never));
        final CountDownLatch pinnedRan = new CountDownLatch(1);
        rt.spawn(Integer.class, () -> (m, ctx) -> pinnedRan.countDown(), PINNED.withName(prefix + "-p")).tell(1);
        Await.await(pinnedRan);
        stuck.tell(1);
        Await.await(entered);
        try {
            assertFalse(rt.shutdown(Duration.ofMillis(100)), "a callback never returned: not graceful");
            assertEquals(List.of(), liveThreadsNamed("flin-pinned-" + prefix),
                    "the pinned thread exited although a worker never did");
        } finally {
            never.countDown();
        }
    }

    @Test
    void spec_8_8_aConfiningDispatcherRunsPinnedAndBlockingAgentsItself() {
        final DeterministicDispatcher deterministic = Dispatchers.deterministic(7);
        assertTrue(deterministic.confinesAgents());
        final AgentRuntime rt = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(deterministic));
        try {
            final List<Thread> threads = new ArrayList<>();
            rt.spawn(Integer.class, () -> (m, ctx) -> threads.add(Thread.currentThread()), PINNED).tell(1);
            rt.spawn(Integer.class, () -> (m, ctx) -> threads.add(Thread.currentThread()), BLOCKING).tell(2);
            deterministic.runUntilIdle();
            assertEquals(List.of(Thread.currentThread(), Thread.currentThread()), threads,
                    "both ran on the thread driving the deterministic dispatcher");
        } finally {
            assertTrue(rt.shutdown(Duration.ofSeconds(1)));
        }
    }

    @Test
    void aPinnedThreadIsNotLeftBehindByARefusedSpawn() {
        final String prefix = RuntimeTestSupport.uniquePrefix("dup");
        final AgentRuntime rt = twoWorkers(prefix);
        try {
            rt.spawn(Integer.class, () -> (m, ctx) -> { }, PINNED.withName(prefix + "-x"));
            assertThrows(DuplicateAgentNameException.class,
                    () -> rt.spawn(Integer.class, () -> (m, ctx) -> { }, PINNED.withName(prefix + "-x")));
            awaitTrue("only the first agent's pinned thread remains",
                    () -> liveThreadsNamed("flin-pinned-" + prefix + "-x").size() == 1);
        } finally {
            assertTrue(rt.shutdown(Duration.ofSeconds(10)));
        }
    }
}
