package dev.flin.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A scenario (one benchmark class) as planned for a report: which systems were asked to run it,
 * with which values of its other parameters.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param name        the benchmark class's simple name, for example {@code OneToOneTell}
 * @param description one sentence: the topology and what one "op" of the score is
 * @param systems     the systems run (the values of the class's own system parameter that are selected and
 *                    available), in the class's order
 * @param otherParams the class's other parameters and their values, in the class's order (for
 *                    example {@code producers -> [1, 2, 4]}); empty when it has none
 */
public record Scenario(String name, String description, List<String> systems, Map<String, List<String>> otherParams) {

    /** Copies the collections, keeping their order. */
    public Scenario {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        systems = List.copyOf(Objects.requireNonNull(systems, "systems"));
        final Map<String, List<String>> copy = new LinkedHashMap<>();
        Objects.requireNonNull(otherParams, "otherParams").forEach((k, v) -> copy.put(k, List.copyOf(v)));
        otherParams = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * @param name        the benchmark class's simple name
     * @param description one sentence
     * @param systems     the systems run
     * @return a scenario without other parameters
     */
    public static Scenario of(final String name, final String description, final List<String> systems) {
        return new Scenario(name, description, systems, Map.of());
    }

    /**
     * @return every combination of {@link #otherParams()} values (one empty map when there are none),
     *         varying the last parameter fastest
     */
    public List<Map<String, String>> paramCombinations() {
        List<Map<String, String>> combinations = List.of(Map.of());
        for (final Map.Entry<String, List<String>> param : otherParams.entrySet()) {
            final List<Map<String, String>> next = new ArrayList<>();
            for (final Map<String, String> partial : combinations) {
                for (final String value : param.getValue()) {
                    final Map<String, String> combination = new LinkedHashMap<>(partial);
                    combination.put(param.getKey(), value);
                    next.add(java.util.Collections.unmodifiableMap(combination));
                }
            }
            combinations = next;
        }
        return combinations;
    }
}
