package dev.flin.bench.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * One measured score: one scenario (benchmark class) on one system with one set of the other
 * parameters, independent of JMH's own types so that reports can be rendered from hand-built data.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param benchmark        the scenario, the benchmark class's simple name (for example {@code OneToOneTell})
 * @param params           the benchmark's parameters other than {@code system} (for example
 *                         {@code producers=2}), sorted by name; empty when it has none
 * @param system           the system's id, as in {@code BenchSystem.id()}
 * @param score            JMH's primary score
 * @param error            JMH's score error (99.9% half-width); {@code NaN} when JMH could not compute one
 * @param unit             the score's unit, for example {@code ops/s} or {@code ms/op}
 * @param higherIsBetter   {@code true} for throughput scores, {@code false} for times
 * @param allocBytesPerOp  bytes allocated per operation ({@code gc.alloc.rate.norm}), when measured
 * @param forkScores       each fork's own score (the mean of its measurement iterations), in fork
 *                         order; empty when not known
 */
public record ScenarioResult(String benchmark, Map<String, String> params, String system, double score, double error,
                             String unit, boolean higherIsBetter, OptionalDouble allocBytesPerOp, List<Double> forkScores) {

    /** Copies {@code params} into an unmodifiable map sorted by name. */
    public ScenarioResult {
        Objects.requireNonNull(benchmark, "benchmark");
        params = Map.copyOf(new TreeMap<>(Objects.requireNonNull(params, "params")));
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(allocBytesPerOp, "allocBytesPerOp");
        forkScores = List.copyOf(Objects.requireNonNull(forkScores, "forkScores"));
    }

    /** A result whose forks' own scores are not known. */
    public ScenarioResult(final String benchmark, final Map<String, String> params, final String system, final double score,
                          final double error, final String unit, final boolean higherIsBetter,
                          final OptionalDouble allocBytesPerOp) {
        this(benchmark, params, system, score, error, unit, higherIsBetter, allocBytesPerOp, List.of());
    }

    /**
     * @return the error as a percentage of the score (for example {@code 4.2}); {@code NaN} when JMH
     *         computed no error or the score is not positive
     */
    public double errorPercent() {
        if (!(score > 0) || Double.isNaN(error) || Double.isInfinite(error) || Double.isInfinite(score)) {
            return Double.NaN;
        }
        return Math.abs(error) / score * 100;
    }

    /**
     * @return how far apart the forks' own scores are, as a percentage of the score: (highest -
     *         lowest) / score; {@code NaN} with fewer than two forks known or a score that is not positive
     */
    public double forkSpreadPercent() {
        if (forkScores.size() < 2 || !(score > 0)) {
            return Double.NaN;
        }
        final double max = forkScores.stream().mapToDouble(Double::doubleValue).max().getAsDouble();
        final double min = forkScores.stream().mapToDouble(Double::doubleValue).min().getAsDouble();
        return (max - min) / score * 100;
    }

    /** @return {@link #params()} in name order (the record's map does not keep an order) */
    public TreeMap<String, String> sortedParams() {
        return new TreeMap<>(params);
    }

    /**
     * How much better this result is than {@code baseline}, direction-aware: for a throughput it is
     * this score over the baseline's, for a time it is the baseline's over this one, so a value above
     * 1 always means this result is the better one.
     *
     * @param baseline a result of the same scenario and parameters on another system
     * @return the ratio, {@code NaN} when either score is not positive
     * @throws IllegalArgumentException when the two do not measure the same thing the same way
     */
    public double advantageOver(final ScenarioResult baseline) {
        Objects.requireNonNull(baseline, "baseline");
        if (higherIsBetter != baseline.higherIsBetter || !unit.equals(baseline.unit)) {
            throw new IllegalArgumentException("cannot compare " + this + " with " + baseline);
        }
        if (!(score > 0) || !(baseline.score > 0)) {
            return Double.NaN;
        }
        return higherIsBetter ? score / baseline.score : baseline.score / score;
    }
}
