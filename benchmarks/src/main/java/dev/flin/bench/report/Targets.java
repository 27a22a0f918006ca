package dev.flin.bench.report;

import dev.flin.bench.BenchSystem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * The performance targets FLIN is held to, judged on a {@link ReportModel} for each of our idle
 * strategies. A target whose data is missing is judged {@link Verdict#NO_DATA}, never estimated.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class Targets {

    /** One-to-one tell throughput at least this many times Pekko's. */
    public static final double ONE_TO_ONE_VS_PEKKO = 3.0;
    /** One-to-one tell throughput at least this fraction of the raw Disruptor's. */
    public static final double ONE_TO_ONE_VS_DISRUPTOR = 0.6;
    /** Ping-pong median latency at most this fraction of Pekko's. */
    public static final double PING_PONG_P50_VS_PEKKO = 0.5;
    /** Fan-in throughput at least this many times Pekko's, for every producer count. */
    public static final double FAN_IN_VS_PEKKO = 2.0;
    /** Spawn + message + stop throughput at least this many times Pekko's. */
    public static final double SPAWN_VS_PEKKO = 2.0;
    /** Heap bytes per idle agent, at most. */
    public static final double IDLE_AGENT_BYTES = 300;
    /**
     * JMH's normalised allocation is an estimate (allocated bytes over operations, sampled per
     * iteration): at most this many bytes per message counts as zero.
     */
    public static final double ZERO_ALLOCATION_TOLERANCE = 1.0;
    /** Geometric mean of Pekko's time over ours across the Savina scenarios, at least. */
    public static final double SAVINA_GEOMEAN_VS_PEKKO = 2.0;
    /** The Savina scenarios whose geometric mean is judged. */
    public static final List<String> SAVINA = List.of("SavinaCount", "SavinaThreadRing", "SavinaChameneos", "SavinaBig",
            "SavinaFjThroughput");

    private static final String PEKKO = BenchSystem.PEKKO.id();
    private static final String DISRUPTOR = BenchSystem.DISRUPTOR.id();

    private Targets() {
    }

    /** Whether a target is met. */
    public enum Verdict {
        /** Measured and met. */
        MET("MET"),
        /** Measured and not met. */
        NOT_MET("NOT MET"),
        /** Not measured (the scenario, our result or the baseline's is missing). */
        NO_DATA("no data");

        private final String label;

        Verdict(final String label) {
            this.label = label;
        }

        /** @return how the report writes it */
        public String label() {
            return label;
        }
    }

    /**
     * One strategy's figure for one target.
     *
     * @param verdict  the verdict
     * @param measured the measured value as shown (for example {@code 3.41x}), or why there is no data
     */
    public record Cell(Verdict verdict, String measured) {
        /** Checks the components. */
        public Cell {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(measured, "measured");
        }

        static Cell judged(final boolean met, final String measured) {
            return new Cell(met ? Verdict.MET : Verdict.NOT_MET, measured);
        }

        static Cell noData(final String why) {
            return new Cell(Verdict.NO_DATA, why);
        }
    }

    /**
     * One target, judged for each of our strategies.
     *
     * @param name        what is measured
     * @param requirement the requirement, for example {@code >= 3x Pekko}
     * @param cells       the figure per FLIN system id, in {@link #flinSystems()} order
     */
    public record Target(String name, String requirement, Map<String, Cell> cells) {
        /** Copies the cells, keeping their order. */
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(requirement, "requirement");
            cells = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(cells, "cells")));
        }
    }

    /** @return our systems, one per idle strategy, in declaration order */
    public static List<String> flinSystems() {
        return Arrays.stream(BenchSystem.values()).filter(BenchSystem::isFlin).map(BenchSystem::id).toList();
    }

    /**
     * @param model a report
     * @return every target, judged for every FLIN strategy
     */
    public static List<Target> evaluate(final ReportModel model) {
        Objects.requireNonNull(model, "model");
        final List<Target> targets = new ArrayList<>();
        targets.add(target("one-to-one tell throughput (OneToOneTell) vs Pekko", ">= " + num(ONE_TO_ONE_VS_PEKKO) + "x Pekko",
                flin -> versus(model, "OneToOneTell", Map.of(), flin, PEKKO, ONE_TO_ONE_VS_PEKKO)));
        targets.add(target("one-to-one tell throughput (OneToOneTell) vs raw Disruptor",
                ">= " + Math.round(ONE_TO_ONE_VS_DISRUPTOR * 100) + "% of raw Disruptor",
                flin -> versus(model, "OneToOneTell", Map.of(), flin, DISRUPTOR, ONE_TO_ONE_VS_DISRUPTOR)));
        targets.add(target("ping-pong p50 latency (PingPong) vs Pekko", "<= " + num(PING_PONG_P50_VS_PEKKO) + "x Pekko's p50",
                flin -> pingPong(model, flin)));
        for (final String producers : producerCounts(model)) {
            targets.add(target("fan-in throughput (ManyToOneTell, producers=" + producers + ") vs Pekko",
                    ">= " + num(FAN_IN_VS_PEKKO) + "x Pekko",
                    flin -> versus(model, "ManyToOneTell", Map.of("producers", producers), flin, PEKKO, FAN_IN_VS_PEKKO)));
        }
        targets.add(target("spawn + message + stop throughput (SpawnMessageStop) vs Pekko", ">= " + num(SPAWN_VS_PEKKO) + "x Pekko",
                flin -> versus(model, "SpawnMessageStop", Map.of(), flin, PEKKO, SPAWN_VS_PEKKO)));
        targets.add(target("heap per idle agent", "<= " + num(IDLE_AGENT_BYTES) + " bytes", flin -> idle(model, flin)));
        targets.add(target("allocation per message, steady path (OneToOneTell gc.alloc.rate.norm)", "0 B/op",
                flin -> allocation(model, flin)));
        targets.add(target("Savina: geometric mean of Pekko time / our time over the " + SAVINA.size() + " Savina scenarios",
                ">= " + num(SAVINA_GEOMEAN_VS_PEKKO) + "x", flin -> savina(model, flin)));
        return targets;
    }

    /**
     * @param values positive numbers
     * @return their geometric mean, {@code NaN} when there are none or one is not positive
     */
    public static double geometricMean(final List<Double> values) {
        Objects.requireNonNull(values, "values");
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double logSum = 0;
        for (final double value : values) {
            if (!(value > 0) || Double.isInfinite(value)) {
                return Double.NaN;
            }
            logSum += Math.log(value);
        }
        return Math.exp(logSum / values.size());
    }

    private static Target target(final String name, final String requirement, final Function<String, Cell> judge) {
        final Map<String, Cell> cells = new LinkedHashMap<>();
        for (final String flin : flinSystems()) {
            cells.put(flin, judge.apply(flin));
        }
        return new Target(name, requirement, cells);
    }

    private static List<String> producerCounts(final ReportModel model) {
        final Optional<Scenario> fanIn = model.scenario("ManyToOneTell");
        if (fanIn.isPresent() && fanIn.get().otherParams().containsKey("producers")) {
            return fanIn.get().otherParams().get("producers");
        }
        final List<String> seen = new ArrayList<>();
        model.results("ManyToOneTell").stream().map(r -> r.params().get("producers"))
                .filter(Objects::nonNull).filter(p -> !seen.contains(p)).forEach(seen::add);
        return seen.isEmpty() ? List.of("1", "2", "4") : seen;
    }

    private static Cell versus(final ReportModel model, final String benchmark, final Map<String, String> params,
                               final String flin, final String baseline, final double atLeast) {
        final Optional<ScenarioResult> ours = model.result(benchmark, params, flin);
        final Optional<ScenarioResult> theirs = model.result(benchmark, params, baseline);
        if (ours.isEmpty()) {
            return Cell.noData("no data (no " + flin + " result)");
        }
        if (theirs.isEmpty()) {
            return Cell.noData("no data (no " + baseline + " result)");
        }
        final double ratio = ours.get().advantageOver(theirs.get());
        if (Double.isNaN(ratio)) {
            return Cell.noData("no data (a score is not positive)");
        }
        return Cell.judged(ratio >= atLeast, Format.ratio(ratio));
    }

    private static Cell pingPong(final ReportModel model, final String flin) {
        final Optional<Latency> ours = model.latency(flin);
        final Optional<Latency> pekko = model.latency(PEKKO);
        if (ours.isEmpty()) {
            return Cell.noData("no data (no " + flin + " latency)");
        }
        if (pekko.isEmpty() || pekko.get().p50() <= 0) {
            return Cell.noData("no data (no " + PEKKO + " latency)");
        }
        final double fraction = (double) ours.get().p50() / pekko.get().p50();
        return Cell.judged(fraction <= PING_PONG_P50_VS_PEKKO, Format.ratio(fraction) + " (" + Format.micros(ours.get().p50())
                + " vs " + Format.micros(pekko.get().p50()) + " µs)");
    }

    private static Cell idle(final ReportModel model, final String flin) {
        final Optional<Footprint> footprint = model.footprint(flin);
        if (footprint.isEmpty() || footprint.get().bytesPerAgent().isEmpty()) {
            return Cell.noData(footprint.isEmpty() ? "no data (not measured for " + flin + ")"
                    : "no data (" + footprint.get().status().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
        }
        final double bytes = footprint.get().bytesPerAgent().getAsDouble();
        return Cell.judged(bytes <= IDLE_AGENT_BYTES, Format.number(bytes) + " B");
    }

    private static Cell allocation(final ReportModel model, final String flin) {
        final Optional<ScenarioResult> ours = model.result("OneToOneTell", Map.of(), flin);
        if (ours.isEmpty()) {
            return Cell.noData("no data (no " + flin + " result)");
        }
        final OptionalDouble alloc = ours.get().allocBytesPerOp();
        if (alloc.isEmpty() || Double.isNaN(alloc.getAsDouble())) {
            return Cell.noData("no data (no gc.alloc.rate.norm)");
        }
        final double bytes = alloc.getAsDouble();
        if (bytes <= ZERO_ALLOCATION_TOLERANCE) {
            return Cell.judged(true, "0 B/op (raw " + Format.number(bytes) + ")");
        }
        return Cell.judged(false, Format.number(bytes) + " B/op");
    }

    private static Cell savina(final ReportModel model, final String flin) {
        final List<Double> ratios = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        for (final String benchmark : SAVINA) {
            final Optional<ScenarioResult> ours = model.result(benchmark, Map.of(), flin);
            final Optional<ScenarioResult> pekko = model.result(benchmark, Map.of(), PEKKO);
            final double ratio = ours.isPresent() && pekko.isPresent() ? ours.get().advantageOver(pekko.get()) : Double.NaN;
            if (Double.isNaN(ratio)) {
                missing.add(benchmark);
            } else {
                ratios.add(ratio);
            }
        }
        if (!missing.isEmpty()) {
            return Cell.noData("no data (missing " + String.join(", ", missing) + ")");
        }
        final double mean = geometricMean(ratios);
        return Cell.judged(mean >= SAVINA_GEOMEAN_VS_PEKKO, Format.ratio(mean));
    }

    private static String num(final double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
