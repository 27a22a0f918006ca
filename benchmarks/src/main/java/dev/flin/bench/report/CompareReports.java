package dev.flin.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Do two baseline runs of the same commit agree? Reads two report JSON files ({@link ReportJson}),
 * judges both with {@link Targets}, and prints every headline ratio (each target's figure for each
 * system it applies to) from both runs with their relative difference, flagging any over
 * {@value #DEFAULT_LIMIT_PERCENT}% (issue 13). The idle heap is not a ratio within a run and is shown
 * but not judged.
 *
 * <p>The relative difference is {@code |a - b| / min(a, b)}: the larger of "b relative to a" and
 * "a relative to b", so the order of the files does not matter.
 *
 * <p>A ratio that one run has and the other has not (a failed or skipped benchmark) cannot be shown
 * to agree: it counts as a disagreement too.
 *
 * <p>Both reports' {@link MachineState} probes are compared too: ratios that disagree while the
 * machine itself measured differently (a cache-line round trip, a core's speed or two threads'
 * speed-up apart by more than the limit) do not show that the code's figures fail to repeat, nor
 * that they repeat.
 *
 * <p>Exit status: 0 when every ratio is in both runs or in neither and all of those agree, 1 when
 * one does not on a machine that probed the same (or was not probed), 3 when one does not and the
 * machine's probes differ (inconclusive), 2 when the files cannot be compared (unreadable, or of
 * different commits unless {@code --any-commit}).
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class CompareReports {

    /** Two runs agree when every headline ratio differs by less than this percentage. */
    public static final double DEFAULT_LIMIT_PERCENT = 15.0;

    static final String USAGE = String.join("\n",
            "usage: CompareReports [--limit <percent>] [--any-commit] <first.json> <second.json>",
            "  Compares every headline ratio (the figures the targets judge) of two baseline reports of the same",
            "  commit; flags any whose relative difference |a - b| / min(a, b) is over the limit (default "
                    + Math.round(DEFAULT_LIMIT_PERCENT) + "%).",
            "  --any-commit  compare reports of different (or unknown) commits too",
            "  The machine probes of both reports (MachineProbe, at each run's start and end) are compared too.",
            "  exit status: 0 all agree, 1 some differ by more than the limit, 3 they differ and so did the machine",
            "  (inconclusive), 2 cannot compare");

    private CompareReports() {
    }

    /**
     * One headline ratio in both runs.
     *
     * @param target          the target's name
     * @param system          the system it is judged for
     * @param first           the first run's figure, if it has one
     * @param second          the second run's figure, if it has one
     * @param differencePercent their relative difference in percent; {@code NaN} when one is missing
     *                        or not positive
     * @param over            whether the difference is over the limit
     */
    public record Row(String target, String system, Optional<Double> first, Optional<Double> second,
                      double differencePercent, boolean over) {
        /** Checks the components. */
        public Row {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(system, "system");
            Objects.requireNonNull(first, "first");
            Objects.requireNonNull(second, "second");
        }

        /** @return whether one run has this figure and the other has not */
        public boolean inOneRunOnly() {
            return first.isPresent() != second.isPresent();
        }
    }

    /**
     * @param a one figure
     * @param b the other
     * @return {@code |a - b| / min(a, b)} in percent; {@code NaN} when either is not positive
     */
    public static double relativeDifferencePercent(final double a, final double b) {
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            return Double.NaN;
        }
        return Math.abs(a - b) / Math.min(a, b) * 100;
    }

    /**
     * @param first        one run
     * @param second       another run of the same commit
     * @param limitPercent the largest relative difference that still agrees
     * @return one row per headline ratio either run has a cell for, in the targets' order
     */
    public static List<Row> compare(final ReportModel first, final ReportModel second, final double limitPercent) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        final List<Targets.Target> a = Targets.evaluate(first);
        final List<Targets.Target> b = Targets.evaluate(second);
        final List<Row> rows = new ArrayList<>();
        for (final Targets.Target target : a) {
            if (!target.ratio()) {
                continue;
            }
            final Optional<Targets.Target> other = b.stream().filter(t -> t.name().equals(target.name())).findFirst();
            for (final String system : target.cells().keySet()) {
                final Optional<Double> x = value(target.cells().get(system));
                final Optional<Double> y = value(other.map(t -> t.cells().get(system)).orElse(null));
                final double difference = x.isPresent() && y.isPresent()
                        ? relativeDifferencePercent(x.get(), y.get()) : Double.NaN;
                rows.add(new Row(target.name(), system, x, y, difference, difference > limitPercent));
            }
        }
        return rows;
    }

    /**
     * @param args see {@link #USAGE}
     */
    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @param args see {@link #USAGE}
     * @param out  where the comparison goes
     * @param err  where problems go
     * @return the exit status
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err) {
        double limit = DEFAULT_LIMIT_PERCENT;
        boolean anyCommit = false;
        final List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                case "--any-commit":
                    anyCommit = true;
                    break;
                case "--limit":
                    if (i + 1 >= args.length) {
                        err.println("--limit needs a value\n" + USAGE);
                        return 2;
                    }
                    try {
                        limit = Double.parseDouble(args[++i]);
                    } catch (NumberFormatException e) {
                        err.println("--limit needs a number, was '" + args[i] + "'");
                        return 2;
                    }
                    if (!(limit >= 0)) {
                        err.println("--limit must be >= 0, was " + args[i]);
                        return 2;
                    }
                    break;
                default:
                    files.add(Path.of(args[i]));
                    break;
            }
        }
        if (files.size() != 2) {
            err.println("need two report JSON files, got " + files.size() + "\n" + USAGE);
            return 2;
        }
        final ReportModel first;
        final ReportModel second;
        try {
            first = ReportJson.read(Files.readString(files.get(0), StandardCharsets.UTF_8));
            second = ReportJson.read(Files.readString(files.get(1), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot read the reports: " + e.getMessage());
            return 2;
        }
        final Optional<String> commitA = first.environment().commit();
        final Optional<String> commitB = second.environment().commit();
        out.println("first:  " + files.get(0) + " (" + describe(first) + ")");
        out.println("second: " + files.get(1) + " (" + describe(second) + ")");
        if (commitA.isEmpty() || !commitA.equals(commitB)) {
            final String why = "the reports are not of one commit (" + commitA.orElse("unknown") + " and "
                    + commitB.orElse("unknown") + ")";
            if (!anyCommit) {
                err.println(why + "; --any-commit compares them anyway");
                return 2;
            }
            out.println("note: " + why);
        } else if (commitA.get().endsWith("-dirty")) {
            out.println("note: the commit " + commitA.get() + " had uncommitted changes; both runs may not be of the same code");
        }
        final List<Row> rows = compare(first, second, limit);
        out.print(table(rows, limit));
        final List<Row> over = rows.stream().filter(Row::over).toList();
        final List<Row> lonely = rows.stream().filter(Row::inOneRunOnly).toList();
        final long compared = rows.stream().filter(r -> !Double.isNaN(r.differencePercent())).count();
        idleHeap(first, second, out);
        final List<String> machineDifferences = machineState(first, second, limit, out);
        if (over.isEmpty() && lonely.isEmpty()) {
            out.printf(Locale.ROOT, "AGREE: all %d headline ratios present in both runs are within %s%n", compared,
                    Format.percent(limit));
            return 0;
        }
        if (!over.isEmpty()) {
            out.printf(Locale.ROOT, "DISAGREE: %d of %d headline ratios differ by more than %s: %s%n", over.size(), compared,
                    Format.percent(limit), String.join("; ", over.stream().map(r -> r.target() + " [" + r.system() + "] "
                            + Format.percent(r.differencePercent())).toList()));
        }
        if (!lonely.isEmpty()) {
            out.printf(Locale.ROOT, "DISAGREE: %d headline ratios are in one run only: %s%n", lonely.size(),
                    String.join("; ", lonely.stream().map(r -> r.target() + " [" + r.system() + "]").toList()));
        }
        if (!machineDifferences.isEmpty()) {
            out.println("INCONCLUSIVE: the machine was not in one state for both runs, so these disagreements do not show"
                    + " whether the code's figures repeat; run both again on a quiet machine");
            return 3;
        }
        return 1;
    }

    /**
     * Prints both reports' machine probes and whether they agree within the limit.
     *
     * @return the figures that differ, described; empty when they agree or either report has no probes
     */
    private static List<String> machineState(final ReportModel first, final ReportModel second, final double limit,
                                             final PrintStream out) {
        final MachineState a = first.environment().machineState();
        final MachineState b = second.environment().machineState();
        if (!a.measured() || !b.measured()) {
            out.println("machine state: not probed in " + (a.measured() ? "the second run" : b.measured() ? "the first run"
                    : "either run") + "; whether the machine changed between them is unknown");
            return List.of();
        }
        a.calibrations().forEach(c -> out.println("machine state, first run  " + c.describe()));
        b.calibrations().forEach(c -> out.println("machine state, second run " + c.describe()));
        final List<String> differences = MachineState.differences(a, b, limit);
        if (differences.isEmpty()) {
            out.printf(Locale.ROOT, "MACHINE SAME: every probe of both runs is within %s%n", Format.percent(limit));
        } else {
            out.printf(Locale.ROOT, "MACHINE DIFFERS: %s%n", String.join("; ", differences));
        }
        return differences;
    }

    /**
     * @param rows  the comparison
     * @param limit the limit in percent
     * @return it as a plain-text table, one line per row
     */
    static String table(final List<Row> rows, final double limit) {
        final StringBuilder out = new StringBuilder();
        int width = "target".length();
        for (final Row row : rows) {
            width = Math.max(width, row.target().length() + row.system().length() + 3);
        }
        out.append(String.format(Locale.ROOT, "%-" + width + "s  %10s  %10s  %10s%n", "target [system]", "first", "second",
                "difference"));
        for (final Row row : rows) {
            final String name = row.target() + " [" + row.system() + "]";
            final String flag = row.over() ? "  OVER " + Format.percent(limit)
                    : row.inOneRunOnly() ? "  IN ONE RUN ONLY"
                    : row.first().isEmpty() ? "  (no data in either)"
                    : Double.isNaN(row.differencePercent()) ? "  (not comparable)" : "";
            out.append(String.format(Locale.ROOT, "%-" + width + "s  %10s  %10s  %10s%s%n", name,
                    row.first().map(Format::ratio).orElse("no data"), row.second().map(Format::ratio).orElse("no data"),
                    Format.percent(row.differencePercent()), flag));
        }
        return out.toString();
    }

    private static void idleHeap(final ReportModel first, final ReportModel second, final PrintStream out) {
        final List<Targets.Target> b = Targets.evaluate(second);
        for (final Targets.Target target : Targets.evaluate(first)) {
            if (target.ratio()) {
                continue;
            }
            final Optional<Targets.Target> other = b.stream().filter(t -> t.name().equals(target.name())).findFirst();
            for (final String system : target.cells().keySet()) {
                final Targets.Cell x = target.cells().get(system);
                final Optional<Targets.Cell> y = other.map(t -> t.cells().get(system));
                if (x.value().isPresent() || y.map(c -> c.value().isPresent()).orElse(false)) {
                    out.println("(not a ratio, not judged) " + target.name() + " [" + system + "]: " + x.measured() + " and "
                            + y.map(Targets.Cell::measured).orElse("no data"));
                }
            }
        }
    }

    private static String describe(final ReportModel report) {
        if (report.settings().forks() == 0) {
            return "an older report: JMH's results only, commit unknown";
        }
        return "commit " + report.environment().commit().orElse("unknown") + ", " + report.settings().forks()
                + (report.settings().forks() == 1 ? " fork" : " forks") + ", started " + report.start();
    }

    private static Optional<Double> value(final Targets.Cell cell) {
        return cell == null || cell.value().isEmpty() ? Optional.empty() : Optional.of(cell.value().getAsDouble());
    }
}
