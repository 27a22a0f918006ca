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
 * Fan-in: 1, 2 or 4 producer threads tell messages to one agent. Score: messages per second.
 *
 * <pre>
 * producer 1 --tell--\
 * producer 2 --tell---&gt; [mailbox] --&gt; agent (counts)
 * producer N --tell--/
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ManyToOneTell {

    /** Which system runs the scenario, see {@code BenchSystem}. */
    @Param({"flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "pekko", "threads", "vthreads", "disruptor"})
    public String system;

    /** Messages per operation, over all producers. */
    static final int TOTAL = 120_000;

    /** Producer threads. */
    @Param({"1", "2", "4"})
    public int producers;

    private WorkloadRunner runner;

    @Setup(Level.Trial)
    public void setUp() {
        runner = new WorkloadRunner(system, "ManyToOneTell", factory -> factory.manyToOne(new Params.ManyToOne(producers, TOTAL / producers)));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
    }

    @Benchmark
    @OperationsPerInvocation(ManyToOneTell.TOTAL)
    public long run() throws Exception {
        return runner.run();
    }
}
