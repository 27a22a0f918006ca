package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixtures are two runs of one commit: run B has FLIN's one-to-one ratios and chameneos 10% above
 * run A's and its fan-in ratio 30% above (2.60x against 2.00x).
 */
class CompareReportsTest {

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(final String... args) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int status = CompareReports.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Path fixture(final Path dir, final String name) throws IOException {
        return Files.writeString(dir.resolve(name), ReportJsonTest.resource(name));
    }

    @Test
    void relativeDifferenceIsSymmetricAndNeedsPositiveFigures() {
        assertEquals(10.0, CompareReports.relativeDifferencePercent(4.0, 4.4), 1e-9);
        assertEquals(10.0, CompareReports.relativeDifferencePercent(4.4, 4.0), 1e-9);
        assertEquals(0.0, CompareReports.relativeDifferencePercent(2.0, 2.0), 0.0);
        assertTrue(Double.isNaN(CompareReports.relativeDifferencePercent(0.0, 2.0)));
        assertTrue(Double.isNaN(CompareReports.relativeDifferencePercent(2.0, Double.NaN)));
    }

    @Test
    void everyHeadlineRatioIsComparedAndTheFanInIsOverTheLimit() throws IOException {
        final ReportModel a = ReportJson.read(ReportJsonTest.resource("run-a.json"));
        final ReportModel b = ReportJson.read(ReportJsonTest.resource("run-b.json"));
        final List<CompareReports.Row> rows = CompareReports.compare(a, b, CompareReports.DEFAULT_LIMIT_PERCENT);

        final CompareReports.Row vsPekko = row(rows, "one-to-one tell throughput (OneToOneTell), default pool, vs Pekko",
                "flin-backoff");
        assertEquals(Optional.of(4.0), vsPekko.first());
        assertEquals(4.4, vsPekko.second().orElseThrow(), 1e-12);
        assertEquals(10.0, vsPekko.differencePercent(), 1e-9);
        assertFalse(vsPekko.over());
        assertEquals(10.0, row(rows, "one-to-one tell throughput (OneToOneTell), default pool, vs raw Disruptor",
                "flin-backoff").differencePercent(), 1e-9);
        assertEquals(10.0, row(rows, "Savina chameneos (SavinaChameneos): Pekko time / our time", "flin-backoff")
                .differencePercent(), 1e-9);

        final CompareReports.Row fanIn = row(rows, "fan-in throughput (ManyToOneTell, producers=1) vs Pekko", "flin-backoff");
        assertEquals(30.0, fanIn.differencePercent(), 1e-9);
        assertTrue(fanIn.over());
        assertEquals(List.of(fanIn), rows.stream().filter(CompareReports.Row::over).toList());

        final CompareReports.Row pinned = row(rows, "one-to-one tell throughput (OneToOneTell), pinned agent, vs raw Disruptor",
                "flin-pinned");
        assertTrue(pinned.first().isEmpty() && pinned.second().isEmpty(), pinned.toString());
        assertFalse(pinned.over());
        assertTrue(rows.stream().noneMatch(r -> r.target().equals("heap per idle agent")), "not a ratio: " + rows);
    }

    @Test
    void twoRunsThatDifferByMoreThanFifteenPercentExitOne(@TempDir final Path dir) throws IOException {
        final Outcome outcome = run(fixture(dir, "run-a.json").toString(), fixture(dir, "run-b.json").toString());
        assertEquals(1, outcome.status(), outcome.toString());
        assertTrue(outcome.out().contains("fan-in throughput (ManyToOneTell, producers=1) vs Pekko [flin-backoff]"), outcome.out());
        assertTrue(outcome.out().contains("2.00x       2.60x       30.0%  OVER 15.0%"), outcome.out());
        assertTrue(outcome.out().contains("DISAGREE: 1 of 4 headline ratios differ by more than 15.0%"), outcome.out());
        assertTrue(outcome.out().contains("(not a ratio, not judged) heap per idle agent [flin-backoff]: 190.0 B and 192.5 B"),
                outcome.out());
    }

    @Test
    void aRunAgreesWithItselfAndAWiderLimitAcceptsTheFanIn(@TempDir final Path dir) throws IOException {
        final Path a = fixture(dir, "run-a.json");
        final Outcome same = run(a.toString(), a.toString());
        assertEquals(0, same.status(), same.toString());
        assertTrue(same.out().contains("AGREE: all 4 headline ratios present in both runs are within 15.0%"), same.out());
        assertEquals(0, run("--limit", "31", a.toString(), fixture(dir, "run-b.json").toString()).status());
    }

    @Test
    void reportsOfDifferentCommitsAreNotComparedUnlessAsked(@TempDir final Path dir) throws IOException {
        final Path a = fixture(dir, "run-a.json");
        final Path other = Files.writeString(dir.resolve("other.json"),
                ReportJsonTest.resource("run-b.json").replace("1234567890ab", "ba0987654321"));
        final Outcome refused = run(a.toString(), other.toString());
        assertEquals(2, refused.status(), refused.toString());
        assertTrue(refused.err().contains("not of one commit (1234567890ab and ba0987654321)"), refused.err());
        final Outcome anyway = run("--any-commit", a.toString(), other.toString());
        assertEquals(1, anyway.status(), anyway.toString());
        assertTrue(anyway.out().contains("note: the reports are not of one commit"), anyway.out());
    }

    @Test
    void aRatioInOneRunOnlyIsADisagreement(@TempDir final Path dir) throws IOException {
        final Path a = fixture(dir, "run-a.json");
        // The second run lost its chameneos scores (say the benchmark failed).
        final Path lost = Files.writeString(dir.resolve("lost.json"), ReportJsonTest.resource("run-a.json")
                .replace("\"SavinaChameneos\",\n      \"params\"", "\"SavinaChameneosGone\",\n      \"params\""));
        final Outcome outcome = run(a.toString(), lost.toString());
        assertEquals(1, outcome.status(), outcome.toString());
        assertTrue(outcome.out().contains("DISAGREE: 1 headline ratios are in one run only: Savina chameneos"), outcome.out());
        assertTrue(outcome.out().contains("IN ONE RUN ONLY"), outcome.out());
    }

    /** @return the fixture with one machine probe (a round trip in ns) inserted before its settings */
    private static Path probed(final Path dir, final String name, final double roundTripNanos) throws IOException {
        final String state = "\"machineState\": {\"runStealPercent\": 0.5, \"calibrations\": [{\"when\": \"start\","
                + " \"at\": \"2026-12-06T10:00:00Z\", \"roundTripNanos\": " + roundTripNanos + ", \"computeNanos\": 1.0,"
                + " \"parallelSpeedup\": 1.9, \"stealPercent\": null}]},\n  \"settings\": {";
        final String json = ReportJsonTest.resource(name);
        assertTrue(json.contains("\"settings\": {"), name);
        return Files.writeString(dir.resolve(roundTripNanos + "-" + name), json.replace("\"settings\": {", state));
    }

    @Test
    void disagreeingRunsOnAMachineThatChangedAreInconclusive(@TempDir final Path dir) throws IOException {
        final Outcome outcome = run(probed(dir, "run-a.json", 50).toString(), probed(dir, "run-b.json", 120).toString());
        assertEquals(3, outcome.status(), outcome.toString());
        assertTrue(outcome.out().contains("DISAGREE: 1 of 4 headline ratios"), outcome.out());
        assertTrue(outcome.out().contains("MACHINE DIFFERS: round trip 50.00 ns (start) to 120.0 ns (start), 140.0% apart"),
                outcome.out());
        assertTrue(outcome.out().contains("INCONCLUSIVE"), outcome.out());
    }

    @Test
    void disagreeingRunsOnAMachineInOneStateAreADisagreement(@TempDir final Path dir) throws IOException {
        final Outcome outcome = run(probed(dir, "run-a.json", 50).toString(), probed(dir, "run-b.json", 55).toString());
        assertEquals(1, outcome.status(), outcome.toString());
        assertTrue(outcome.out().contains("MACHINE SAME: every probe of both runs is within 15.0%"), outcome.out());
        assertFalse(outcome.out().contains("INCONCLUSIVE"), outcome.out());
        final Outcome agreeing = run(probed(dir, "run-a.json", 50).toString(), probed(dir, "run-a.json", 200).toString());
        assertEquals(0, agreeing.status(), "ratios that agree agree, whatever the machine did: " + agreeing);
        final Outcome unprobed = run(fixture(dir, "run-a.json").toString(), probed(dir, "run-b.json", 120).toString());
        assertEquals(1, unprobed.status(), unprobed.toString());
        assertTrue(unprobed.out().contains("machine state: not probed in the first run"), unprobed.out());
    }

    @Test
    void badArgumentsExitTwo(@TempDir final Path dir) throws IOException {
        assertEquals(2, run(fixture(dir, "run-a.json").toString()).status());
        assertEquals(2, run("--limit", "x", "a", "b").status());
        assertEquals(2, run(dir.resolve("missing.json").toString(), dir.resolve("missing2.json").toString()).status());
        assertEquals(0, run("--help").status());
    }

    private static CompareReports.Row row(final List<CompareReports.Row> rows, final String target, final String system) {
        return rows.stream().filter(r -> r.target().equals(target) && r.system().equals(system)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + target + " [" + system + "] in " + rows));
    }
}
