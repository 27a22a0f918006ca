package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class TargetsTest {

    private static Targets.Target target(final List<Targets.Target> targets, final String namePrefix) {
        return targets.stream().filter(t -> t.name().startsWith(namePrefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no target " + namePrefix + " in " + targets));
    }

    private static Targets.Cell met(final double value, final String shown) {
        return new Targets.Cell(Targets.Verdict.MET, shown, OptionalDouble.of(value));
    }

    private static Targets.Cell notMet(final double value, final String shown) {
        return new Targets.Cell(Targets.Verdict.NOT_MET, shown, OptionalDouble.of(value));
    }

    @Test
    void judgesEachStrategyOnItsOwnFigures() {
        final List<Targets.Target> targets = Targets.evaluate(SampleModel.build());

        final Targets.Target vsPekko = target(targets, "one-to-one tell throughput (OneToOneTell), default pool, vs Pekko");
        assertEquals(">= 4x Pekko", vsPekko.requirement());
        assertEquals(met(4.5, "4.50x"), vsPekko.cells().get("flin-backoff"));
        assertEquals(notMet(2.0, "2.00x"), vsPekko.cells().get("flin-parking"));
        assertEquals(Targets.Verdict.NO_DATA, vsPekko.cells().get("flin-yielding").verdict());
        assertTrue(vsPekko.cells().get("flin-yielding").value().isEmpty());

        final Targets.Target vsDisruptor = target(targets, "one-to-one tell throughput (OneToOneTell), default pool, vs raw");
        assertEquals(">= 50% of raw Disruptor", vsDisruptor.requirement());
        assertEquals(met(0.9, "0.90x"), vsDisruptor.cells().get("flin-backoff"));
        assertEquals(notMet(0.4, "0.40x"), vsDisruptor.cells().get("flin-parking"));

        final Targets.Target pingPong = target(targets, "ping-pong time per round trip");
        assertEquals("<= 0.2x Pekko's time", pingPong.requirement());
        assertEquals(Targets.Verdict.MET, pingPong.cells().get("flin-backoff").verdict());
        assertEquals(0.15, pingPong.cells().get("flin-backoff").value().getAsDouble(), 1e-12);
        assertEquals("0.15x (1.00 vs 6.67 µs)", pingPong.cells().get("flin-backoff").measured());
        assertEquals(Targets.Verdict.NOT_MET, pingPong.cells().get("flin-parking").verdict());

        final Targets.Target fanIn1 = target(targets, "fan-in throughput (ManyToOneTell, producers=1)");
        assertEquals(met(2.5, "2.50x"), fanIn1.cells().get("flin-backoff"));
        final Targets.Target fanIn2 = target(targets, "fan-in throughput (ManyToOneTell, producers=2)");
        assertEquals(Targets.Verdict.NO_DATA, fanIn2.cells().get("flin-backoff").verdict());
        final Targets.Target fanIn4 = target(targets, "fan-in throughput (ManyToOneTell, producers=4)");
        assertEquals(Targets.Verdict.NO_DATA, fanIn4.cells().get("flin-backoff").verdict());

        for (final String spawnTarget : List.of("spawn + message + stop from outside the pool (SpawnMessageStop) vs Pekko",
                "spawn + message + stop from outside the pool (SpawnMessageStop) vs virtual threads")) {
            final Targets.Target spawn = target(targets, spawnTarget);
            spawn.cells().values().forEach(c -> assertEquals(Targets.Verdict.NO_DATA, c.verdict(), spawn.toString()));
        }

        final Targets.Target idle = target(targets, "heap per idle agent");
        assertEquals("<= 200 bytes", idle.requirement());
        assertFalse(idle.ratio());
        assertEquals(notMet(212.5, "212.5 B"), idle.cells().get("flin-backoff"));
        assertEquals(Targets.Verdict.NO_DATA, idle.cells().get("flin-parking").verdict());

        final Targets.Target chameneos = target(targets, "Savina chameneos");
        assertEquals(">= 1.5x", chameneos.requirement());
        assertEquals(met(4.0, "4.00x"), chameneos.cells().get("flin-backoff"));
        assertEquals(notMet(1.0, "1.00x"), chameneos.cells().get("flin-parking"));

        final Targets.Target savina = target(targets, "Savina: geometric mean");
        assertEquals(">= 3x", savina.requirement());
        assertEquals(Targets.Verdict.MET, savina.cells().get("flin-backoff").verdict());
        assertEquals(4.0, savina.cells().get("flin-backoff").value().getAsDouble(), 1e-9);
        assertEquals(Targets.Verdict.NO_DATA, savina.cells().get("flin-parking").verdict());
        assertTrue(savina.cells().get("flin-parking").measured().contains("SavinaBig"), savina.toString());
    }

    @Test
    void thePinnedAgentIsJudgedOnItsOwnAndIsNoDataWithoutAPinnedRow() {
        final Targets.Target pinned = target(Targets.evaluate(SampleModel.build()), "one-to-one tell throughput (OneToOneTell),"
                + " pinned agent");
        assertEquals(">= 80% of raw Disruptor", pinned.requirement());
        assertEquals(List.of("flin-pinned"), List.copyOf(pinned.cells().keySet()));
        assertEquals(met(0.84, "0.84x"), pinned.cells().get("flin-pinned"));

        final ScenarioResult disruptor = SampleModel.throughput("OneToOneTell", Map.of(), "disruptor", 10, 0);
        final Targets.Cell missing = target(Targets.evaluate(withResults(List.of(disruptor))), "one-to-one tell throughput"
                + " (OneToOneTell), pinned agent").cells().get("flin-pinned");
        assertEquals(Targets.Cell.noData("no data (no flin-pinned result)"), missing);
    }

    @Test
    void theIssue13TargetsAndNothingElse() {
        final List<Targets.Target> targets = Targets.evaluate(SampleModel.build());
        assertEquals(List.of(
                "one-to-one tell throughput (OneToOneTell), default pool, vs Pekko",
                "one-to-one tell throughput (OneToOneTell), default pool, vs raw Disruptor",
                "one-to-one tell throughput (OneToOneTell), pinned agent, vs raw Disruptor",
                "fan-in throughput (ManyToOneTell, producers=1) vs Pekko",
                "fan-in throughput (ManyToOneTell, producers=2) vs Pekko",
                "fan-in throughput (ManyToOneTell, producers=4) vs Pekko",
                "spawn + message + stop from outside the pool (SpawnMessageStop) vs Pekko",
                "spawn + message + stop from outside the pool (SpawnMessageStop) vs virtual threads",
                "heap per idle agent",
                "Savina chameneos (SavinaChameneos): Pekko time / our time",
                "Savina: geometric mean of Pekko time / our time over the 5 Savina scenarios",
                "ping-pong time per round trip (PingPong, 1 / score) vs Pekko"),
                targets.stream().map(Targets.Target::name).toList());
        for (final Targets.Target target : targets) {
            if (!target.name().contains("pinned")) {
                assertEquals(List.of("flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking"),
                        List.copyOf(target.cells().keySet()), target.name());
            }
        }
        assertEquals(List.of("flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "flin-pinned"),
                Targets.judgedSystems(targets));
    }

    @Test
    void spawnIsJudgedAgainstPekkoAndVirtualThreads() {
        final ReportModel model = withResults(List.of(
                SampleModel.throughput("SpawnMessageStop", Map.of(), "flin-backoff", 300, 0),
                SampleModel.throughput("SpawnMessageStop", Map.of(), "pekko", 100, 0),
                SampleModel.throughput("SpawnMessageStop", Map.of(), "vthreads", 400, 0)));
        final List<Targets.Target> targets = Targets.evaluate(model);
        assertEquals(met(3.0, "3.00x"), target(targets, "spawn + message + stop from outside the pool (SpawnMessageStop) vs Pekko")
                .cells().get("flin-backoff"));
        assertEquals(notMet(0.75, "0.75x"), target(targets, "spawn + message + stop from outside the pool (SpawnMessageStop)"
                + " vs virtual threads").cells().get("flin-backoff"));
    }

    @Test
    void thresholdsAreInclusive() {
        final ScenarioResult ours = SampleModel.throughput("OneToOneTell", Map.of(), "flin-backoff", 40, 0);
        final ScenarioResult pekko = SampleModel.throughput("OneToOneTell", Map.of(), "pekko", 10, 0);
        final ScenarioResult disruptor = SampleModel.throughput("OneToOneTell", Map.of(), "disruptor", 80, 0);
        final ScenarioResult pinned = SampleModel.throughput("OneToOneTell", Map.of(), "flin-pinned", 64, 0);
        final List<Targets.Target> targets = Targets.evaluate(withResults(List.of(ours, pekko, disruptor, pinned)));
        assertEquals(Targets.Verdict.MET, target(targets, "one-to-one tell throughput (OneToOneTell), default pool, vs Pekko")
                .cells().get("flin-backoff").verdict());
        assertEquals(Targets.Verdict.MET, target(targets, "one-to-one tell throughput (OneToOneTell), default pool, vs raw")
                .cells().get("flin-backoff").verdict());
        assertEquals(Targets.Verdict.MET, target(targets, "one-to-one tell throughput (OneToOneTell), pinned agent")
                .cells().get("flin-pinned").verdict());
        final Targets.Cell idle = target(Targets.evaluate(withFootprint(Footprint.measured("flin-backoff", 10, 200, ""))),
                "heap per idle agent").cells().get("flin-backoff");
        assertEquals(met(200, "200.0 B"), idle);
    }

    @Test
    void headlineRowsAreTheOnesATargetReads() {
        assertTrue(Targets.isHeadline(SampleModel.throughput("OneToOneTell", Map.of(), "flin-busyspin", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.throughput("OneToOneTell", Map.of(), "pekko", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.throughput("OneToOneTell", Map.of(), "disruptor", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.throughput("OneToOneTell", Map.of(), "flin-pinned", 1, 0)));
        assertFalse(Targets.isHeadline(SampleModel.throughput("OneToOneTell", Map.of(), "threads", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.throughput("SpawnMessageStop", Map.of(), "vthreads", 1, 0)));
        assertFalse(Targets.isHeadline(SampleModel.throughput("PingPong", Map.of(), "vthreads", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.throughput("ManyToOneTell", Map.of("producers", "4"), "pekko", 1, 0)));
        assertFalse(Targets.isHeadline(SampleModel.throughput("ManyToOneTell", Map.of("producers", "8"), "pekko", 1, 0)));
        assertFalse(Targets.isHeadline(SampleModel.throughput("ManyPairsEcho", Map.of(), "flin-backoff", 1, 0)));
        assertTrue(Targets.isHeadline(SampleModel.time("SavinaBig", "flin-parking", 1)));
        assertFalse(Targets.isHeadline(SampleModel.time("SavinaBig", "threads", 1)));
    }

    @Test
    void ratioIsDirectionAware() {
        final ScenarioResult fastTime = SampleModel.time("SavinaCount", "flin-backoff", 50);
        final ScenarioResult slowTime = SampleModel.time("SavinaCount", "pekko", 100);
        assertEquals(2.0, fastTime.advantageOver(slowTime), 1e-12);
        assertEquals(0.5, slowTime.advantageOver(fastTime), 1e-12);
        final ScenarioResult highThroughput = SampleModel.throughput("OneToOneTell", Map.of(), "flin-backoff", 200, 0);
        final ScenarioResult lowThroughput = SampleModel.throughput("OneToOneTell", Map.of(), "pekko", 100, 0);
        assertEquals(2.0, highThroughput.advantageOver(lowThroughput), 1e-12);
    }

    @Test
    void geometricMean() {
        assertEquals(4.0, Targets.geometricMean(List.of(1.0, 2.0, 4.0, 8.0, 16.0)), 1e-12);
        assertEquals(3.0, Targets.geometricMean(List.of(3.0)), 1e-12);
        assertTrue(Double.isNaN(Targets.geometricMean(List.of())));
        assertTrue(Double.isNaN(Targets.geometricMean(List.of(2.0, 0.0))));
    }

    private static ReportModel withFootprint(final Footprint footprint) {
        final ReportModel sample = SampleModel.build();
        return new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(), sample.end(),
                List.of(), List.of(), List.of(), List.of(), List.of(footprint), List.of());
    }

    private static ReportModel withResults(final List<ScenarioResult> results) {
        final ReportModel sample = SampleModel.build();
        return new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(), sample.end(),
                List.of(Scenario.of("OneToOneTell", "x", List.of("flin-backoff", "pekko"))), results, List.of(), List.of(),
                List.of(), List.of());
    }
}
