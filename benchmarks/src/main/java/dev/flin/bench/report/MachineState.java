package dev.flin.bench.report;

import dev.flin.bench.report.MachineProbe.Calibration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * The state the machine was in while a report ran: {@link MachineProbe} calibrations taken before
 * the first benchmark and after the last, and the share of CPU time stolen over the whole run.
 *
 * <p>Two reports can only show that the code's figures repeat if the machine under them was the
 * same: {@link #differences(MachineState, MachineState, double)} says where it was not.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param calibrations     the probes, in the order taken; empty for reports older than the probe
 * @param runStealPercent  the share of CPU time the hypervisor stole between the first probe and the
 *                         last, where {@code /proc/stat} tells
 */
public record MachineState(List<Calibration> calibrations, OptionalDouble runStealPercent) {

    /** Copies the list. */
    public MachineState {
        calibrations = List.copyOf(Objects.requireNonNull(calibrations, "calibrations"));
        Objects.requireNonNull(runStealPercent, "runStealPercent");
    }

    /** @return the state of a report that did not probe the machine */
    public static MachineState unmeasured() {
        return new MachineState(List.of(), OptionalDouble.empty());
    }

    /** @return whether any probe was taken */
    public boolean measured() {
        return !calibrations.isEmpty();
    }

    /**
     * @param limitPercent the largest relative difference still counted as the same state
     * @return the probes' figures that moved by more than the limit during this run, described
     */
    public List<String> changesDuringTheRun(final double limitPercent) {
        return spread(calibrations, limitPercent);
    }

    /**
     * Were two reports measured on the machine in one state? Compares every probe of both (so a
     * change during either run counts too), figure by figure, by the relative difference
     * {@code (max - min) / min} that {@link CompareReports} applies to ratios.
     *
     * @param first        one report's state
     * @param second       the other's
     * @param limitPercent the largest relative difference still counted as the same state
     * @return the figures that differ by more than the limit, described; empty when the states
     *         agree (or when neither was measured: see {@link #measured()})
     */
    public static List<String> differences(final MachineState first, final MachineState second, final double limitPercent) {
        final List<Calibration> all = new ArrayList<>(first.calibrations);
        all.addAll(second.calibrations);
        return spread(all, limitPercent);
    }

    private static List<String> spread(final List<Calibration> probes, final double limitPercent) {
        final List<String> out = new ArrayList<>();
        check(out, probes, "round trip", "ns", Calibration::roundTripNanos, limitPercent);
        check(out, probes, "compute", "ns/step", Calibration::computeNanos, limitPercent);
        check(out, probes, "parallel speed-up", "x", Calibration::parallelSpeedup, limitPercent);
        return out;
    }

    private static void check(final List<String> out, final List<Calibration> probes, final String name, final String unit,
                              final ToDoubleFunction<Calibration> figure, final double limitPercent) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        String low = "";
        String high = "";
        for (final Calibration probe : probes) {
            final double value = figure.applyAsDouble(probe);
            if (!(value > 0) || Double.isInfinite(value)) {
                continue;
            }
            if (value < min) {
                min = value;
                low = probe.when();
            }
            if (value > max) {
                max = value;
                high = probe.when();
            }
        }
        if (max > min) {
            final double difference = (max - min) / min * 100;
            if (difference > limitPercent) {
                out.add(String.format(Locale.ROOT, "%s %s %s (%s) to %s %s (%s), %s apart", name, Format.number(min), unit, low,
                        Format.number(max), unit, high, Format.percent(difference)));
            }
        }
    }
}
