package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Test
    void judgesEachStrategyOnItsOwnFigures() {
        final List<Targets.Target> targets = Targets.evaluate(SampleModel.build());

        final Targets.Target vsPekko = target(targets, "one-to-one tell throughput (OneToOneTell) vs Pekko");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "3.60x"), vsPekko.cells().get("flin-backoff"));
        assertEquals(new Targets.Cell(Targets.Verdict.NOT_MET, "2.00x"), vsPekko.cells().get("flin-parking"));
        assertEquals(Targets.Verdict.NO_DATA, vsPekko.cells().get("flin-yielding").verdict());

        final Targets.Target vsDisruptor = target(targets, "one-to-one tell throughput (OneToOneTell) vs raw Disruptor");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "0.72x"), vsDisruptor.cells().get("flin-backoff"));
        assertEquals(new Targets.Cell(Targets.Verdict.NOT_MET, "0.40x"), vsDisruptor.cells().get("flin-parking"));

        final Targets.Target pingPong = target(targets, "ping-pong p50");
        assertEquals(Targets.Verdict.MET, pingPong.cells().get("flin-backoff").verdict());
        assertTrue(pingPong.cells().get("flin-backoff").measured().startsWith("0.40x"), pingPong.toString());
        assertEquals(Targets.Verdict.NOT_MET, pingPong.cells().get("flin-parking").verdict());

        final Targets.Target fanIn1 = target(targets, "fan-in throughput (ManyToOneTell, producers=1)");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "2.50x"), fanIn1.cells().get("flin-backoff"));
        final Targets.Target fanIn2 = target(targets, "fan-in throughput (ManyToOneTell, producers=2)");
        assertEquals(Targets.Verdict.NO_DATA, fanIn2.cells().get("flin-backoff").verdict());

        final Targets.Target spawn = target(targets, "spawn + message + stop");
        spawn.cells().values().forEach(c -> assertEquals(Targets.Verdict.NO_DATA, c.verdict(), spawn.toString()));

        final Targets.Target idle = target(targets, "heap per idle agent");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "212.5 B"), idle.cells().get("flin-backoff"));
        assertEquals(Targets.Verdict.NO_DATA, idle.cells().get("flin-parking").verdict());

        final Targets.Target alloc = target(targets, "allocation per message");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "0 B/op (raw 0.4)"), alloc.cells().get("flin-backoff"));
        assertEquals(new Targets.Cell(Targets.Verdict.NOT_MET, "24.00 B/op"), alloc.cells().get("flin-parking"));

        final Targets.Target savina = target(targets, "Savina");
        assertEquals(new Targets.Cell(Targets.Verdict.MET, "4.00x"), savina.cells().get("flin-backoff"));
        assertEquals(Targets.Verdict.NO_DATA, savina.cells().get("flin-parking").verdict());
        assertTrue(savina.cells().get("flin-parking").measured().contains("SavinaBig"), savina.toString());
    }

    @Test
    void everyTargetHasACellForEveryStrategyAndFanInOnePerProducerCount() {
        final List<Targets.Target> targets = Targets.evaluate(SampleModel.build());
        for (final Targets.Target target : targets) {
            assertEquals(List.of("flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking"),
                    List.copyOf(target.cells().keySet()), target.name());
        }
        assertEquals(2, targets.stream().filter(t -> t.name().startsWith("fan-in")).count());
    }

    @Test
    void thresholdsAreInclusive() {
        final ScenarioResult ours = SampleModel.throughput("OneToOneTell", Map.of(), "flin-backoff", 30, 0);
        final ScenarioResult pekko = SampleModel.throughput("OneToOneTell", Map.of(), "pekko", 10, 0);
        assertEquals(3.0, ours.advantageOver(pekko), 1e-12);
        final ReportModel model = withResults(List.of(ours, pekko));
        assertEquals(Targets.Verdict.MET, target(Targets.evaluate(model), "one-to-one tell throughput (OneToOneTell) vs Pekko")
                .cells().get("flin-backoff").verdict());
    }

    @Test
    void allocationJustAboveTheToleranceIsNotZero() {
        final ScenarioResult ours = new ScenarioResult("OneToOneTell", Map.of(), "flin-backoff", 1, 0, "ops/s", true,
                OptionalDouble.of(1.01));
        final Targets.Cell cell = target(Targets.evaluate(withResults(List.of(ours))), "allocation per message")
                .cells().get("flin-backoff");
        assertEquals(Targets.Verdict.NOT_MET, cell.verdict());
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

    private static ReportModel withResults(final List<ScenarioResult> results) {
        final ReportModel sample = SampleModel.build();
        return new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(), sample.end(),
                List.of(Scenario.of("OneToOneTell", "x", List.of("flin-backoff", "pekko"))), results, List.of(), List.of(),
                List.of(), List.of());
    }
}
