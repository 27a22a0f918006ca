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
 * One sender thread tells messages to one agent, which counts them. Score: messages per second.
 *
 * <pre>
 * sender thread --tell--&gt; [mailbox] --&gt; agent (counts)
 * </pre>
 *
 * <p>The mailbox holds {@value dev.flin.bench.Params#STREAM_MAILBOX_CAPACITY} messages on every
 * system that bounds it, the size of the raw Disruptor's ring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class OneToOneTell {

    /**
     * Which system runs the scenario, see {@code BenchSystem}; {@code flin-pinned} and
     * {@code flin-blocking} place the counting agent on {@code PINNED} / {@code BLOCKING} (rule 1.7).
     */
    @Param({"flin-backoff", "flin-yielding", "flin-busyspin", "flin-parking", "flin-pinned", "flin-blocking", "pekko",
            "threads", "vthreads", "disruptor"})
    public String system;

    /** Messages per operation. */
    static final int MESSAGES = 100_000;

    private WorkloadRunner runner;

    @Setup(Level.Trial)
    public void setUp() {
        runner = new WorkloadRunner(system, "OneToOneTell", factory -> factory.oneToOne(new Params.OneToOne(MESSAGES)));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        runner.close();
    }

    @Benchmark
    @OperationsPerInvocation(OneToOneTell.MESSAGES)
    public long run() throws Exception {
        return runner.run();
    }
}
