package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {

    private static final String REPORT = MarkdownReport.render(SampleModel.build(),
            Set.of("OneToOneTell.png", "ManyToOneTell.png", Charts.LATENCY_FILE));

    /** @return the text from the heading to the next heading of the same or a higher level */
    private static String section(final String heading) {
        final int start = REPORT.indexOf(heading + "\n");
        assertTrue(start >= 0, "no section " + heading + " in\n" + REPORT);
        final String level = heading.substring(0, heading.indexOf(' ') + 1);
        int end = REPORT.length();
        for (String h = "\n#"; h.length() <= level.length(); h += "#") {
            final int next = REPORT.indexOf(h + " ", start + heading.length());
            if (next >= 0) {
                end = Math.min(end, next);
            }
        }
        return REPORT.substring(start, end);
    }

    /** @return the cells of the first table row in {@code text} whose first cell is {@code first} */
    private static List<String> row(final String text, final String first) {
        for (final String line : text.split("\n")) {
            if (line.startsWith("| " + first + " |")) {
                // Cells are separated by pipes that are not escaped.
                return Arrays.stream(line.substring(1, line.length() - 1).split("(?<!\\\\)\\|", -1)).map(String::strip).toList();
            }
        }
        throw new AssertionError("no row " + first + " in\n" + text);
    }

    @Test
    void scenarioRowsCarryScoreUnitAllocationAndRatiosForOurRowsOnly() {
        final String oneToOne = section("### OneToOneTell");
        assertEquals(List.of("**flin-backoff**", "45,000,000 ± 450,000", "1.0%", "ops/s", "0.4", "4.50x", "0.90x"),
                row(oneToOne, "**flin-backoff**"));
        assertEquals(List.of("**flin-parking**", "20,000,000 ± 5,000,000", "25.0% ⚠", "ops/s", "24.00", "2.00x", "0.40x"),
                row(oneToOne, "**flin-parking**"));
        assertEquals(List.of("**flin-pinned**", "42,000,000 ± 420,000", "1.0%", "ops/s", "0.00", "4.20x", "0.84x"),
                row(oneToOne, "**flin-pinned**"));
        assertEquals(List.of("pekko", "10,000,000 ± 100,000", "1.0%", "ops/s", "40.00", "", ""), row(oneToOne, "pekko"));
        assertTrue(oneToOne.contains("![OneToOneTell](2026-11-25-jdk25/OneToOneTell.png)"), oneToOne);
    }

    @Test
    void timeRatiosAreTheirsOverOursAndMissingBaselinesAreMarked() {
        final String threadRing = section("### SavinaThreadRing");
        // Pekko 200 ms, ours 100 ms: ours is 2x better; there is no raw Disruptor in this scenario.
        assertEquals(List.of("**flin-backoff**", "100.0 ± ?", "? ⚠", "ms/op", "no data", "2.00x", "-"),
                row(threadRing, "**flin-backoff**"));
        assertFalse(threadRing.contains("!["), "no chart was written for it: " + threadRing);
    }

    @Test
    void headlineRowsWithAnErrorOfTenPercentOrMoreAreListedWithWhy() {
        final String errors = section("## Score error");
        assertTrue(errors.contains("25 headline rows, 16 at 10% or more."), errors);
        assertTrue(errors.contains("\nRows whose error is 10% or more of the score: OneToOneTell flin-parking 25.0%,"
                + " ManyToOneTell (producers=2) pekko 20.0%, SavinaCount pekko ?, SavinaCount flin-backoff ?,"), errors);
        assertEquals(List.of("OneToOneTell", "", "flin-parking", "20,000,000 ± 5,000,000 ops/s", "25.0%",
                "its forks disagree: their scores span 50.0% of the score (15,000,000 to 25,000,000)"),
                row(errors, "OneToOneTell"));
        assertEquals(List.of("ManyToOneTell", "producers=2", "pekko", "9,000,000 ± 1,800,000 ops/s", "20.0%",
                "iterations vary within each fork (the forks' scores span only 2.2%)"), row(errors, "ManyToOneTell"));
        assertEquals("JMH computed no error (too few measurements)", row(errors, "SavinaBig").get(5));
        // Ours at 1%: not listed; the producers=1 rows are fine too.
        assertFalse(errors.contains("flin-backoff 1.0%"), errors);
        assertFalse(errors.contains("| OneToOneTell |  | flin-backoff |"), errors);
    }

    @Test
    void aRunWhoseHeadlineRowsAreAllPreciseSaysNone() {
        final ReportModel sample = SampleModel.build();
        final ReportModel precise = new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(),
                sample.end(), List.of(Scenario.of("OneToOneTell", "x", List.of("flin-backoff", "threads"))),
                List.of(SampleModel.throughput("OneToOneTell", java.util.Map.of(), "flin-backoff", 100, 0),
                        new ScenarioResult("OneToOneTell", java.util.Map.of(), "threads", 100, 50, "ops/s", true,
                                java.util.OptionalDouble.empty())),
                List.of(), List.of(), List.of(), List.of());
        final String report = MarkdownReport.render(precise, Set.of());
        assertTrue(report.contains("\nRows whose error is 10% or more of the score: none.\n"), report);
        // threads is not a headline row of OneToOneTell: its 50% is shown but not marked.
        assertTrue(report.contains("| threads | 100.0 ± 50.00 | 50.0% | ops/s |"), report);
    }

    @Test
    void failedRunsAreShownAndExplained() {
        final String fanIn = section("### ManyToOneTell");
        assertTrue(fanIn.contains("**producers=2**"), fanIn);
        final String producers2 = fanIn.substring(fanIn.indexOf("**producers=2**"));
        assertEquals("FAILED (see Failures)", row(producers2, "**flin-backoff**").get(1));
        final String failures = section("## Failures");
        assertTrue(failures.contains("| ManyToOneTell | producers=2 | flin-backoff | java.util.concurrent.TimeoutException: stuck |"),
                failures);
        assertTrue(failures.contains("boom \\| pipe"), "pipes are escaped in cells: " + failures);
    }

    @Test
    void latencyTableIsInMicrosecondsWithOurP50AsAFractionOfPekkos() {
        final String latency = section("## PingPong latency");
        assertEquals(List.of("**flin-backoff**", "30,000", "2.00", "4.00", "20.00", "200.0", "2,000", "0.40x"),
                row(latency, "**flin-backoff**"));
        assertEquals("0.80x", row(latency, "**flin-parking**").get(7));
        assertEquals("no data", row(latency, "threads").get(1));
        assertTrue(latency.contains("(2026-11-25-jdk25/PingPong-latency.png)"), latency);
    }

    @Test
    void targetsTableHasVerdictsNoDataAndThePinnedColumn() {
        final String targets = section("## Targets");
        assertTrue(targets.contains("| target | required | flin-backoff | flin-yielding | flin-busyspin | flin-parking"
                + " | flin-pinned |"), targets);
        final List<String> vsPekko = row(targets, "one-to-one tell throughput (OneToOneTell), default pool, vs Pekko");
        assertEquals(">= 4x Pekko", vsPekko.get(1));
        assertEquals("4.50x MET", vsPekko.get(2));
        assertTrue(vsPekko.get(3).startsWith("no data"), "flin-yielding: " + vsPekko);
        assertEquals("2.00x NOT MET", vsPekko.get(5));
        assertEquals("-", vsPekko.get(6));
        final List<String> pinned = row(targets, "one-to-one tell throughput (OneToOneTell), pinned agent, vs raw Disruptor");
        assertEquals(List.of("-", "-", "-", "-", "0.84x MET"), pinned.subList(2, 7));
        final List<String> savina = row(targets, "Savina: geometric mean of Pekko time / our time over the 5 Savina scenarios");
        assertEquals("4.00x MET", savina.get(2));
        assertTrue(savina.get(5).startsWith("no data"), savina.toString());
        assertEquals("0.15x (1.00 vs 6.67 µs) MET", row(targets, "ping-pong time per round trip (PingPong, 1 / score) vs Pekko")
                .get(2));
        assertEquals("212.5 B NOT MET", row(targets, "heap per idle agent").get(2));
        assertFalse(targets.contains("allocation per message"), targets);
        assertFalse(targets.contains("NaN"), targets);
    }

    @Test
    void everySystemsVersionIsInTheVersionsTable() {
        final String versions = section("## Systems and versions");
        assertEquals(List.of("FLIN (this repository)", "`flin-backoff`, `flin-yielding`, `flin-busyspin`, `flin-parking`,"
                + " `flin-pinned`", "0.1.0-SNAPSHOT, commit `abc123`"), row(versions, "FLIN (this repository)"));
        assertEquals("1.7.0", row(versions, "Apache Pekko typed (`org.apache.pekko:pekko-actor-typed_2.13`)").get(2));
        assertEquals("4.0.0", row(versions, "LMAX Disruptor, raw (`com.lmax:disruptor`)").get(2));
        assertEquals("the JDK's, 25+36-LTS", row(versions, "JDK platform threads, virtual threads").get(2));
        assertEquals("Eclipse Adoptium OpenJDK 64-Bit Server VM 25+36-LTS", row(versions, "JDK").get(2));
        assertEquals("1.37", row(versions, "JMH (`org.openjdk.jmh:jmh-core`), the harness").get(2));
        assertEquals("4.2.18.Final", row(versions, "Netty (`io.netty`), under runtime-http; the HTTP report only").get(2));
    }

    @Test
    void theMachineStateTableShowsEveryProbeAndAChangeDuringTheRun() {
        final String state = section("## Machine state");
        assertEquals(List.of("start", "2026-11-25T10:00:01Z", "60.00", "0.9", "1.95x", "0.5%"), row(state, "start"));
        assertEquals(List.of("end", "2026-11-25T10:12:00Z", "90.00", "0.92", "1.90x", "unknown"), row(state, "end"));
        assertTrue(state.contains("CPU time stolen by the hypervisor over the run: 1.5%."), state);
        assertTrue(state.contains("**The machine's state changed during the run** (by more than 15.0%): round trip 60.00 ns"
                + " (start) to 90.00 ns (end), 50.0% apart."), state);
    }

    @Test
    void environmentFootprintNotesAndReproduce() {
        assertTrue(REPORT.startsWith("# FLIN baseline, 2026-11-25, JDK 25\n"), REPORT);
        assertTrue(REPORT.contains("- Duration: 12 min 5 s (estimated 11 min 0 s before the start)\n"), REPORT);
        final String settings = section("## JMH settings");
        assertTrue(settings.contains("- forks: 3 JVMs per trial"), settings);
        assertTrue(settings.contains("measurement 5 iterations x 1 s (15 measurements per score)"), settings);
        final String machine = section("## Machine");
        assertTrue(machine.contains("| cores (availableProcessors) | 2 |"), machine);
        assertTrue(machine.contains("| memory (MemTotal) | 24.0 GiB |"), machine);
        assertTrue(section("## JDK").contains("| version (java.runtime.version) | 25+36-LTS |"));
        assertTrue(section("## JVM flags").contains("`-Xms2g -Xmx2g -Dflin.bench.latencyDir=/tmp/x`"));
        assertTrue(section("## Notes").contains("- vthreads skipped: needs JDK 21"));
        final String footprint = section("## Idle footprint");
        assertEquals(List.of("**flin-backoff**", "1,000,000", "212.5", ""), row(footprint, "**flin-backoff**"));
        assertEquals(List.of("disruptor", "n/a", "n/a", "the raw Disruptor has no agents"), row(footprint, "disruptor"));
        assertTrue(row(footprint, "threads").get(3).contains("native memory"), footprint);
        final String reproduce = section("## How to reproduce");
        assertTrue(reproduce.contains("\nbash benchmarks/baseline.sh --include 'One|Ping' --time 1\n"), reproduce);
        assertTrue(reproduce.contains("\nJAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bash benchmarks/baseline.sh --include 'One|Ping'"
                + " --time 1\n"), reproduce);
    }

    @Test
    void anEmptyRunSaysNoDataEverywhere() {
        final ReportModel sample = SampleModel.build();
        final ReportModel empty = new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(),
                sample.end(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
        final String report = MarkdownReport.render(empty, Set.of());
        for (final String line : report.substring(report.indexOf("## Targets")).split("\n")) {
            if (line.startsWith("| ") && !line.startsWith("| target ")) {
                assertFalse(line.contains("MET"), line);
                assertTrue(line.contains("no data"), line);
            }
        }
    }
}
