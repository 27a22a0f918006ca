package dev.flin.bench.report;

import java.util.List;
import java.util.Objects;

/**
 * Issue 13's precision bar: every headline row's error (JMH's 99.9% confidence half-width, over the
 * measurement iterations of all forks) must be under {@value #LIMIT_PERCENT}% of its score, or the
 * ratios built on it say little. Finds the rows that miss it and says which kind of noise it is.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class ScoreErrors {

    /** A headline row's error must be under this percentage of its score. */
    public static final double LIMIT_PERCENT = 10.0;

    private ScoreErrors() {
    }

    /**
     * @param result a score
     * @return whether its error is {@value #LIMIT_PERCENT}% of the score or more, or unknown
     */
    public static boolean missesTheLimit(final ScenarioResult result) {
        final double percent = Objects.requireNonNull(result, "result").errorPercent();
        return Double.isNaN(percent) || percent >= LIMIT_PERCENT;
    }

    /**
     * @param model a report
     * @return its headline rows ({@link Targets#isHeadline}) that miss the limit, in the model's order
     */
    public static List<ScenarioResult> headlineRowsMissingTheLimit(final ReportModel model) {
        return Objects.requireNonNull(model, "model").results().stream().filter(Targets::isHeadline)
                .filter(ScoreErrors::missesTheLimit).toList();
    }

    /**
     * @param result a score
     * @return its error as shown, for example {@code 4.2%}, or {@code ?} when unknown
     */
    public static String percent(final ScenarioResult result) {
        final double percent = Objects.requireNonNull(result, "result").errorPercent();
        return Double.isNaN(percent) ? "?" : Format.percent(percent);
    }

    /**
     * Why a row's error is what it is, from its forks' own scores: when the forks disagree by the
     * limit or more, each JVM settled somewhere else (JIT decisions, thread placement) and longer
     * iterations will not help, more forks or a quieter machine will; when they agree, the iterations
     * vary inside each JVM (machine load, GC, the scheduler), which longer iterations smooth.
     *
     * @param result a score
     * @return one short clause
     */
    public static String why(final ScenarioResult result) {
        Objects.requireNonNull(result, "result");
        if (Double.isNaN(result.errorPercent())) {
            return "JMH computed no error (too few measurements)";
        }
        final double spread = result.forkSpreadPercent();
        if (Double.isNaN(spread)) {
            return "iterations vary (forks' own scores not known)";
        }
        if (spread >= LIMIT_PERCENT) {
            return "its forks disagree: their scores span " + Format.percent(spread) + " of the score ("
                    + Format.number(min(result.forkScores())) + " to " + Format.number(max(result.forkScores())) + ")";
        }
        return "iterations vary within each fork (the forks' scores span only " + Format.percent(spread) + ")";
    }

    private static double min(final List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double max(final List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
