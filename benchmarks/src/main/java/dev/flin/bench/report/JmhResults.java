package dev.flin.bench.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/**
 * The one place that knows JMH's result types: turns a {@link RunResult} into a
 * {@link ScenarioResult}.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class JmhResults {

    /** The benchmark parameter that names the system. */
    public static final String SYSTEM_PARAM = "system";
    /** The GC profiler's secondary result: bytes allocated per operation. */
    public static final String ALLOC_NORM = "gc.alloc.rate.norm";

    private JmhResults() {
    }

    /**
     * @param result one JMH run result (one benchmark with one set of parameters)
     * @return the model's view of it
     * @throws IllegalArgumentException when the benchmark has no {@value #SYSTEM_PARAM} parameter
     */
    public static ScenarioResult toScenarioResult(final RunResult result) {
        Objects.requireNonNull(result, "result");
        final BenchmarkParams params = result.getParams();
        final String system = params.getParam(SYSTEM_PARAM);
        if (system == null) {
            throw new IllegalArgumentException(params.getBenchmark() + " has no '" + SYSTEM_PARAM + "' parameter");
        }
        final Result<?> primary = result.getPrimaryResult();
        final Result<?> alloc = result.getSecondaryResults().get(ALLOC_NORM);
        final List<Double> forkScores = new ArrayList<>();
        for (final BenchmarkResult fork : result.getBenchmarkResults()) {
            forkScores.add(fork.getPrimaryResult().getScore());
        }
        return new ScenarioResult(scenarioName(params.getBenchmark()), otherParams(params), system, primary.getScore(),
                primary.getScoreError(), primary.getScoreUnit(), params.getMode() == Mode.Throughput,
                alloc == null ? OptionalDouble.empty() : OptionalDouble.of(alloc.getScore()), forkScores);
    }

    /**
     * @param params a benchmark's parameters
     * @return all of them but {@value #SYSTEM_PARAM}, by name
     */
    public static Map<String, String> otherParams(final BenchmarkParams params) {
        final Map<String, String> other = new TreeMap<>();
        for (final String key : params.getParamsKeys()) {
            if (!SYSTEM_PARAM.equals(key)) {
                other.put(key, params.getParam(key));
            }
        }
        return other;
    }

    /**
     * @param benchmark JMH's benchmark name, for example {@code dev.flin.bench.jmh.OneToOneTell.run}
     * @return the class's simple name, for example {@code OneToOneTell}
     */
    public static String scenarioName(final String benchmark) {
        final String[] parts = Objects.requireNonNull(benchmark, "benchmark").split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }

    /**
     * @param results JMH's results
     * @return the distinct JVM argument lists their forks ran with, in first-seen order
     */
    public static List<List<String>> distinctJvmArgs(final Collection<RunResult> results) {
        final List<List<String>> distinct = new ArrayList<>();
        for (final RunResult result : results) {
            final List<String> args = new ArrayList<>();
            for (final Object arg : result.getParams().getJvmArgs()) {
                args.add(String.valueOf(arg));
            }
            if (!distinct.contains(args)) {
                distinct.add(List.copyOf(args));
            }
        }
        return distinct;
    }
}
