package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.bench.footprint.IdleFootprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small text formats the report reads: latency files, footprint lines, /proc files. */
class ParsingTest {

    @Test
    void readsALatencyFileAsPingPongWritesIt(@TempDir final Path dir) throws IOException {
        final Path file = Files.writeString(dir.resolve("PingPong-pekko.latency"),
                "count=50000\np50=4095\np90=5119\np99=12031\np99.9=40959\nmax=1900543\nmean=4466\n");
        assertEquals(new Latency("pekko", 50_000, 4095, 5119, 12_031, 40_959, 1_900_543, 4466), Latency.read("pekko", file));
    }

    @Test
    void latencyNeedsEveryValue() {
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Latency.parse("x", List.of("count=1", "p50=1", "p90=1", "p99=1", "max=1", "mean=1")));
        assertTrue(missing.getMessage().contains("p99.9"), missing.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Latency.parse("x", List.of("count=1", "p50=fast", "p90=1", "p99=1", "p99.9=1", "max=1", "mean=1")));
    }

    @Test
    void readsTheFootprintLineIdleFootprintPrints() {
        final String line = IdleFootprint.line(212.75, 1_000_000, "flin-backoff");
        assertEquals("bytesPerAgent=212.75 agents=1000000 system=flin-backoff", line);
        assertEquals(Optional.of(Footprint.measured("flin-backoff", 1_000_000, 212.75, "note")), Footprint.parseLine(line, "note"));
        assertEquals(Optional.of(Footprint.measured("pekko", 10, -3.5, "")),
                Footprint.parseLine("  system=pekko agents=10 bytesPerAgent=-3.5 ", ""));
    }

    @Test
    void otherLinesAreNotFootprints() {
        assertEquals(Optional.empty(), Footprint.parseLine("flin-backoff: used heap 1 B", ""));
        assertEquals(Optional.empty(), Footprint.parseLine("bytesPerAgent=1.0 agents=3", ""));
        assertThrows(IllegalArgumentException.class, () -> Footprint.parseLine("bytesPerAgent=x agents=3 system=s", ""));
    }

    @Test
    void aFailedChildSaysWhy() {
        assertEquals("java.lang.OutOfMemoryError: Java heap space", FootprintRunner.reason(List.of(
                "[0.01s] starting", "java.lang.OutOfMemoryError: Java heap space", "\tat a.b.C.d(C.java:1)")));
        assertEquals("last words", FootprintRunner.reason(List.of("first", "last words", "  ")));
        assertEquals("no output", FootprintRunner.reason(List.of()));
    }

    @Test
    void readsMachineFacts() {
        assertEquals(OptionalLong.of(24_683_620L * 1024), Machine.memTotal(List.of("MemFree: 1 kB", "MemTotal:       24683620 kB")));
        assertEquals(OptionalLong.empty(), Machine.memTotal(List.of("MemFree: 1 kB")));
        assertEquals(Optional.of("AMD EPYC 7B13"), Machine.cpuModel(List.of("processor\t: 0", "model name\t: AMD EPYC 7B13", "model name\t: other")));
    }
}
