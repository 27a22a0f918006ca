package dev.flin.bench.jmh;

import dev.flin.bench.Params;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina "chameneos": 100 creature agents meet through one broker agent (the mall) until 200,000
 * meetings have happened. Score: milliseconds per run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaChameneos {

    /** Which system runs the scenario, see {@code BenchSystem}. */
    @Param({"flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "pekko", "threads", "vthreads"})
    public String system;

    private WorkloadRunner runner;

    @Setup(Level.Trial)
    public void setUp() {
        runner = new WorkloadRunner(system, "SavinaChameneos", factory -> factory.chameneos(new Params.Chameneos(100, 200_000)));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
    }

    @Benchmark
    public long run() throws Exception {
        return runner.run();
    }
}
