package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.core.DeterministicDispatcher;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An agent's rarely used parts live in {@link CellExtras}, made at the first use: an agent that is
 * only spawned and sent to never has them (that is what keeps an idle agent under 200 B, issue
 * 13), and one that uses them finds what it put there. Runs on the deterministic dispatcher so that
 * every step has happened when the assertion reads the cell.
 */
final class CellExtrasTest {

    private DeterministicDispatcher dispatcher;
    private AgentRuntime runtime;

    @BeforeEach
    void start() {
        dispatcher = Dispatchers.deterministic(13);
        runtime = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(dispatcher));
    }

    @AfterEach
    void stop() {
        runtime.shutdown(Duration.ofSeconds(10));
    }

    @Test
    void anAgentThatIsOnlySentToHasNoExtras() {
        final List<String> seen = new ArrayList<>();
        final AgentRef<String> ref = runtime.spawn(String.class, () -> new Recorder(seen));
        ref.tell("a");
        ref.tell("b");
        dispatcher.runUntilIdle();

        assertEquals(List.of("a", "b"), seen);
        assertNull(cell(ref).extrasOrNull(), "spawn, start and two messages made the extras");
        assertEquals(Long.MAX_VALUE, cell(ref).stopSequence(), "no stop was published");
    }

    @Test
    void aNameOrAPolicyIsKeptFromTheSpawn() {
        final AgentRef<String> named = runtime.spawn(String.class, () -> new Recorder(new ArrayList<>()),
                SpawnOptions.defaults().withName("keeper"));
        final RestartPolicy always = RestartPolicy.always(Backoff.NONE);
        final AgentRef<String> restarting = runtime.spawn(String.class, () -> new Recorder(new ArrayList<>()),
                SpawnOptions.defaults().withRestartPolicy(always));
        dispatcher.runUntilIdle();

        assertEquals("keeper", cell(named).name());
        assertTrue(named.toString().contains("'keeper'"), named.toString());
        assertNull(cell(named).extrasOrNull().policy, "the default policy is not stored");
        assertSame(always, cell(restarting).extrasOrNull().policy);
        assertNull(cell(restarting).name());
    }

    @Test
    void aStopMakesThemAndTheTerminationIsShared() {
        final AgentRef<String> ref = runtime.spawn(String.class, () -> new Recorder(new ArrayList<>()));
        dispatcher.runUntilIdle();
        final CompletableFuture<TerminationCause> first = runtime.whenTerminated(ref.id()).toCompletableFuture();
        final CompletableFuture<TerminationCause> stopped = runtime.stop(ref.id()).toCompletableFuture();
        dispatcher.runUntilIdle();

        assertNotNull(cell(ref).extrasOrNull());
        assertEquals(TerminationCause.STOPPED, first.join());
        assertEquals(TerminationCause.STOPPED, stopped.join());
        assertSame(cell(ref).termination(), cell(ref).termination(), "one future for every caller");
    }

    @Test
    void concurrentCreatorsAgreeOnOnePart() throws InterruptedException {
        final CellExtras extras = new CellExtras(null, null);
        final int threads = 4;
        final Object[] got = new Object[threads];
        final Thread[] racers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            final int slot = i;
            racers[i] = new Thread(() -> got[slot] = extras.pendingAsksOrCreate());
        }
        for (final Thread racer : racers) {
            racer.start();
        }
        for (final Thread racer : racers) {
            racer.join();
        }
        for (final Object part : got) {
            assertSame(extras.pendingAsks(), part);
        }
        extras.lowerStopSequence(10);
        extras.lowerStopSequence(20);
        assertEquals(10, extras.stopSequence(), "the stop sequence is only ever lowered");
    }

    private static AgentCell<?> cell(final AgentRef<?> ref) {
        return (AgentCell<?>) ref;
    }

    private static final class Recorder implements Agent<String> {
        private final List<String> seen;

        Recorder(final List<String> seen) {
            this.seen = seen;
        }

        @Override
        public void onMessage(final String message, final AgentContext<String> context) {
            seen.add(message);
        }
    }
}
