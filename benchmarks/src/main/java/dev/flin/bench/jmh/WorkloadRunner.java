package dev.flin.bench.jmh;

import dev.flin.bench.BenchSystem;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import java.util.function.Function;

/**
 * What every benchmark does with its workload: create it for the system named by the
 * {@code system} parameter, run it, and refuse a result whose work was not all done.
 *
 * <p>Threading: used by the one benchmark thread of a {@code Scope.Benchmark} state.
 */
final class WorkloadRunner {

    private final Workload workload;
    private final String label;

    WorkloadRunner(final String system, final String scenario, final Function<WorkloadFactory, Workload> create) {
        this.workload = create.apply(BenchSystem.factoryFor(system)); // "flin-backoff+micrometer": see FlinObservability
        this.label = scenario + " on " + system;
    }

    /**
     * @return the work count, equal to the expected one
     * @throws Exception when the workload fails, or did less or more work than it must
     */
    long run() throws Exception {
        final long done = workload.runOnce();
        final long expected = workload.expected();
        if (done != expected) {
            throw new IllegalStateException(label + " did " + done + " units of work, expected " + expected
                    + ": the result is not valid");
        }
        return done;
    }

    void close() throws Exception {
        workload.close();
    }
}
