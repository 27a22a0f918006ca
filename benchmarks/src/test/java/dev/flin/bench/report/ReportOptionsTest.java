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
    void defaultsFitTheSuiteInFifteenMinutes() {
        final ReportOptions options = ReportOptions.parse();
        assertEquals(Path.of("docs/baseline"), options.out());
        assertEquals(2, options.warmupIterations());
        assertEquals(3, options.iterations());
        assertEquals(1, options.seconds());
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
    void refusesBadOptions() {
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--systems", "akka"));
        assertThrows(IllegalArgumentException.class, () -> ReportOptions.parse("--iterations", "0"));
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
