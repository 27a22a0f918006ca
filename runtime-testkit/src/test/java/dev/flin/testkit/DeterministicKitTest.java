package dev.flin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.core.DeterministicDispatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What only the deterministic kit does: a manual clock, and the same seed replaying the same run. */
class DeterministicKitTest {

    /** Relays each number to the probe after an hour on the agent's timers. */
    private static AgentRef<Integer> delayer(final FlinTestKit kit, final AgentRef<String> to) {
        return kit.spawn(Integer.class, () -> (n, context) -> {
            if (n >= 0) {
                context.timers().startSingle("t" + n, -n - 1, Duration.ofHours(1));
            } else {
                to.tell("fired " + (-n - 1));
            }
        });
    }

    @Test
    void aTimerAnHourAwayArrivesWithinTheExpectationOnTheManualClock() {
        try (FlinTestKit kit = FlinTestKit.deterministic(1)) {
            final DeterministicDispatcher dispatcher = kit.dispatcher().orElseThrow();
            final TestProbe<String> probe = kit.createProbe(String.class);
            final long start = dispatcher.nanoTime();
            delayer(kit, probe.ref()).tell(5);
            probe.expectNoMessage(Duration.ofMinutes(59));
            assertEquals(Duration.ofMinutes(59).toNanos(), dispatcher.nanoTime() - start,
                    "expectNoMessage moves the manual clock by the whole period");
            assertEquals("fired 5", probe.expectMessage(Duration.ofMinutes(2)));
            assertEquals(Duration.ofHours(1).toNanos(), dispatcher.nanoTime() - start,
                    "expectMessage moves the clock only as far as the timer that delivered");
        }
    }

    @Test
    void aTimerBeyondTheExpectationsDurationDoesNotFire() {
        try (FlinTestKit kit = FlinTestKit.deterministic(1)) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            delayer(kit, probe.ref()).tell(1);
            assertThrows(AssertionError.class, () -> probe.expectMessage(Duration.ofMinutes(30)));
            kit.advanceTime(Duration.ofMinutes(30));
            assertEquals("fired 1", probe.expectMessage(Duration.ZERO));
        }
    }

    private static List<String> interleaving(final long seed) {
        try (FlinTestKit kit = FlinTestKit.deterministic(seed)) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            final List<AgentRef<String>> senders = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                final String name = "s" + s;
                senders.add(kit.spawn(String.class, () -> (message, context) -> probe.ref().tell(name + ":" + message)));
            }
            for (int i = 0; i < 5; i++) {
                for (final AgentRef<String> sender : senders) {
                    sender.tell(String.valueOf(i));
                }
            }
            return probe.receiveMessages(20);
        }
    }

    @Test
    void theSameSeedReplaysTheSameInterleavingAndAnotherSeedDiffers() {
        final List<String> first = interleaving(42);
        assertEquals(first, interleaving(42));
        boolean differs = false;
        for (long seed = 43; seed < 53 && !differs; seed++) {
            differs = !interleaving(seed).equals(first);
        }
        assertTrue(differs, "ten other seeds all gave the interleaving of seed 42: the seed is not used");
    }

    @Test
    void theSeedIsReported() {
        try (FlinTestKit kit = FlinTestKit.deterministic(99)) {
            assertEquals(99, kit.seed().orElseThrow());
            assertTrue(kit.isDeterministic());
            final AssertionError error = assertThrows(AssertionError.class,
                    () -> kit.await("something that never happens", () -> false, Duration.ofSeconds(1)));
            assertTrue(error.getMessage().contains("seed 99"), error.getMessage());
        }
    }

    @Test
    void theWorkerPoolKitRefusesManualClockOperations() {
        try (FlinTestKit kit = FlinTestKit.create()) {
            assertTrue(kit.seed().isEmpty());
            final IllegalStateException error = assertThrows(IllegalStateException.class, () -> kit.advanceTime(Duration.ofSeconds(1)));
            assertTrue(error.getMessage().contains("deterministic"), error.getMessage());
            assertThrows(IllegalStateException.class, kit::runUntilIdle);
            assertNotEquals(null, kit.runtime());
        }
    }
}
