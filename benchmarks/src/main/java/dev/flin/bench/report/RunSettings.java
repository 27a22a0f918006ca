package dev.flin.bench.report;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the benchmarks were run: JMH's iteration settings and the subset selected.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param warmupIterations  warm-up iterations per trial
 * @param warmupSeconds     seconds per warm-up iteration
 * @param iterations        measurement iterations per trial
 * @param seconds           seconds per measurement iteration
 * @param forks             forked JVMs per trial
 * @param timeoutSeconds    JMH's per-iteration timeout
 * @param profilers         JMH profilers added (for example {@code gc})
 * @param include           the regex that selected the scenarios, if any
 * @param systems           the systems selected; empty when all
 * @param arguments         the report's command-line arguments, as given, for "how to reproduce"
 * @param estimate          how long the run was estimated to take before it started ({@link RunEstimate})
 */
public record RunSettings(int warmupIterations, int warmupSeconds, int iterations, int seconds, int forks,
                          int timeoutSeconds, List<String> profilers, Optional<String> include, List<String> systems,
                          List<String> arguments, Duration estimate) {

    /** Copies the lists. */
    public RunSettings {
        profilers = List.copyOf(Objects.requireNonNull(profilers, "profilers"));
        Objects.requireNonNull(include, "include");
        systems = List.copyOf(Objects.requireNonNull(systems, "systems"));
        arguments = List.copyOf(Objects.requireNonNull(arguments, "arguments"));
        Objects.requireNonNull(estimate, "estimate");
    }
}
