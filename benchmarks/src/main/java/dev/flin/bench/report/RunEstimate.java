package dev.flin.bench.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How long a report run will take, worked out before it starts from what it will run: every trial
 * (one scenario on one system with one set of parameters) runs {@code forks} JVMs, each doing its
 * warm-up and measurement iterations after starting up; the idle-footprint step runs one JVM per
 * system measured.
 *
 * <p>The fixed costs are estimates from earlier runs on a 2-core machine; the JVM's start, the
 * workload's setup and teardown and JMH's own work take about {@value #FORK_OVERHEAD_SECONDS} s per
 * fork there.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param trials             trials to run
 * @param forks              JVMs per trial
 * @param secondsPerFork     seconds of iterations per fork (warm-up and measurement)
 * @param footprintSystems   systems whose idle footprint is measured
 * @param total              the whole run, estimated
 */
public record RunEstimate(int trials, int forks, int secondsPerFork, int footprintSystems, Duration total) {

    /** Seconds per forked JVM beyond its iterations: start-up, setup, teardown. */
    public static final int FORK_OVERHEAD_SECONDS = 3;
    /** Seconds per system of the idle-footprint step (a fresh JVM spawning up to a million agents). */
    public static final int FOOTPRINT_SECONDS_PER_SYSTEM = 20;

    /** Checks the components. */
    public RunEstimate {
        Objects.requireNonNull(total, "total");
    }

    /**
     * @param scenarios        the scenarios to run, with their systems and parameters
     * @param forks            JVMs per trial
     * @param warmupIterations warm-up iterations per fork
     * @param iterations       measurement iterations per fork
     * @param seconds          seconds per iteration
     * @param footprintSystems systems whose idle footprint will be measured (0 when the step is not run)
     * @return the estimate
     */
    public static RunEstimate of(final List<Scenario> scenarios, final int forks, final int warmupIterations,
                                 final int iterations, final int seconds, final int footprintSystems) {
        Objects.requireNonNull(scenarios, "scenarios");
        final int trials = scenarios.stream().mapToInt(s -> s.systems().size() * s.paramCombinations().size()).sum();
        final int perFork = (warmupIterations + iterations) * seconds;
        final long total = (long) trials * forks * (perFork + FORK_OVERHEAD_SECONDS)
                + (long) footprintSystems * FOOTPRINT_SECONDS_PER_SYSTEM;
        return new RunEstimate(trials, forks, perFork, footprintSystems, Duration.ofSeconds(total));
    }

    /** @return for example {@code 78 trials x 3 forks x (7 s of iterations + ~3 s per JVM) + footprint 3 x ~20 s = ~40 min} */
    public String describe() {
        return trials + " trials x " + forks + (forks == 1 ? " fork" : " forks") + " x (" + secondsPerFork
                + " s of iterations + ~" + FORK_OVERHEAD_SECONDS + " s per JVM)"
                + (footprintSystems > 0 ? " + footprint " + footprintSystems + " x ~" + FOOTPRINT_SECONDS_PER_SYSTEM + " s" : "")
                + " = ~" + Format.duration(total);
    }
}
