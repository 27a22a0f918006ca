package dev.flin.bench.jmh;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Two agents bounce one message back and forth. Score: round trips per second. Each round trip's
 * latency, measured by the pinger from sending the ping to receiving its pong, is recorded in an
 * HdrHistogram during the measurement iterations only; when the system property
 * {@value #LATENCY_DIR_PROPERTY} names a directory, the trial writes the percentiles there as
 * {@code PingPong-<system>.latency} (lines of {@code name=value}, values in nanoseconds).
 *
 * <pre>
 * pinger --ping--&gt; ponger
 *   ^                |
 *   +-----pong-------+
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PingPong {

    /** The system property naming the directory the latency percentiles are written to. */
    public static final String LATENCY_DIR_PROPERTY = "flin.bench.latencyDir";

    /** Round trips per operation. */
    static final int ROUND_TRIPS = 10_000;

    /** Which system runs the scenario, see {@code BenchSystem}. */
    @Param({"flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "pekko", "threads", "vthreads", "disruptor"})
    public String system;

    /** Up to 10 s, 3 significant digits; written by the pinger only, read after the trial. */
    private final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    /** Set by the benchmark thread before each iteration; read by the pinger after the send that starts it. */
    private boolean measuring;
    private WorkloadRunner runner;

    @Setup(Level.Trial)
    public void setUp() {
        final LatencyRecorder recorder = nanos -> {
            if (measuring) {
                histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
            }
        };
        runner = new WorkloadRunner(system, "PingPong", factory -> factory.pingPong(new Params.PingPong(ROUND_TRIPS), recorder));
    }

    @Setup(Level.Iteration)
    public void beforeIteration(final IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
        final String dir = System.getProperty(LATENCY_DIR_PROPERTY);
        if (dir != null && histogram.getTotalCount() > 0) {
            writePercentiles(Path.of(dir).resolve("PingPong-" + system + ".latency"));
        }
    }

    private void writePercentiles(final Path file) throws IOException {
        Files.createDirectories(file.getParent());
        try (PrintStream out = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            out.println("count=" + histogram.getTotalCount());
            out.println("p50=" + histogram.getValueAtPercentile(50));
            out.println("p90=" + histogram.getValueAtPercentile(90));
            out.println("p99=" + histogram.getValueAtPercentile(99));
            out.println("p99.9=" + histogram.getValueAtPercentile(99.9));
            out.println("max=" + histogram.getMaxValue());
            out.println("mean=" + Math.round(histogram.getMean()));
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public long run() throws Exception {
        return runner.run();
    }
}
