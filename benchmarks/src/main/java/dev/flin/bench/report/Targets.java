package dev.flin.bench.report;

import dev.flin.bench.BenchSystem;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The performance targets FLIN is held to (issue 13), judged on a {@link ReportModel}: each
 * default-pool target for each of our idle strategies, the pinned-agent target for the pinned
 * system. A target whose data is missing is judged {@link Verdict#NO_DATA}, never estimated.
 *
 * <p>Every figure is a ratio within one run (except the idle heap, which is in bytes), so that two
 * runs can be compared figure by figure ({@link CompareReports}).
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class Targets {

    /** One-to-one tell throughput on the default pool, at least this many times Pekko's. */
    public static final double ONE_TO_ONE_VS_PEKKO = 4.0;
    /** One-to-one tell throughput on the default pool, at least this fraction of the raw Disruptor's. */
    public static final double ONE_TO_ONE_VS_DISRUPTOR = 0.5;
    /** One-to-one tell throughput to a pinned agent, at least this fraction of the raw Disruptor's. */
    public static final double PINNED_VS_DISRUPTOR = 0.8;
    /** Fan-in throughput at least this many times Pekko's, for each of {@link #FAN_IN_PRODUCERS}. */
    public static final double FAN_IN_VS_PEKKO = 2.0;
    /** The producer counts the fan-in target is judged for, each on its own. */
    public static final List<String> FAN_IN_PRODUCERS = List.of("1", "2", "4");
    /** Spawn + message + stop (driven from outside the pool) at least this many times Pekko's rate. */
    public static final double SPAWN_VS_PEKKO = 2.0;
    /** Spawn + message + stop at least this many times the virtual threads' rate. */
    public static final double SPAWN_VS_VTHREADS = 1.0;
    /** Heap bytes per idle agent, at most. */
    public static final double IDLE_AGENT_BYTES = 200;
    /** Savina chameneos at least this many times Pekko's speed (Pekko's time over ours). */
    public static final double CHAMENEOS_VS_PEKKO = 1.5;
    /** Geometric mean of Pekko's time over ours across the Savina scenarios, at least. */
    public static final double SAVINA_GEOMEAN_VS_PEKKO = 3.0;
    /** Ping-pong time per round trip at most this fraction of Pekko's. */
    public static final double PING_PONG_TIME_VS_PEKKO = 0.2;
    /** The Savina scenarios whose geometric mean is judged. */
    public static final List<String> SAVINA = List.of("SavinaCount", "SavinaThreadRing", "SavinaChameneos", "SavinaBig",
            "SavinaFjThroughput");
    /**
     * The system id of FLIN with the measuring agent pinned to its own thread, a {@code system} value
     * of {@code OneToOneTell}. A run without it judges the pinned target "no data".
     */
    public static final String PINNED = "flin-pinned";

    private static final String PEKKO = BenchSystem.PEKKO.id();
    private static final String DISRUPTOR = BenchSystem.DISRUPTOR.id();
    private static final String VTHREADS = BenchSystem.VTHREADS.id();
    private static final List<String> POOL = Stream.of(BenchSystem.FLIN_BACKOFF, BenchSystem.FLIN_YIELDING,
            BenchSystem.FLIN_BUSYSPIN, BenchSystem.FLIN_PARKING).map(BenchSystem::id).toList();
    /** The scenarios whose rows some target reads. */
    private static final Set<String> HEADLINE_SCENARIOS = Set.copyOf(Stream.concat(
            Stream.of("OneToOneTell", "PingPong", "ManyToOneTell", "SpawnMessageStop"), SAVINA.stream()).toList());

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
     * One system's figure for one target.
     *
     * @param verdict  the verdict
     * @param measured the measured value as shown (for example {@code 3.41x}), or why there is no data
     * @param value    the figure judged (the ratio, or the bytes), absent exactly when there is no data
     */
    public record Cell(Verdict verdict, String measured, OptionalDouble value) {
        /** Checks the components. */
        public Cell {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(measured, "measured");
            Objects.requireNonNull(value, "value");
            if ((verdict == Verdict.NO_DATA) == value.isPresent()) {
                throw new IllegalArgumentException(verdict + " with value " + value);
            }
        }

        static Cell judged(final boolean met, final double value, final String measured) {
            return new Cell(met ? Verdict.MET : Verdict.NOT_MET, measured, OptionalDouble.of(value));
        }

        static Cell noData(final String why) {
            return new Cell(Verdict.NO_DATA, why, OptionalDouble.empty());
        }
    }

    /**
     * One target, judged for each system it applies to.
     *
     * @param name        what is measured
     * @param requirement the requirement, for example {@code >= 4x Pekko}
     * @param ratio       whether its figures are ratios within one run (the idle heap is in bytes)
     * @param cells       the figure per FLIN system id: the {@link #poolSystems()} in their order, or
     *                    {@link #PINNED} alone
     */
    public record Target(String name, String requirement, boolean ratio, Map<String, Cell> cells) {
        /** Copies the cells, keeping their order. */
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(requirement, "requirement");
            cells = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(cells, "cells")));
        }
    }

    /** @return our systems on the default worker pool, one per idle strategy, in declaration order */
    public static List<String> poolSystems() {
        return POOL;
    }

    /**
     * @param targets judged targets
     * @return the systems they judge: {@link #poolSystems()}, then any other (the pinned one), in
     *         first-seen order
     */
    public static List<String> judgedSystems(final List<Target> targets) {
        final List<String> systems = new ArrayList<>(POOL);
        targets.stream().flatMap(t -> t.cells().keySet().stream()).filter(s -> !systems.contains(s)).forEach(systems::add);
        return systems;
    }

    /**
     * Whether a score is a headline row: one that a target reads, ours or the peer it is compared
     * with. Its error must be under 10% of its score for the target to be trusted.
     *
     * @param result a score
     * @return whether a target reads it
     */
    public static boolean isHeadline(final ScenarioResult result) {
        Objects.requireNonNull(result, "result");
        final String benchmark = result.benchmark();
        final String system = result.system();
        if (!HEADLINE_SCENARIOS.contains(benchmark)) {
            return false;
        }
        if (benchmark.equals("ManyToOneTell") && !FAN_IN_PRODUCERS.contains(result.params().get("producers"))) {
            return false;
        }
        if (POOL.contains(system) || system.equals(PEKKO)) {
            return true;
        }
        return (benchmark.equals("OneToOneTell") && (system.equals(DISRUPTOR) || system.equals(PINNED)))
                || (benchmark.equals("SpawnMessageStop") && system.equals(VTHREADS));
    }

    /**
     * @param model a report
     * @return every target, judged for every system it applies to
     */
    public static List<Target> evaluate(final ReportModel model) {
        Objects.requireNonNull(model, "model");
        final List<Target> targets = new ArrayList<>();
        targets.add(pool("one-to-one tell throughput (OneToOneTell), default pool, vs Pekko",
                ">= " + num(ONE_TO_ONE_VS_PEKKO) + "x Pekko",
                flin -> versus(model, "OneToOneTell", Map.of(), flin, PEKKO, ONE_TO_ONE_VS_PEKKO)));
        targets.add(pool("one-to-one tell throughput (OneToOneTell), default pool, vs raw Disruptor",
                ">= " + percent(ONE_TO_ONE_VS_DISRUPTOR) + " of raw Disruptor",
                flin -> versus(model, "OneToOneTell", Map.of(), flin, DISRUPTOR, ONE_TO_ONE_VS_DISRUPTOR)));
        targets.add(new Target("one-to-one tell throughput (OneToOneTell), pinned agent, vs raw Disruptor",
                ">= " + percent(PINNED_VS_DISRUPTOR) + " of raw Disruptor", true,
                Map.of(PINNED, versus(model, "OneToOneTell", Map.of(), PINNED, DISRUPTOR, PINNED_VS_DISRUPTOR))));
        for (final String producers : FAN_IN_PRODUCERS) {
            targets.add(pool("fan-in throughput (ManyToOneTell, producers=" + producers + ") vs Pekko",
                    ">= " + num(FAN_IN_VS_PEKKO) + "x Pekko",
                    flin -> versus(model, "ManyToOneTell", Map.of("producers", producers), flin, PEKKO, FAN_IN_VS_PEKKO)));
        }
        targets.add(pool("spawn + message + stop from outside the pool (SpawnMessageStop) vs Pekko",
                ">= " + num(SPAWN_VS_PEKKO) + "x Pekko",
                flin -> versus(model, "SpawnMessageStop", Map.of(), flin, PEKKO, SPAWN_VS_PEKKO)));
        targets.add(pool("spawn + message + stop from outside the pool (SpawnMessageStop) vs virtual threads",
                ">= " + num(SPAWN_VS_VTHREADS) + "x virtual threads",
                flin -> versus(model, "SpawnMessageStop", Map.of(), flin, VTHREADS, SPAWN_VS_VTHREADS)));
        targets.add(new Target("heap per idle agent", "<= " + num(IDLE_AGENT_BYTES) + " bytes", false,
                cells(flin -> idle(model, flin))));
        targets.add(pool("Savina chameneos (SavinaChameneos): Pekko time / our time",
                ">= " + num(CHAMENEOS_VS_PEKKO) + "x",
                flin -> versus(model, "SavinaChameneos", Map.of(), flin, PEKKO, CHAMENEOS_VS_PEKKO)));
        targets.add(pool("Savina: geometric mean of Pekko time / our time over the " + SAVINA.size() + " Savina scenarios",
                ">= " + num(SAVINA_GEOMEAN_VS_PEKKO) + "x", flin -> savina(model, flin)));
        targets.add(pool("ping-pong time per round trip (PingPong, 1 / score) vs Pekko",
                "<= " + num(PING_PONG_TIME_VS_PEKKO) + "x Pekko's time", flin -> pingPong(model, flin)));
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

    private static Target pool(final String name, final String requirement, final Function<String, Cell> judge) {
        return new Target(name, requirement, true, cells(judge));
    }

    private static Map<String, Cell> cells(final Function<String, Cell> judge) {
        final Map<String, Cell> cells = new LinkedHashMap<>();
        for (final String flin : POOL) {
            cells.put(flin, judge.apply(flin));
        }
        return cells;
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
        return Cell.judged(ratio >= atLeast, ratio, Format.ratio(ratio));
    }

    /** Our time per round trip over Pekko's: the inverse of our advantage in round trips per second. */
    private static Cell pingPong(final ReportModel model, final String flin) {
        final Optional<ScenarioResult> ours = model.result("PingPong", Map.of(), flin);
        final Optional<ScenarioResult> pekko = model.result("PingPong", Map.of(), PEKKO);
        if (ours.isEmpty()) {
            return Cell.noData("no data (no " + flin + " result)");
        }
        if (pekko.isEmpty()) {
            return Cell.noData("no data (no " + PEKKO + " result)");
        }
        final double advantage = ours.get().advantageOver(pekko.get());
        if (Double.isNaN(advantage)) {
            return Cell.noData("no data (a score is not positive)");
        }
        final double fraction = 1 / advantage;
        String shown = Format.ratio(fraction);
        if (ours.get().higherIsBetter() && ours.get().unit().equals("ops/s")) {
            shown += " (" + Format.number(1e6 / ours.get().score()) + " vs " + Format.number(1e6 / pekko.get().score())
                    + " µs)";
        }
        return Cell.judged(fraction <= PING_PONG_TIME_VS_PEKKO, fraction, shown);
    }

    private static Cell idle(final ReportModel model, final String flin) {
        final Optional<Footprint> footprint = model.footprint(flin);
        if (footprint.isEmpty() || footprint.get().bytesPerAgent().isEmpty()) {
            return Cell.noData(footprint.isEmpty() ? "no data (not measured for " + flin + ")"
                    : "no data (" + footprint.get().status().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")");
        }
        final double bytes = footprint.get().bytesPerAgent().getAsDouble();
        return Cell.judged(bytes <= IDLE_AGENT_BYTES, bytes, Format.number(bytes) + " B");
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
        return Cell.judged(mean >= SAVINA_GEOMEAN_VS_PEKKO, mean, Format.ratio(mean));
    }

    private static String num(final double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }

    private static String percent(final double fraction) {
        return Math.round(fraction * 100) + "%";
    }
}
