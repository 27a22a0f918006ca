package dev.flin.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime's counters as meters, read after real traffic on a real runtime. */
class FlinRuntimeMetricsTest {

    private final AgentRuntime runtime = FlinRuntime.create(RuntimeOptions.defaults());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void shutdown() {
        runtime.shutdown(Duration.ofSeconds(10));
    }

    private double counter(final String name) {
        return registry.get(name).tags("service", "test").functionCounter().count();
    }

    private double gauge(final String name) {
        return registry.get(name).tags("service", "test").gauge().value();
    }

    @Test
    void shouldCountSpawnsMessagesRefusalsAndTerminations() throws Exception {
        new FlinRuntimeMetrics(runtime, Tags.of("service", "test")).bindTo(registry);
        final CountDownLatch handled = new CountDownLatch(100);
        final AgentRef<Integer> counter = runtime.spawn(Integer.class, () -> (m, ctx) -> handled.countDown());
        final AgentRef<Integer> other = runtime.spawn(Integer.class, () -> (m, ctx) -> { });
        for (int i = 0; i < 100; i++) {
            counter.tell(i);
        }
        assertEquals(true, handled.await(10, TimeUnit.SECONDS));
        Poll.until(() -> "processed " + counter("flin.messages.processed"), () -> counter("flin.messages.processed") == 100);
        assertEquals(2, counter("flin.agents.spawned"));
        assertEquals(2, gauge("flin.agents.alive"));
        assertEquals(100, counter("flin.messages.accepted"));
        assertEquals(0, gauge("flin.messages.queued"));

        runtime.stop(other.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThrows(AgentNotFoundException.class, () -> runtime.send(other.id(), 1));
        assertEquals(1, counter("flin.agents.terminated"));
        assertEquals(1, gauge("flin.agents.alive"));
        assertEquals(1, counter("flin.messages.rejected.not.found"));
        assertEquals(0, counter("flin.agents.failures"));
        assertEquals(0, counter("flin.messages.dead.letters"));
    }
}
