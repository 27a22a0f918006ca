package dev.flin.bench.jmh;

import dev.flin.bench.Params;
import java.util.concurrent.TimeUnit;
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

/**
 * 256 pairs of agents, each pair bouncing a message back and forth, all at once: many more agents
 * than cores. Score: round trips per second, over all pairs.
 *
 * <pre>
 * pinger 1 &lt;--&gt; ponger 1
 *   ...            (256 pairs)
 * pinger 256 &lt;--&gt; ponger 256
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ManyPairsEcho {

    /** Which system runs the scenario, see {@code BenchSystem}. */
    @Param({"flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "pekko", "threads", "vthreads"})
    public String system;

    /** Pairs of agents. */
    static final int PAIRS = 256;
    /** Round trips per pair per operation. */
    static final int ROUND_TRIPS = 200;

    private WorkloadRunner runner;

    @Setup(Level.Trial)
    public void setUp() {
        runner = new WorkloadRunner(system, "ManyPairsEcho", factory -> factory.manyPairs(new Params.ManyPairs(PAIRS, ROUND_TRIPS)));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
    }

    @Benchmark
    @OperationsPerInvocation(ManyPairsEcho.PAIRS * ManyPairsEcho.ROUND_TRIPS)
    public long run() throws Exception {
        return runner.run();
    }
}
