package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
    record Ping(int n, Reply<Integer> replyTo) {}

    @Test
    void spawnTellAskStop() throws Exception {
        AgentRuntime rt = FlinRuntime.create();
        CountDownLatch latch = new CountDownLatch(100_000);
        AgentRef<Integer> counter = rt.spawn(Integer.class, () -> (m, ctx) -> latch.countDown());
        for (int i = 0; i < 100_000; i++) {
            while (true) {
                try { counter.tell(i); break; } catch (dev.flin.runtime.MailboxFullException e) { Thread.onSpinWait(); }
            }
        }
        assertTrue(latch.await(10, TimeUnit.SECONDS));
        AgentRef<Ping> echo = rt.spawn(Ping.class, () -> (m, ctx) -> m.replyTo().reply(m.n() * 2));
        int r = echo.<Integer>ask(reply -> new Ping(21, reply), Duration.ofSeconds(5)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertEquals(42, r);
        assertTrue(rt.shutdown(Duration.ofSeconds(5)));
        var c = rt.counters();
        assertEquals(c.spawned(), c.terminated());
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued());
    }

    @Test
    void deterministic() {
        DeterministicDispatcher d = Dispatchers.deterministic(42);
        AgentRuntime rt = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(d));
        int[] sum = {0};
        AgentRef<Integer> a = rt.spawn(Integer.class, () -> (m, ctx) -> sum[0] += m);
        for (int i = 1; i <= 10; i++) a.tell(i);
        d.runUntilIdle();
        assertEquals(55, sum[0]);
        assertTrue(rt.shutdown(Duration.ofSeconds(1)));
    }
}
