package dev.flin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The probe's expectations, each on the worker pool and on the deterministic dispatcher. */
class TestProbeTest {

    static List<Named> kits() {
        return List.of(new Named("worker pool", FlinTestKit::create), new Named("deterministic", () -> FlinTestKit.deterministic(7)));
    }

    /** A kit maker with a readable name for the parameterized test's display. */
    record Named(String name, Supplier<FlinTestKit> maker) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Forwards every string it receives to the probe, upper-cased. */
    private static AgentRef<String> shouter(final FlinTestKit kit, final AgentRef<String> to) {
        return kit.spawn(String.class, () -> (message, context) -> to.tell(message.toUpperCase(java.util.Locale.ROOT)));
    }

    @ParameterizedTest
    @MethodSource("kits")
    void expectMessageReturnsTheMessagesInTheOrderTheyArrived(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            final AgentRef<String> shouter = shouter(kit, probe.ref());
            shouter.tell("a");
            shouter.tell("b");
            assertEquals("A", probe.expectMessage());
            assertEquals("B", probe.expectMessage("B"));
            probe.expectNoMessage(Duration.ofMillis(20));
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void aMessageOtherThanTheExpectedOneFailsNamingBoth(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            probe.ref().tell("actual");
            final AssertionError error = assertThrows(AssertionError.class, () -> probe.expectMessage("wanted"));
            assertTrue(error.getMessage().contains("wanted") && error.getMessage().contains("actual"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void noMessageWithinTheWaitFailsSayingNothingArrived(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            final AssertionError error = assertThrows(AssertionError.class, () -> probe.expectMessage(Duration.ofMillis(30)));
            assertTrue(error.getMessage().contains("received nothing"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void expectNoMessageFailsWhenOneArrivesAndLeavesItInPlace(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> probe = kit.createProbe(String.class);
            probe.ref().tell("surprise");
            final AssertionError error = assertThrows(AssertionError.class, () -> probe.expectNoMessage(Duration.ofSeconds(5)));
            assertTrue(error.getMessage().contains("surprise"), error.getMessage());
            assertEquals("surprise", probe.expectMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void expectMessageOfTypeChecksTheType(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<Object> probe = kit.createProbe(Object.class);
            probe.ref().tell(42);
            probe.ref().tell("text");
            assertEquals(42, probe.expectMessageOfType(Integer.class));
            final AssertionError error = assertThrows(AssertionError.class, () -> probe.expectMessageOfType(Integer.class));
            assertTrue(error.getMessage().contains("java.lang.String"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void expectMessageMatchingChecksThePredicate(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<Integer> probe = kit.createProbe(Integer.class);
            probe.ref().tell(3);
            probe.ref().tell(4);
            assertEquals(3, probe.expectMessageMatching("an odd number", n -> n % 2 == 1));
            final AssertionError error = assertThrows(AssertionError.class,
                    () -> probe.expectMessageMatching("an odd number", n -> n % 2 == 1));
            assertTrue(error.getMessage().contains("an odd number") && error.getMessage().contains("4"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void receiveMessagesTakesExactlyNOrListsWhatCame(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<Integer> probe = kit.createProbe(Integer.class);
            for (int i = 0; i < 5; i++) {
                probe.ref().tell(i);
            }
            assertEquals(List.of(0, 1, 2), probe.receiveMessages(3));
            assertEquals(2, probe.pendingCount());
            final AssertionError error = assertThrows(AssertionError.class, () -> probe.receiveMessages(3, Duration.ofMillis(30)));
            assertTrue(error.getMessage().contains("expected 3 messages") && error.getMessage().contains("[3, 4]"),
                    error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void fishForMessageSkipsTheOthers(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<Integer> probe = kit.createProbe(Integer.class);
            for (int i = 1; i <= 4; i++) {
                probe.ref().tell(i * 10);
            }
            assertEquals(30, probe.fishForMessage("30", n -> n == 30));
            assertEquals(40, probe.expectMessage());
            final AssertionError error = assertThrows(AssertionError.class,
                    () -> probe.fishForMessage("99", n -> n == 99, Duration.ofMillis(30)));
            assertTrue(error.getMessage().contains("99"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void aNamedProbeCanBeLookedUp(final Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> probe = kit.createProbe(String.class, "audit");
            assertEquals(probe.id(), kit.runtime().lookup("audit").orElseThrow());
        }
    }
}
