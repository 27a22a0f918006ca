package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.bench.jmh.ManyToOneTell;
import dev.flin.bench.jmh.PingPong;
import dev.flin.bench.jmh.SavinaBig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportOptionsTest {

    @Test
    void defaultsAreThreeForksOfTwoWarmUpAndFiveMeasuredSeconds() {
        final ReportOptions options = ReportOptions.parse();
        assertEquals(Path.of("docs/baseline"), options.out());
        assertEquals(3, options.forks());
        assertEquals(2, options.warmupIterations());
        assertEquals(5, options.iterations());
        assertEquals(1, options.seconds());
        assertFalse(options.estimateOnly());
        assertTrue(options.includes("SavinaBig"));
        assertTrue(options.includes(BaselineReport.FOOTPRINT_STEP));
        assertTrue(options.selects("vthreads"));
    }

    @Test
    void selectsASubset() {
        final ReportOptions options = ReportOptions.parse("--include", "OneToOne|Ping", "--systems", "pekko, flin-backoff",
                "--time", "2", "--out", "/tmp/x");
        assertTrue(options.includes("OneToOneTell"));
        assertTrue(options.includes("PingPong"));
        assertFalse(options.includes("ManyToOneTell"));
        assertFalse(options.includes(BaselineReport.FOOTPRINT_STEP));
        assertEquals(List.of("pekko", "flin-backoff"), options.systems());
        assertFalse(options.selects("threads"));
        assertEquals(2, options.seconds());
        assertEquals(8, options.arguments().size());
    }

    @Test
    void forksAndEstimate() {
        final ReportOptions options = ReportOptions.parse("--forks", "5", "--estimate", "--iterations", "2");
        assertEquals(5, options.forks());
        assertTrue(options.estimateOnly());
        assertEquals(2, options.iterations());
        assertEquals(List.of("--forks", "5", "--estimate", "--iterations", "2"), options.arguments());
        assertTrue(ReportOptions.USAGE.contains("--forks"), ReportOptions.USAGE);
    }

    @Test
    void theFullSuiteWithTheDefaultsIsEstimatedFromItsTrials() {
        // JDK 17: 7 systems (no virtual threads), ManyToOneTell x 3 producer counts, no Disruptor in most: 78 trials.
        final List<String> jdk17 = List.of("flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "pekko", "threads",
                "disruptor");
        final List<Scenario> scenarios = BaselineReport.BENCHMARKS.stream().map(b -> new Scenario(b.getSimpleName(), "",
                BaselineReport.classSystems(b, jdk17), BaselineReport.otherParams(b))).toList();
        final ReportOptions defaults = ReportOptions.parse();
        final RunEstimate estimate = RunEstimate.of(scenarios, defaults.forks(), defaults.warmupIterations(),
                defaults.iterations(), defaults.seconds(), 3);
        assertEquals(78, estimate.trials());
        assertEquals(78 * 3 * (7 + RunEstimate.FORK_OVERHEAD_SECONDS) + 3 * RunEstimate.FOOTPRINT_SECONDS_PER_SYSTEM,
                estimate.total().toSeconds());
        assertTrue(estimate.describe().startsWith("78 trials x 3 forks x (7 s of iterations"), estimate.describe());
    }

    @Test
    void refusesBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--systems", "akka"));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--iterations", "0"));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--forks", "0"));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--time"));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--include", "("));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--bogus", "1"));
    }

    @Test
    void readsEachBenchmarksOwnParameters() {
        assertEquals(List.of("flin-backoff", "pekko", "disruptor"),
                BaselineReport.classSystems(PingPong.class, List.of("disruptor", "pekko", "flin-backoff")));
        assertEquals(List.of("pekko"), BaselineReport.classSystems(SavinaBig.class, List.of("disruptor", "pekko")));
        assertEquals(Map.of("producers", List.of("1", "2", "4")), BaselineReport.otherParams(ManyToOneTell.class));
        assertEquals(Map.of(), BaselineReport.otherParams(PingPong.class));
        final List<String> args = BaselineReport.jvmArgsAppend(PingPong.class, Path.of("/tmp/lat"));
        assertEquals(List.of("-Xms2g", "-Xmx2g", "-Dflin.bench.latencyDir=/tmp/lat"), args);
    }
}
