package dev.flin.bench.report;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A scenario run that produced no score, and why.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param benchmark the scenario, the benchmark class's simple name
 * @param params    the parameters other than {@code system}; empty when unknown or none
 * @param system    the system's id
 * @param reason    one line saying why (the exception's first line, usually)
 */
public record Failure(String benchmark, Map<String, String> params, String system, String reason) {

    /** Copies {@code params} into an unmodifiable map. */
    public Failure {
        Objects.requireNonNull(benchmark, "benchmark");
        params = Map.copyOf(new TreeMap<>(Objects.requireNonNull(params, "params")));
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(reason, "reason");
    }
}
