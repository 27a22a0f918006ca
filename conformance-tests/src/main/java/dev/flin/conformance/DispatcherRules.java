package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.flin.runtime.Backoff;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Example;

/**
 * Checks of rule 1.7 (dispatchers chosen per agent) and of rule 1.6 for placed agents. Each needs
 * the capability of its placement ({@link Capability#PINNED_DISPATCHER},
 * {@link Capability#BLOCKING_DISPATCHER}); a runtime without it skips them with that reason.
 *
 * <p>None depends on timing: "blocks at once" is a latch every blocked handler counts down while
 * it holds its thread, and progress is awaited with the kit's deadline.
 */
public interface DispatcherRules extends KitSupport {

    /** How many agents the blocking checks hold at once: more than any shared pool of this machine. */
    static int blockers() {
        return 4 * Runtime.getRuntime().availableProcessors() + 4;
    }

    // ------------------------------------------------------------------------------------ 1.7

    @Example
    @RequiresCapability(Capability.BLOCKING_DISPATCHER)
    default void required_spec_1_7_blockingAgentsMayAllBlockAtOnceWhileOthersProgress() {
        final Kit kit = kit();
        final int blockers = blockers();
        final CountDownLatch allInside = new CountDownLatch(blockers);
        final CountDownLatch gate = new CountDownLatch(1);
        final SpawnOptions blocking = SpawnOptions.defaults().withDispatcher(DispatcherSelector.BLOCKING);
        try {
            for (int a = 0; a < blockers; a++) {
                kit.recorder(kit.runtime(), Integer.class, blocking).behave((m, ctx) -> {
                    allInside.countDown();
                    gate.await(kit.holdLimit().toMillis() * 4, TimeUnit.MILLISECONDS); // as JDBC would
                }).ref().tell(0);
            }
            kit.awaitLatch("rule 1.7: all " + blockers + " agents on BLOCKING inside their handlers at once", allInside);
            final Recorder<Integer> other = kit.recorder(Integer.class);
            for (int i = 0; i < 50; i++) {
                other.ref().tell(i);
            }
            kit.await("rule 1.7: an agent on DEFAULT progresses while " + blockers + " agents on BLOCKING block",
                    () -> other.count() == 50);
        } finally {
            gate.countDown();
        }
    }

    @Example
    @RequiresCapability(Capability.BLOCKING_DISPATCHER)
    default void required_spec_1_7_aBlockingAgentStillRunsOneMessageAtATimeInOrder() throws Exception {
        final Kit kit = kit();
        final Recorder<Integer> probe = kit.recorder(kit.runtime(), Integer.class,
                SpawnOptions.defaults().withDispatcher(DispatcherSelector.BLOCKING).withMailboxCapacity(1024))
                .behave((m, ctx) -> Thread.yield());
        final int senders = 3;
        final int each = 300;
        final List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            final int base = s * 10_000;
            futures.add(kit.fork(() -> {
                for (int i = 0; i < each; i++) {
                    kit.tellPatiently(probe.ref(), base + i);
                }
            }));
        }
        for (final java.util.concurrent.Future<?> f : futures) {
            f.get();
        }
        probe.awaitCount(senders * each);
        assertFalse(probe.overlapSeen(), "rule 1.7 (and 1.1): two callbacks of one agent on BLOCKING ran at once");
        final List<Integer> seen = probe.messages();
        for (int s = 0; s < senders; s++) {
            final int base = s * 10_000;
            final List<Integer> mine = seen.stream().filter(v -> v >= base && v < base + 10_000).toList();
            for (int i = 0; i < mine.size(); i++) {
                assertEquals(base + i, mine.get(i), "rule 1.7 (and 2.3): per-sender order on BLOCKING");
            }
        }
    }

    @Example
    @RequiresCapability(Capability.PINNED_DISPATCHER)
    default void required_spec_1_7_aPinnedAgentRunsOnAThreadOfItsOwnAcrossRestarts() {
        final Kit kit = kit();
        final Set<Thread> pinnedThreads = ConcurrentHashMap.newKeySet();
        final Set<Thread> otherThreads = ConcurrentHashMap.newKeySet();
        final AtomicInteger behaved = new AtomicInteger(); // the recorder counts a message before its behaviour runs
        final Recorder<Integer> pinned = kit.recorder(kit.runtime(), Integer.class, SpawnOptions.defaults()
                .withDispatcher(DispatcherSelector.PINNED).withRestartPolicy(RestartPolicy.always(Backoff.NONE))
                .withMailboxCapacity(512))
                .behave((m, ctx) -> {
                    pinnedThreads.add(Thread.currentThread());
                    behaved.incrementAndGet();
                    if (m == 100) {
                        throw new IllegalStateException("kit: fail on purpose, to restart (rule 1.7 keeps the thread)");
                    }
                });
        final List<Recorder<Integer>> others = new ArrayList<>();
        for (int a = 0; a < 4; a++) {
            others.add(kit.recorder(Integer.class).behave((m, ctx) -> {
                otherThreads.add(Thread.currentThread());
                behaved.incrementAndGet();
            }));
        }
        for (int i = 0; i < 200; i++) {
            kit.tellPatiently(pinned.ref(), i);
            for (final Recorder<Integer> other : others) {
                kit.tellPatiently(other.ref(), i);
            }
        }
        kit.await("all messages processed", () -> behaved.get() == 200 * (1 + others.size()));
        kit.await("the restart after message 100", () -> pinned.instances() >= 2);
        assertEquals(1, pinnedThreads.size(), "rule 1.7: a pinned agent runs every callback, before and after a restart,"
                + " on one thread; it ran on " + pinnedThreads);
        final Thread own = pinnedThreads.iterator().next();
        assertFalse(otherThreads.contains(own), "rule 1.7: another agent ran on the pinned agent's thread " + own.getName());
    }

    @Example
    @RequiresCapability(Capability.PINNED_DISPATCHER)
    default void required_spec_1_7_aPinnedAgentsThreadEndsWithIt() {
        final Kit kit = kit();
        final Set<Thread> seen = ConcurrentHashMap.newKeySet();
        final Recorder<Integer> pinned = kit.recorder(kit.runtime(), Integer.class,
                SpawnOptions.defaults().withDispatcher(DispatcherSelector.PINNED))
                .behave((m, ctx) -> seen.add(Thread.currentThread()));
        pinned.ref().tell(1);
        kit.await("the pinned agent's first message", () -> !seen.isEmpty());
        final Thread own = seen.iterator().next();
        kit.await("the agent to terminate", kit.runtime().stop(pinned.id()));
        kit.await("rule 1.7: the pinned thread " + own.getName() + " to end when its agent terminated", () -> !own.isAlive());
    }

    // ------------------------------------------------------------------------------------ 1.6

    @Example
    @RequiresCapability(Capability.PINNED_DISPATCHER)
    default void optional_spec_1_6_blockedPinnedAgentsDoNotStallOthers() {
        final Kit kit = kit();
        final int blockers = blockers();
        final CountDownLatch allInside = new CountDownLatch(blockers);
        final CountDownLatch gate = new CountDownLatch(1);
        try {
            for (int a = 0; a < blockers; a++) {
                kit.recorder(kit.runtime(), Integer.class, SpawnOptions.defaults().withDispatcher(DispatcherSelector.PINNED))
                        .behave((m, ctx) -> {
                            allInside.countDown();
                            gate.await(kit.holdLimit().toMillis() * 4, TimeUnit.MILLISECONDS);
                        }).ref().tell(0);
            }
            kit.awaitLatch("rule 1.6: all " + blockers + " pinned agents inside their handlers at once", allInside);
            final Recorder<Integer> other = kit.recorder(Integer.class);
            for (int i = 0; i < 50; i++) {
                other.ref().tell(i);
            }
            kit.await("rule 1.6: an agent on DEFAULT progresses while every pinned agent blocks", () -> other.count() == 50);
        } finally {
            gate.countDown();
        }
    }
}
