package dev.flin.bench.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a baseline report shows, independent of JMH: what was run, where, the scores, the
 * failures, the latencies and the idle footprints. {@link MarkdownReport} and {@link Charts} render
 * it; {@link JmhResults} builds its scores from JMH's results.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param date        the day the run started (names the files)
 * @param environment machine, JDK, JVM flags
 * @param settings    JMH settings and selection
 * @param start       when the run started
 * @param end         when the run ended
 * @param scenarios   the scenarios run, in order
 * @param results     the scores
 * @param failures    the runs that produced no score
 * @param latencies   the ping-pong latency percentiles per system
 * @param footprints  the idle footprint per system
 * @param notes       things the reader must know (systems skipped and why)
 */
public record ReportModel(LocalDate date, Environment environment, RunSettings settings, Instant start, Instant end,
                          List<Scenario> scenarios, List<ScenarioResult> results, List<Failure> failures,
                          List<Latency> latencies, List<Footprint> footprints, List<String> notes) {

    /** Copies the lists. */
    public ReportModel {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        scenarios = List.copyOf(Objects.requireNonNull(scenarios, "scenarios"));
        results = List.copyOf(Objects.requireNonNull(results, "results"));
        failures = List.copyOf(Objects.requireNonNull(failures, "failures"));
        latencies = List.copyOf(Objects.requireNonNull(latencies, "latencies"));
        footprints = List.copyOf(Objects.requireNonNull(footprints, "footprints"));
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }

    /**
     * @param date    the day
     * @param feature the JDK feature release
     * @return the base name of a report's files, for example {@code 2026-11-25-jdk17}
     */
    public static String baseName(final LocalDate date, final int feature) {
        return Objects.requireNonNull(date, "date") + "-jdk" + feature;
    }

    /** @return the base name of this report's files, for example {@code 2026-11-25-jdk17} */
    public String baseName() {
        return baseName(date, environment.jdk().feature());
    }

    /** @return how long the run took */
    public Duration duration() {
        return Duration.between(start, end);
    }

    /**
     * @param benchmark a scenario
     * @return the scenario of that name, if run
     */
    public Optional<Scenario> scenario(final String benchmark) {
        return scenarios.stream().filter(s -> s.name().equals(benchmark)).findFirst();
    }

    /**
     * @param benchmark a scenario
     * @return its scores, in the order recorded
     */
    public List<ScenarioResult> results(final String benchmark) {
        return results.stream().filter(r -> r.benchmark().equals(benchmark)).toList();
    }

    /**
     * @param benchmark a scenario
     * @param params    the parameters other than {@code system}
     * @param system    a system's id
     * @return that score, if there is one
     */
    public Optional<ScenarioResult> result(final String benchmark, final Map<String, String> params,
                                           final String system) {
        return results.stream()
                .filter(r -> r.benchmark().equals(benchmark) && r.params().equals(params) && r.system().equals(system))
                .findFirst();
    }

    /**
     * @param system a system's id
     * @return its latency percentiles, if recorded
     */
    public Optional<Latency> latency(final String system) {
        return latencies.stream().filter(l -> l.system().equals(system)).findFirst();
    }

    /**
     * @param system a system's id
     * @return its idle footprint entry, if the step ran for it
     */
    public Optional<Footprint> footprint(final String system) {
        return footprints.stream().filter(f -> f.system().equals(system)).findFirst();
    }
}
