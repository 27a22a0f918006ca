package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.bench.report.MachineProbe.Calibration;
import dev.flin.bench.report.MachineProbe.CpuTimes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class MachineStateTest {

    private static Calibration probe(final String when, final double roundTrip, final double compute, final double speedup) {
        return new Calibration(when, Instant.parse("2026-12-07T10:00:00Z"), roundTrip, compute, speedup, OptionalDouble.empty());
    }

    private static MachineState state(final Calibration... probes) {
        return new MachineState(List.of(probes), OptionalDouble.empty());
    }

    @Test
    void probesWithinTheLimitAreOneState() {
        final MachineState a = state(probe("start", 100, 1.0, 1.9), probe("end", 110, 1.05, 1.95));
        final MachineState b = state(probe("start", 105, 1.1, 1.8), probe("end", 114, 1.0, 2.0));
        assertEquals(List.of(), MachineState.differences(a, b, 15));
        assertEquals(List.of(), a.changesDuringTheRun(15));
    }

    @Test
    void aSlowerRoundTripInEitherRunIsADifferentState() {
        final MachineState a = state(probe("start", 100, 1.0, 1.9), probe("end", 100, 1.0, 1.9));
        final MachineState b = state(probe("start", 100, 1.0, 1.9), probe("end", 250, 1.0, 1.9));
        final List<String> differences = MachineState.differences(a, b, 15);
        assertEquals(1, differences.size(), differences.toString());
        assertEquals("round trip 100.0 ns (start) to 250.0 ns (end), 150.0% apart", differences.get(0));
        assertEquals(List.of(), a.changesDuringTheRun(15));
        assertEquals(differences, b.changesDuringTheRun(15));
    }

    @Test
    void eachFigureIsJudgedOnItsOwn() {
        final MachineState a = state(probe("start", 100, 1.0, 1.95));
        final MachineState b = state(probe("start", 100, 1.3, 1.2));
        final List<String> differences = MachineState.differences(a, b, 15);
        assertEquals(2, differences.size(), differences.toString());
        assertTrue(differences.get(0).startsWith("compute 1.00 ns/step"), differences.toString());
        assertTrue(differences.get(1).startsWith("parallel speed-up 1.20 x"), differences.toString());
        assertEquals(List.of(), MachineState.differences(a, b, 70), "a wider limit accepts both");
    }

    @Test
    void aFigureThatCouldNotBeMeasuredIsNotCompared() {
        final MachineState oneCore = state(probe("start", Double.NaN, 1.0, 1.0));
        final MachineState twoCores = state(probe("start", 80, 1.0, 1.0));
        assertEquals(List.of(), MachineState.differences(oneCore, twoCores, 15));
        assertFalse(MachineState.unmeasured().measured());
        assertEquals(List.of(), MachineState.differences(MachineState.unmeasured(), twoCores, 15));
    }

    @Test
    void procStatsFirstLineGivesTheStolenShare() {
        final Optional<CpuTimes> before = CpuTimes.parse("cpu  100 0 50 800 10 0 0 40 7 0");
        final Optional<CpuTimes> after = CpuTimes.parse("cpu  200 0 100 1500 10 0 0 140 9 0");
        assertEquals(Optional.of(new CpuTimes(1000, 40)), before, "guest time is already in user time");
        assertEquals(100.0 * 100 / 950, after.orElseThrow().stealPercentSince(before.orElseThrow()).orElseThrow(), 1e-9);
        assertEquals(OptionalDouble.empty(), before.orElseThrow().stealPercentSince(before.orElseThrow()), "no time passed");
        assertEquals(Optional.empty(), CpuTimes.parse("cpu  100 0 50 800"), "a kernel too old for steal");
        assertEquals(Optional.empty(), CpuTimes.parse("intr 1 2 3 4 5 6 7 8 9"));
        assertEquals(Optional.empty(), CpuTimes.parse("cpu  a b c d e f g h"));
    }

    @Test
    void theProbeMeasuresEveryFigure() {
        final Calibration now = MachineProbe.measure("test");
        assertEquals("test", now.when());
        assertTrue(now.computeNanos() > 0 && Double.isFinite(now.computeNanos()), now.describe());
        assertTrue(now.parallelSpeedup() > 0 && Double.isFinite(now.parallelSpeedup()), now.describe());
        if (Runtime.getRuntime().availableProcessors() >= 2) {
            assertTrue(now.roundTripNanos() > 0 && Double.isFinite(now.roundTripNanos()), now.describe());
        } else {
            assertTrue(Double.isNaN(now.roundTripNanos()), "one core: no round trip to measure");
        }
        assertEquals(3.0, MachineProbe.median(new double[] {5, 1, 3}));
        assertEquals(2.5, MachineProbe.median(new double[] {4, 1, 3, 2}));
        assertEquals(MachineProbe.chain(7, 100), MachineProbe.chain(7, 100), "the chain is deterministic");
    }
}
