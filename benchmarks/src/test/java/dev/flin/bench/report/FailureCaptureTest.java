package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

class FailureCaptureTest {

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final FailureCapture capture = new FailureCapture(
            OutputFormatFactory.createFormatInstance(new PrintStream(console, true, StandardCharsets.UTF_8), VerboseMode.NORMAL));

    @Test
    void remembersTheFirstLineOfEachFailureForItsBenchmark() {
        capture.begin("ManyToOneTell", Map.of("producers", "2"), "pekko");
        capture.print("# Warmup Iteration   1: ");
        capture.println("<failure>");
        capture.println("");
        capture.println("java.lang.IllegalStateException: ManyToOneTell on pekko did 3 units of work, expected 4\n"
                + "\tat dev.flin.bench.jmh.WorkloadRunner.run(WorkloadRunner.java:33)\n"
                + "Caused by: java.util.concurrent.TimeoutException: waited 60 s\n\tat x.y(Z.java:1)\n");
        capture.println("");
        capture.begin("ManyToOneTell", Map.of("producers", "4"), "pekko");
        capture.println("# Warmup Iteration   1: 123.4 ops/s");

        assertEquals(Optional.of("java.lang.IllegalStateException: ManyToOneTell on pekko did 3 units of work, expected 4"
                        + " (Caused by: java.util.concurrent.TimeoutException: waited 60 s)"),
                capture.reason("ManyToOneTell", Map.of("producers", "2"), "pekko"));
        assertEquals(Optional.empty(), capture.reason("ManyToOneTell", Map.of("producers", "4"), "pekko"));
        assertEquals(Optional.empty(), capture.reason("ManyToOneTell", Map.of("producers", "2"), "flin-backoff"));
    }

    @Test
    void aForkedJvmThatDiesIsAFailureToo() {
        capture.begin("PingPong", Map.of(), "threads");
        capture.feed("<forked VM failed with exit code 134>\n<stdout last='20 lines'>\n");
        assertEquals(Optional.of("forked VM failed with exit code 134"), capture.reason("PingPong", Map.of(), "threads"));
    }

    @Test
    void passesEverythingThrough() {
        capture.println("hello");
        capture.flush();
        assertEquals("hello" + System.lineSeparator(), console.toString(StandardCharsets.UTF_8));
    }
}
