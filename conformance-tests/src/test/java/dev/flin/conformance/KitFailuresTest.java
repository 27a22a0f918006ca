package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** The formats of the kit's failure messages: rule first, what the kit did, expected, seen. */
class KitFailuresTest {

    private static final String CHECK = "required_spec_3_6_everyMessageAcceptedBeforeTheStopIsProcessedBeforeOnStop";

    private static IllegalStateException thrownBy(final String cls, final String message) {
        final IllegalStateException e = new IllegalStateException(message);
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.Objects", "requireNonNull", "Objects.java", 1),
            new StackTraceElement(cls, "stop", "Source.java", 42),
            new StackTraceElement("dev.flin.conformance.LifecycleRules", CHECK, "LifecycleRules.java", 612)});
        return e;
    }

    @Test
    void anExceptionOfTheRuntimeIsReportedAsTheRuntimesWithTheRuleFirst() {
        final IllegalStateException thrown = thrownBy("com.example.rt.Registry", "agent table corrupt");
        final Throwable explained = KitFailures.explain(thrown, CHECK);
        final AssertionError error = assertInstanceOf(AssertionError.class, explained);
        assertEquals("rule 3.6 (A stop is ordered after the messages accepted before it): your runtime threw"
                + " java.lang.IllegalStateException (agent table corrupt) at LifecycleRules.java:612 where the rule"
                + " requires the call to succeed (check " + CHECK + ")", error.getMessage());
        assertSame(thrown, error.getCause());
    }

    @Test
    void anExceptionOfTheKitItselfIsNotBlamedOnTheRuntime() {
        final Throwable explained = KitFailures.explain(thrownBy("dev.flin.conformance.Gate", "gate never released"), CHECK);
        assertTrue(explained.getMessage().contains(": the check itself (not the runtime) threw"), explained.getMessage());
        final Throwable faulty = KitFailures.explain(thrownBy("dev.flin.conformance.faulty.SkipsOnStop", "x"), CHECK);
        assertTrue(faulty.getMessage().contains(": your runtime threw"), faulty.getMessage());
    }

    @Test
    void anAssertionGetsTheRuleInFrontAndKeepsExpectedAndActual() {
        final AssertionFailedError failed = assertThrows(AssertionFailedError.class,
                () -> assertEquals(1, 2, "onStop more than once"));
        final Throwable explained = KitFailures.explain(failed, CHECK);
        final AssertionFailedError afe = assertInstanceOf(AssertionFailedError.class, explained);
        assertTrue(afe.getMessage().startsWith("rule 3.6 (A stop is ordered after the messages accepted before it):"
                + " onStop more than once"), afe.getMessage());
        assertEquals(1, afe.getExpected().getValue());
        assertEquals(2, afe.getActual().getValue());
    }

    @Test
    void anAssertionThatCitesItsRuleAlreadyIsLeftAlone_andAbortsPassThrough() {
        final AssertionError cites = new AssertionError("rule 3.6: onStop must come after every processed message");
        assertSame(cites, KitFailures.explain(cites, CHECK));
        final TestAbortedException aborted = new TestAbortedException("untested");
        assertSame(aborted, KitFailures.explain(aborted, CHECK));
        final Throwable noRule = KitFailures.explain(new AssertionError("x"), "helperMethod");
        assertEquals("check helperMethod: x", noRule.getMessage());
    }

    @Test
    void sentinelsAreNamedNeverPrintedAsNumbers() {
        final String rendered = KitFailures.render(List.of(1, 2, Integer.MIN_VALUE, 1_000_127),
                Map.of(Integer.MIN_VALUE, "onStop"), 3);
        assertEquals("[... 1 earlier, 2, onStop, 1000127]", rendered);
        assertFalse(rendered.contains("-2147483648"));
    }

    @Test
    void aStageThatFailsWhereAValueIsRequiredBlamesTheRuntimeInWords() {
        try (Kit kit = new Kit(KitFailuresTest::noRuntime)) {
            final AssertionError error = assertThrows(AssertionError.class, () -> kit.await("the reply of the echo agent",
                    CompletableFuture.failedFuture(new IllegalStateException("no route"))));
            assertEquals("your runtime failed the stage with java.lang.IllegalStateException (no route) where the kit"
                    + " required a value: the reply of the echo agent", error.getMessage());
            final AssertionError completed = assertThrows(AssertionError.class,
                    () -> kit.awaitFailure("the refused ask", CompletableFuture.completedFuture(5)));
            assertEquals("the kit required the stage to fail, but your runtime completed it with the value 5: the refused"
                    + " ask", completed.getMessage());
        }
    }

    @Test
    void afterTheRunsFullWaitsEveryWaitIsShortAndSaysSo() {
        final KitTimeouts timeouts = new KitTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300), 2,
                Duration.ofMillis(300));
        final KitWaits.Run run = new KitWaits.Run();
        final KitWaits first = new KitWaits(timeouts, new KitWaits.Check(run, "V#a"));
        final KitWaits second = new KitWaits(timeouts, new KitWaits.Check(run, "V#b"));
        final KitWaits third = new KitWaits(timeouts, new KitWaits.Check(run, "V#c"));
        assertEquals(Duration.ofSeconds(10), first.next().limit());
        first.timedOut();
        assertEquals(Duration.ofSeconds(10), second.next().limit(), "another check keeps the full wait");
        final KitWaits.Budget again = first.next();
        assertEquals(Duration.ofMillis(300), again.limit(), "the same check's next wait is short");
        assertTrue(again.timedOut("x").contains("this check already timed out once"), again.timedOut("x"));
        second.timedOut();
        final KitWaits.Budget budget = third.next();
        assertTrue(budget.isShort());
        assertEquals("timed out after PT0.3S (a short wait: this run already timed out 2 times; rerun this rule alone (V#c)"
                + " for the full PT10S) waiting for: the reply", budget.timedOut("the reply"));
    }

    @Test
    void theRunStopsAtItsLastAllowedTimeoutAndSaysWhy() {
        final KitTimeouts timeouts = new KitTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300), 1,
                Duration.ofMillis(300), 3);
        final KitWaits.Run run = new KitWaits.Run();
        final KitWaits a = new KitWaits(timeouts, new KitWaits.Check(run, "V#required_spec_1_4_a"));
        final KitWaits b = new KitWaits(timeouts, new KitWaits.Check(run, "V#required_spec_2_2_b"));
        a.timedOut();
        a.timedOut();
        assertTrue(run.stopReason().isEmpty(), "two timeouts of three: the run goes on");
        b.timedOut();
        assertEquals("not run: 3 waits of this run timed out (the first in required_spec_1_4_a, required_spec_2_2_b),"
                + " so the runtime is too broken for more checks to say more; fix the first failures, rerun a rule alone"
                + " (-Dflin.kit.rules=N.M), or set -Dflin.kit.stopAfterTimeouts=1000 to run every check",
                run.stopReason().orElseThrow());
        b.timedOut();
        assertTrue(run.stopReason().orElseThrow().startsWith("not run: 3 waits"), "the reason is set once");
        assertThrows(IllegalArgumentException.class,
                () -> new KitTimeouts(Duration.ofSeconds(1), Duration.ZERO, 1, Duration.ofMillis(1), 0));
    }

    @Test
    void theShortWaitIsNeverLongerThanTheFullOne() {
        final KitTimeouts timeouts = new KitTimeouts(Duration.ofMillis(100), Duration.ZERO, 0, Duration.ofSeconds(5));
        final KitWaits waits = new KitWaits(timeouts, new KitWaits.Check(new KitWaits.Run(), "V#a"));
        assertEquals(Duration.ofMillis(100), waits.next().limit());
    }

    private static dev.flin.runtime.AgentRuntime noRuntime() {
        throw new UnsupportedOperationException("not used");
    }
}
