package dev.flin.bench.report;

import dev.flin.bench.BenchSystem;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Renders a {@link ReportModel} as the markdown baseline report: machine, JDK, JVM flags, JMH
 * settings, one table per scenario with ratios against Pekko and the raw Disruptor, the ping-pong
 * latency table, the idle footprint table, the targets and how to reproduce the run.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class MarkdownReport {

    /** The Temurin 25 JDK the reproduce section names. */
    public static final String TEMURIN_25 = "/usr/lib/jvm/temurin-25-jdk-amd64";

    /** Marks a headline row whose error is at or over {@link ScoreErrors#LIMIT_PERCENT} of its score. */
    static final String FLAG = "⚠";

    private static final String PEKKO = BenchSystem.PEKKO.id();
    private static final String DISRUPTOR = BenchSystem.DISRUPTOR.id();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private MarkdownReport() {
    }

    /**
     * @param model      the report
     * @param chartFiles the chart file names written into the directory named {@link ReportModel#baseName()}
     *                   next to the markdown file (for example {@code OneToOneTell.png}); a chart not
     *                   in this set is not linked
     * @return the markdown
     */
    public static String render(final ReportModel model, final Collection<String> chartFiles) {
        Objects.requireNonNull(model, "model");
        final Set<String> charts = Set.copyOf(Objects.requireNonNull(chartFiles, "chartFiles"));
        final StringBuilder out = new StringBuilder(16_384);
        header(model, out);
        versions(model, out);
        environment(model, out);
        settings(model, out);
        notes(model, out);
        scoreErrors(model, out);
        scenarios(model, charts, out);
        latency(model, charts, out);
        footprint(model, out);
        targets(model, out);
        failures(model, out);
        reproduce(model, out);
        return out.toString();
    }

    private static void header(final ReportModel model, final StringBuilder out) {
        final Jdk jdk = model.environment().jdk();
        out.append("# FLIN baseline, ").append(model.date()).append(", JDK ").append(jdk.feature()).append("\n\n");
        out.append("FLIN (one row per idle strategy: `flin-backoff`, `flin-yielding`, `flin-busyspin`, `flin-parking`;")
                .append(" `").append(Targets.PINNED).append("` where a scenario has an agent pinned to its own thread)")
                .append(" against Pekko typed, JDK platform threads, virtual threads and the raw LMAX Disruptor, on the")
                .append(" same scenarios. Scores are JMH's; every scenario checks that the agents did all the work.\n\n");
        out.append("- Started: ").append(TIME.format(model.start())).append('\n');
        out.append("- Ended: ").append(TIME.format(model.end())).append('\n');
        out.append("- Duration: ").append(Format.duration(model.duration())).append(" (estimated ")
                .append(Format.duration(model.settings().estimate())).append(" before the start)\n");
        model.environment().commit().ifPresent(c -> out.append("- Commit: `").append(c).append("`\n"));
        out.append('\n');
    }

    private static void versions(final ReportModel model, final StringBuilder out) {
        final Versions versions = model.environment().versions();
        final Jdk jdk = model.environment().jdk();
        final String flinIds = String.join(", ", flinIds(model).stream().map(id -> "`" + id + "`").toList());
        out.append("## Systems and versions\n\n");
        out.append("| system | ids in this report | version |\n|---|---|---|\n");
        out.append("| FLIN (this repository) | ").append(flinIds).append(" | ").append(Format.cell(versions.flin()))
                .append(", commit ").append(model.environment().commit().map(c -> "`" + c + "`").orElse("unknown"))
                .append(" |\n");
        out.append("| Apache Pekko typed (`org.apache.pekko:pekko-actor-typed_2.13`) | `").append(PEKKO).append("` | ")
                .append(Format.cell(versions.pekko())).append(" |\n");
        out.append("| LMAX Disruptor, raw (`com.lmax:disruptor`) | `").append(DISRUPTOR).append("` | ")
                .append(Format.cell(versions.disruptor())).append(" |\n");
        out.append("| JDK platform threads, virtual threads | `").append(BenchSystem.THREADS.id()).append("`, `")
                .append(BenchSystem.VTHREADS.id()).append("` | the JDK's, ").append(Format.cell(jdk.runtimeVersion()))
                .append(" |\n");
        out.append("| JDK | | ").append(Format.cell(jdk.vendor() + " " + jdk.vmName() + " " + jdk.runtimeVersion()))
                .append(" |\n");
        out.append("| JMH (`org.openjdk.jmh:jmh-core`), the harness | | ").append(Format.cell(versions.jmh())).append(" |\n");
        out.append("| Netty (`io.netty`), under runtime-http; the HTTP report only | | ").append(Format.cell(versions.netty()))
                .append(" |\n\n");
    }

    /** @return the FLIN systems the report has figures or plans for, the default-pool ones first */
    private static List<String> flinIds(final ReportModel model) {
        final List<String> ids = new ArrayList<>(Targets.poolSystems());
        model.scenarios().stream().flatMap(s -> s.systems().stream()).filter(MarkdownReport::isFlin)
                .filter(s -> !ids.contains(s)).forEach(ids::add);
        return ids;
    }

    private static void machineState(final MachineState state, final StringBuilder out) {
        out.append("## Machine state\n\n");
        if (!state.measured()) {
            out.append("Not probed (a report older than the machine probe).\n\n");
            return;
        }
        out.append("Measured by `MachineProbe` before the first benchmark and after the last: a cache-line round trip"
                + " between two threads, one thread's speed on a dependent integer chain, and the speed-up of that work on"
                + " two threads at once. When two reports' ratios disagree, `CompareReports` calls the comparison inconclusive"
                + " if these figures differ by more than " + Format.percent(CompareReports.DEFAULT_LIMIT_PERCENT)
                + " between or within the runs.\n\n");
        out.append("""
                | probe | at | round trip (ns) | compute (ns/step) | parallel speed-up | steal |
                |---|---|---|---|---|---|
                """);
        for (final MachineProbe.Calibration c : state.calibrations()) {
            out.append("| ").append(Format.cell(c.when())).append(" | ").append(c.at()).append(" | ")
                    .append(Format.number(c.roundTripNanos())).append(" | ").append(Format.number(c.computeNanos()))
                    .append(" | ").append(Format.ratio(c.parallelSpeedup())).append(" | ")
                    .append(c.stealPercent().isPresent() ? Format.percent(c.stealPercent().getAsDouble()) : "unknown")
                    .append(" |\n");
        }
        out.append("\nCPU time stolen by the hypervisor over the run: ")
                .append(state.runStealPercent().isPresent() ? Format.percent(state.runStealPercent().getAsDouble()) : "unknown")
                .append(".\n\n");
        final List<String> changes = state.changesDuringTheRun(CompareReports.DEFAULT_LIMIT_PERCENT);
        if (!changes.isEmpty()) {
            out.append("**The machine's state changed during the run** (by more than ")
                    .append(Format.percent(CompareReports.DEFAULT_LIMIT_PERCENT)).append("): ")
                    .append(Format.cell(String.join("; ", changes))).append(".\n\n");
        }
    }

    private static void environment(final ReportModel model, final StringBuilder out) {
        final Machine machine = model.environment().machine();
        final Jdk jdk = model.environment().jdk();
        out.append("## Machine\n\n| | |\n|---|---|\n");
        out.append("| CPU | ").append(Format.cell(machine.cpuModel())).append(" |\n");
        out.append("| cores (availableProcessors) | ").append(machine.cores()).append(" |\n");
        out.append("| memory (MemTotal) | ")
                .append(machine.memoryBytes().isPresent() ? Format.gibibytes(machine.memoryBytes().getAsLong()) : "unknown")
                .append(" |\n");
        out.append("| OS | ").append(Format.cell(machine.osName() + " " + machine.osVersion() + " (" + machine.osArch() + ")"))
                .append(" |\n\n");
        machineState(model.environment().machineState(), out);
        out.append("## JDK\n\n| | |\n|---|---|\n");
        out.append("| vendor (java.vm.vendor) | ").append(Format.cell(jdk.vendor())).append(" |\n");
        out.append("| VM (java.vm.name) | ").append(Format.cell(jdk.vmName())).append(" |\n");
        out.append("| version (java.runtime.version) | ").append(Format.cell(jdk.runtimeVersion())).append(" |\n");
        out.append("| java.home | `").append(jdk.javaHome()).append("` |\n\n");
        out.append("## JVM flags\n\n");
        final List<List<String>> forks = model.environment().forkJvmArgs();
        if (forks.isEmpty()) {
            out.append("- JMH forks: no data (no benchmark produced a result)\n");
        } else {
            for (final List<String> args : forks) {
                out.append("- JMH forks: ").append(code(args)).append('\n');
            }
        }
        out.append("- the report's own JVM (the JMH host): ").append(code(model.environment().hostJvmArgs())).append('\n');
        out.append("- idle-footprint JVMs: ").append(code(model.environment().footprintJvmArgs())).append("\n\n");
    }

    private static void settings(final ReportModel model, final StringBuilder out) {
        final RunSettings settings = model.settings();
        out.append("## JMH settings\n\n");
        out.append("- forks: ").append(settings.forks()).append(settings.forks() == 1 ? " JVM" : " JVMs")
                .append(" per trial (scenario, system and parameters), one after")
                .append(" the other; JMH pools the measurement iterations of all of them into one score and error, so")
                .append(" differences between forks count in the error\n");
        out.append("- per fork: warm-up ").append(settings.warmupIterations()).append(" iterations x ")
                .append(settings.warmupSeconds()).append(" s, measurement ").append(settings.iterations())
                .append(" iterations x ").append(settings.seconds()).append(" s (").append(settings.iterations() * settings.forks())
                .append(" measurements per score); timeout: ").append(settings.timeoutSeconds()).append(" s per iteration\n");
        out.append("- profilers: ").append(settings.profilers().isEmpty() ? "none" : String.join(", ", settings.profilers()))
                .append(" (alloc B/op is `gc.alloc.rate.norm`, an estimate)\n");
        out.append("- throughput scenarios score operations per second (higher is better); Savina scenarios score")
                .append(" milliseconds per operation (average time, lower is better); score error is JMH's 99.9% confidence")
                .append(" half-width (`?` when too few iterations to compute one)\n");
        out.append("- selection: scenarios ").append(settings.include().map(r -> "matching `" + r + "`").orElse("all"))
                .append("; systems ").append(settings.systems().isEmpty() ? "all available" : String.join(", ", settings.systems()))
                .append("\n\n");
    }

    private static void notes(final ReportModel model, final StringBuilder out) {
        if (model.notes().isEmpty()) {
            return;
        }
        out.append("## Notes\n\n");
        for (final String note : model.notes()) {
            out.append("- ").append(note).append('\n');
        }
        out.append('\n');
    }

    private static void scoreErrors(final ReportModel model, final StringBuilder out) {
        final String limit = Math.round(ScoreErrors.LIMIT_PERCENT) + "%";
        final long headline = model.results().stream().filter(Targets::isHeadline).count();
        final List<ScenarioResult> missing = ScoreErrors.headlineRowsMissingTheLimit(model);
        out.append("## Score error\n\n");
        out.append("A score's error is JMH's 99.9% confidence half-width over the measurement iterations of all its forks.")
                .append(" Every headline row (one a target reads: ours and the peer it is compared with) should have an")
                .append(" error under ").append(limit).append(" of its score; the scenario tables give each error as a")
                .append(" percentage and mark a headline row at ").append(limit).append(" or more with ").append(FLAG)
                .append(". ").append(headline).append(" headline rows, ").append(missing.size()).append(" at ").append(limit)
                .append(" or more.\n\n");
        out.append("Rows whose error is ").append(limit).append(" or more of the score: ");
        if (missing.isEmpty()) {
            out.append("none.\n\n");
            return;
        }
        out.append(missing.stream().map(r -> r.benchmark() + (r.params().isEmpty() ? "" : " (" + Format.params(r.params()) + ")")
                + " " + r.system() + " " + ScoreErrors.percent(r)).collect(Collectors.joining(", "))).append(".\n\n");
        out.append("| scenario | parameters | system | score ± error | error | why |\n|---|---|---|---:|---:|---|\n");
        for (final ScenarioResult r : missing) {
            out.append("| ").append(r.benchmark()).append(" | ").append(Format.cell(Format.params(r.params()))).append(" | ")
                    .append(r.system()).append(" | ").append(Format.number(r.score())).append(" ± ")
                    .append(Format.number(r.error())).append(' ').append(r.unit()).append(" | ")
                    .append(ScoreErrors.percent(r)).append(" | ").append(Format.cell(ScoreErrors.why(r))).append(" |\n");
        }
        out.append('\n');
    }

    private static void scenarios(final ReportModel model, final Set<String> charts, final StringBuilder out) {
        out.append("## Scenarios\n\n");
        out.append("Ratios are given on our (`flin-*`) rows, against Pekko and the raw Disruptor in the same scenario")
                .append(" and parameters, direction-aware: ours / theirs for a throughput, theirs / ours for a time, so")
                .append(" above 1 always means FLIN is better. `-` means that system was not run in that scenario.\n\n");
        if (model.scenarios().isEmpty()) {
            out.append("No scenario was run.\n\n");
        }
        for (final Scenario scenario : model.scenarios()) {
            out.append("### ").append(scenario.name()).append("\n\n");
            out.append(scenario.description()).append("\n\n");
            final String chart = Charts.scenarioFile(scenario.name());
            if (charts.contains(chart)) {
                out.append("![").append(scenario.name()).append("](").append(model.baseName()).append('/').append(chart)
                        .append(")\n\n");
            }
            for (final Map<String, String> params : scenario.paramCombinations()) {
                if (!params.isEmpty()) {
                    out.append("**").append(Format.params(params)).append("**\n\n");
                }
                scenarioTable(model, scenario, params, out);
            }
        }
    }

    private static void scenarioTable(final ReportModel model, final Scenario scenario, final Map<String, String> params,
                                      final StringBuilder out) {
        out.append("| system | score ± error | error | unit | alloc B/op | vs Pekko | vs raw Disruptor |\n");
        out.append("|---|---:|---:|---|---:|---:|---:|\n");
        for (final String system : scenario.systems()) {
            final Optional<ScenarioResult> result = model.result(scenario.name(), params, system);
            out.append("| ").append(systemLabel(system)).append(" | ");
            if (result.isEmpty()) {
                final boolean failed = failure(model, scenario.name(), params, system).isPresent();
                out.append(failed ? "FAILED (see Failures)" : "no data").append(" | | | | | |\n");
                continue;
            }
            final ScenarioResult r = result.get();
            out.append(Format.number(r.score())).append(" ± ").append(Format.number(r.error())).append(" | ")
                    .append(ScoreErrors.percent(r))
                    .append(Targets.isHeadline(r) && ScoreErrors.missesTheLimit(r) ? " " + FLAG : "").append(" | ")
                    .append(r.unit()).append(" | ")
                    .append(r.allocBytesPerOp().isPresent() ? Format.number(r.allocBytesPerOp().getAsDouble()) : "no data")
                    .append(" | ");
            if (isFlin(system)) {
                out.append(ratioCell(model, scenario, params, r, PEKKO)).append(" | ")
                        .append(ratioCell(model, scenario, params, r, DISRUPTOR)).append(" |\n");
            } else {
                out.append(" | |\n");
            }
        }
        out.append('\n');
    }

    private static String ratioCell(final ReportModel model, final Scenario scenario, final Map<String, String> params,
                                    final ScenarioResult ours, final String baseline) {
        if (!scenario.systems().contains(baseline)) {
            return "-";
        }
        return model.result(scenario.name(), params, baseline).map(theirs -> Format.ratio(ours.advantageOver(theirs)))
                .orElse("no data");
    }

    private static void latency(final ReportModel model, final Set<String> charts, final StringBuilder out) {
        final Optional<Scenario> pingPong = model.scenario("PingPong");
        if (pingPong.isEmpty() && model.latencies().isEmpty()) {
            return;
        }
        out.append("## PingPong latency\n\n");
        out.append("Round trip (ping sent to its pong received, measured by the pinger), measurement iterations only,")
                .append(" in microseconds. \"p50 vs Pekko\" is our median as a fraction of Pekko's (below 1 is better).\n\n");
        if (charts.contains(Charts.LATENCY_FILE)) {
            out.append("![PingPong latency](").append(model.baseName()).append('/').append(Charts.LATENCY_FILE).append(")\n\n");
        }
        out.append("| system | round trips | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | p50 vs Pekko |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        final List<String> systems = new ArrayList<>(pingPong.map(Scenario::systems).orElse(List.of()));
        model.latencies().stream().map(Latency::system).filter(s -> !systems.contains(s)).forEach(systems::add);
        final Optional<Latency> pekko = model.latency(PEKKO);
        for (final String system : systems) {
            final Optional<Latency> latency = model.latency(system);
            out.append("| ").append(systemLabel(system)).append(" | ");
            if (latency.isEmpty()) {
                out.append("no data | | | | | | |\n");
                continue;
            }
            final Latency l = latency.get();
            out.append(String.format(java.util.Locale.ROOT, "%,d", l.count())).append(" | ").append(Format.micros(l.p50())).append(" | ").append(Format.micros(l.p90()))
                    .append(" | ").append(Format.micros(l.p99())).append(" | ").append(Format.micros(l.p999())).append(" | ")
                    .append(Format.micros(l.max())).append(" | ");
            if (isFlin(system)) {
                out.append(pekko.isPresent() && pekko.get().p50() > 0
                        ? Format.ratio((double) l.p50() / pekko.get().p50()) : "no data");
            }
            out.append(" |\n");
        }
        out.append('\n');
    }

    private static void footprint(final ReportModel model, final StringBuilder out) {
        if (model.footprints().isEmpty()) {
            return;
        }
        out.append("## Idle footprint\n\n");
        out.append("Heap held per idle agent (spawned, never sent a message): in a fresh JVM (")
                .append(code(model.environment().footprintJvmArgs()))
                .append("), used heap after forced GCs with N idle agents minus with one, divided by N - 1. The runtime's")
                .append(" fixed cost cancels out; native memory (thread stacks, direct buffers) is not counted.\n\n");
        out.append("| system | idle agents | bytes per agent | note |\n|---|---:|---:|---|\n");
        for (final Footprint f : model.footprints()) {
            out.append("| ").append(systemLabel(f.system())).append(" | ").append(f.agents() > 0 ? String.format(
                    java.util.Locale.ROOT, "%,d", f.agents()) : "n/a").append(" | ");
            switch (f.status()) {
                case MEASURED:
                    out.append(Format.number(f.bytesPerAgent().getAsDouble()));
                    break;
                case NOT_APPLICABLE:
                    out.append("n/a");
                    break;
                default:
                    out.append("FAILED");
                    break;
            }
            out.append(" | ").append(Format.cell(f.note())).append(" |\n");
        }
        out.append('\n');
    }

    private static void targets(final ReportModel model, final StringBuilder out) {
        final List<Targets.Target> judged = Targets.evaluate(model);
        final List<String> systems = Targets.judgedSystems(judged);
        out.append("## Targets\n\n");
        out.append("Each of our idle strategies on the default pool judged against each target, and the pinned agent")
                .append(" (`").append(Targets.PINNED).append("`) against its own; \"no data\" when a figure it needs is")
                .append(" missing, `-` where a target does not apply. Every figure is a ratio within this run, except the")
                .append(" idle heap.\n\n");
        out.append("| target | required | ").append(String.join(" | ", systems)).append(" |\n");
        out.append("|---|---|").append("---|".repeat(systems.size())).append('\n');
        for (final Targets.Target target : judged) {
            out.append("| ").append(Format.cell(target.name())).append(" | ").append(Format.cell(target.requirement()));
            for (final String system : systems) {
                final Targets.Cell cell = target.cells().get(system);
                out.append(" | ");
                if (cell == null) {
                    out.append('-');
                } else if (cell.verdict() == Targets.Verdict.NO_DATA) {
                    out.append(Format.cell(cell.measured()));
                } else {
                    out.append(Format.cell(cell.measured())).append(' ').append(cell.verdict().label());
                }
            }
            out.append(" |\n");
        }
        out.append("\nThe idle footprint is measured with `flin-backoff` only: idle agents are not scheduled, so the idle")
                .append(" strategy does not change what they hold. The ping-pong target compares the mean time per round")
                .append(" trip (the inverse of the JMH score, over every fork); the latency percentiles above come from")
                .append(" the last fork only, as each fork rewrites them.\n\n");
    }

    private static void failures(final ReportModel model, final StringBuilder out) {
        if (model.failures().isEmpty()) {
            return;
        }
        out.append("## Failures\n\n| scenario | parameters | system | reason |\n|---|---|---|---|\n");
        for (final Failure f : model.failures()) {
            out.append("| ").append(f.benchmark()).append(" | ").append(Format.cell(Format.params(f.params()))).append(" | ")
                    .append(f.system()).append(" | ").append(Format.cell(f.reason())).append(" |\n");
        }
        out.append('\n');
    }

    private static void reproduce(final ReportModel model, final StringBuilder out) {
        final String args = model.settings().arguments().stream().map(MarkdownReport::shellQuote)
                .map(a -> " " + a).collect(Collectors.joining());
        out.append("## How to reproduce\n\n");
        out.append("From the repository root (the script builds the benchmarks with the JDK in `JAVA_HOME`, or the")
                .append(" default `java`, and runs the report with the same JDK):\n\n```bash\n");
        out.append("bash benchmarks/baseline.sh").append(args).append('\n');
        out.append("JAVA_HOME=").append(TEMURIN_25).append(" bash benchmarks/baseline.sh").append(args).append("\n```\n\n");
        out.append("This report ran with `JAVA_HOME=").append(model.environment().jdk().javaHome()).append("`.")
                .append(" Options: `--out <dir>`, `--forks <n>`, `--warmup-iterations <n>`, `--iterations <n>`, `--time <seconds>`,")
                .append(" `--include <regex>` (scenario names, `IdleFootprint` for the footprint step), `--systems <a,b>`,")
                .append(" `--estimate` (print the plan and its estimated duration only).\n");
    }

    private static Optional<Failure> failure(final ReportModel model, final String benchmark, final Map<String, String> params,
                                             final String system) {
        return model.failures().stream()
                .filter(f -> f.benchmark().equals(benchmark) && f.params().equals(params) && f.system().equals(system))
                .findFirst();
    }

    private static boolean isFlin(final String system) {
        return system.startsWith("flin-");
    }

    private static String systemLabel(final String system) {
        return isFlin(system) ? "**" + system + "**" : system;
    }

    private static String code(final List<String> args) {
        return args.isEmpty() ? "(none)" : "`" + String.join(" ", args) + "`";
    }

    /**
     * @param arg a command-line argument
     * @return it quoted for a POSIX shell when it needs to be
     */
    static String shellQuote(final String arg) {
        if (!arg.isEmpty() && arg.matches("[A-Za-z0-9_./=:,+@%-]+")) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
