package dev.flin.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Handler timers and named agents' depth gauges, read after real traffic on a real runtime. */
class FlinAgentMetricsTest {

    private final FlinAgentMetrics metrics = new FlinAgentMetrics();
    private final AgentRuntime runtime = FlinRuntime.create(metrics.instrument(RuntimeOptions.defaults()));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    FlinAgentMetricsTest() {
        metrics.attach(runtime);
    }

    @AfterEach
    void shutdown() {
        runtime.shutdown(Duration.ofSeconds(10));
    }

    private Timer timer(final String agent) {
        return registry.find("flin.handler.duration").tag("agent", agent).timer();
    }

    private Gauge depth(final String agent) {
        return registry.find("flin.mailbox.depth").tag("agent", agent).gauge();
    }

    @Test
    void shouldTimeNamedAgentsEachAndAnonymousOnesTogether() throws Exception {
        metrics.bindTo(registry);
        final CountDownLatch done = new CountDownLatch(30);
        final AgentRef<Integer> named = runtime.spawn(Integer.class, () -> (m, ctx) -> done.countDown(),
                SpawnOptions.defaults().withName("orders"));
        final AgentRef<Integer> first = runtime.spawn(Integer.class, () -> (m, ctx) -> done.countDown());
        final AgentRef<Integer> second = runtime.spawn(Integer.class, () -> (m, ctx) -> done.countDown());
        for (int i = 0; i < 10; i++) {
            named.tell(i);
            first.tell(i);
            second.tell(i);
        }
        assertTrue(done.await(10, TimeUnit.SECONDS));
        // the timer is told right after each handler returns: the last call may still be on its way
        Poll.until(() -> "timed calls", () -> timer("orders").count() == 10 && timer(FlinAgentMetrics.ANONYMOUS).count() == 20);
        assertTrue(timer("orders").totalTime(TimeUnit.NANOSECONDS) > 0);
        assertEquals(2, registry.find("flin.handler.duration").timers().size(), "one per named agent, one for the rest");
    }

    @Test
    void shouldGaugeANamedAgentsMailboxAndRemoveItsMetersWhenItTerminates() throws Exception {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AgentRef<Integer> named = runtime.spawn(Integer.class, () -> (m, ctx) -> {
            entered.countDown();
            release.await();
        }, SpawnOptions.defaults().withName("slow"));
        metrics.bindTo(registry); // after the spawn: its meters are made now
        try {
            named.tell(0);
            assertTrue(entered.await(10, TimeUnit.SECONDS));
            named.tell(1);
            named.tell(2);
            named.tell(3);
            assertEquals(3, depth("slow").value(), "three messages wait behind the blocked handler");
        } finally {
            release.countDown();
        }
        Poll.until(() -> "depth " + depth("slow").value(), () -> depth("slow").value() == 0);
        Poll.until(() -> "timed calls", () -> timer("slow").count() == 4);
        runtime.stop(named.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertNull(depth("slow"), "a terminated agent's gauge is gone");
        assertNull(timer("slow"), "and its timer");
        // the name is free again: a new agent with it gets fresh meters
        final AgentRef<Integer> again = runtime.spawn(Integer.class, () -> (m, ctx) -> { },
                SpawnOptions.defaults().withName("slow"));
        assertEquals(0, depth("slow").value());
        again.tell(1);
        Poll.until(() -> "timed calls", () -> timer("slow") != null && timer("slow").count() == 1);
    }

    @Test
    void shouldKeepNoMetersForAnAgentReportedGoneBeforeItWasReportedSpawned() {
        metrics.bindTo(registry);
        final AgentId id = new AgentId(1_000);
        metrics.unregistered("raced", id); // the order NamedAgentListener allows when a stop races a spawn
        metrics.registered("raced", id);
        assertNull(depth("raced"));
        assertNull(timer("raced"));
        metrics.registered("raced", new AgentId(1_001)); // a later agent with the name
        assertEquals(Double.NaN, depth("raced").value(), "not an agent of the runtime: no depth");
    }
}
