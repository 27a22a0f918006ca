package dev.flin.bench.report;

import dev.flin.bench.BenchSystem;
import dev.flin.bench.UnsupportedScenarioException;
import dev.flin.bench.jmh.ManyPairsEcho;
import dev.flin.bench.jmh.ManyToOneTell;
import dev.flin.bench.jmh.OneToOneTell;
import dev.flin.bench.jmh.PingPong;
import dev.flin.bench.jmh.SavinaBig;
import dev.flin.bench.jmh.SavinaChameneos;
import dev.flin.bench.jmh.SavinaCount;
import dev.flin.bench.jmh.SavinaFjThroughput;
import dev.flin.bench.jmh.SavinaThreadRing;
import dev.flin.bench.jmh.SpawnMessageStop;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The one-command baseline report: runs every benchmark on every available system through JMH
 * (with the GC profiler), measures the idle footprint per system in child JVMs, and writes into
 * {@code --out} (default {@code docs/baseline}):
 * <ul>
 *   <li>{@code <yyyy-MM-dd>-jdk<feature>.md}, the report;</li>
 *   <li>{@code <yyyy-MM-dd>-jdk<feature>.json}, the same as data ({@link ReportJson}), with JMH's
 *       results of every scenario;</li>
 *   <li>{@code <yyyy-MM-dd>-jdk<feature>/*.png}, the charts.</li>
 * </ul>
 * A benchmark that fails is recorded with its reason and the run goes on. See
 * {@link ReportOptions#USAGE} for the options; {@code benchmarks/baseline.sh} builds and runs it.
 *
 * <p>Threading: runs on the main thread; JMH forks a JVM per benchmark and parameter set.
 */
public final class BaselineReport {

    /** The benchmark classes, in report order. */
    static final List<Class<?>> BENCHMARKS = List.of(OneToOneTell.class, PingPong.class, ManyToOneTell.class,
            ManyPairsEcho.class, SpawnMessageStop.class, SavinaCount.class, SavinaThreadRing.class, SavinaChameneos.class,
            SavinaBig.class, SavinaFjThroughput.class);

    /** The idle-footprint step's name for {@code --include}. */
    static final String FOOTPRINT_STEP = "IdleFootprint";

    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "OneToOneTell", "One sender thread tells messages to one agent, which counts them; its mailbox (and the raw"
                    + " Disruptor's ring) holds 1,024. One op = one message.",
            "PingPong", "A pinger and a ponger agent bounce one message back and forth, strictly one at a time."
                    + " One op = one round trip.",
            "ManyToOneTell", "Fan-in: 1, 2 or 4 producer threads tell messages to one agent; its mailbox (and the raw"
                    + " Disruptor's ring) holds 1,024. One op = one message.",
            "ManyPairsEcho", "Many pairs of agents (far more agents than cores) each bounce a message back and forth,"
                    + " all at once. One op = one round trip.",
            "SpawnMessageStop", "Spawn an agent, send it one message, it stops itself after handling it; an operation ends"
                    + " when all have terminated. One op = one agent lifecycle.",
            "SavinaCount", "Savina count: a producer agent sends increments to a counter agent, then asks for the total."
                    + " Time per run.",
            "SavinaThreadRing", "Savina threadring: a ring of agents passes one token around. Time per run.",
            "SavinaChameneos", "Savina chameneos: creature agents meet through one broker agent (the mall). Time per run.",
            "SavinaBig", "Savina big: agents ping random peers, one ping at a time, each answered by a pong. Time per run.",
            "SavinaFjThroughput", "Savina fjthrput: the driver sends messages to many agents, each doing a small"
                    + " computation. Time per run.");

    /** Idle agents measured per system; systems not listed are not measured. */
    private static final Map<String, Integer> FOOTPRINT_AGENTS = Map.of(
            BenchSystem.FLIN_BACKOFF.id(), 1_000_000,
            BenchSystem.PEKKO.id(), 1_000_000,
            BenchSystem.VTHREADS.id(), 1_000_000,
            BenchSystem.THREADS.id(), 10_000);

    private static final Duration FOOTPRINT_TIMEOUT = Duration.ofMinutes(5);
    private static final int ITERATION_TIMEOUT_SECONDS = 120;
    private static final String JMH_LOCK_MESSAGE = "Unable to acquire the JMH lock";
    private static final Duration LOCK_WAIT = Duration.ofMinutes(30);
    private static final Duration LOCK_POLL = Duration.ofSeconds(10);

    private final ReportOptions options;

    private BaselineReport(final ReportOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * @param args see {@link ReportOptions#USAGE}
     */
    public static void main(final String[] args) {
        System.setProperty("java.awt.headless", "true");
        final ReportOptions options;
        try {
            options = ReportOptions.parse(args);
        } catch (IllegalArgumentException e) {
            if (!"help".equals(e.getMessage())) {
                System.err.println(e.getMessage());
            }
            System.err.println(ReportOptions.USAGE);
            System.exit("help".equals(e.getMessage()) ? 0 : 2);
            return;
        }
        try {
            new BaselineReport(options).run().ifPresent(report -> System.out.println("Report: " + report.toAbsolutePath()));
        } catch (IOException e) {
            System.err.println("The report could not be written: " + e);
            System.exit(1);
        }
    }

    /**
     * @return the markdown report written; empty when only the estimate was asked for
     * @throws IOException when the report's files cannot be written
     */
    private Optional<Path> run() throws IOException {
        final Instant start = Instant.now();
        final LocalDate date = LocalDate.ofInstant(start, ZoneId.systemDefault());
        final Path work = Files.createTempDirectory("flin-baseline-");
        final Path latencyDir = work.resolve("latency");
        final List<String> notes = new ArrayList<>();
        final List<String> systems = selectedSystems(notes);

        final Map<Class<?>, Scenario> planned = new LinkedHashMap<>();
        for (final Class<?> benchmark : BENCHMARKS) {
            final String name = benchmark.getSimpleName();
            if (!options.includes(name)) {
                continue;
            }
            final List<String> classSystems = classSystems(benchmark, systems);
            if (classSystems.isEmpty()) {
                notes.add(name + " not run: none of its systems is selected and available.");
                continue;
            }
            planned.put(benchmark, new Scenario(name, DESCRIPTIONS.getOrDefault(name, name), classSystems,
                    otherParams(benchmark)));
        }
        final RunEstimate estimate = RunEstimate.of(List.copyOf(planned.values()), options.forks(),
                options.warmupIterations(), options.iterations(), options.seconds(),
                options.includes(FOOTPRINT_STEP) ? footprintSystems(systems) : 0);
        System.out.println("# Baseline report: estimated duration " + estimate.describe());
        if (options.estimateOnly()) {
            for (final Scenario scenario : planned.values()) {
                System.out.printf("#   %s: %d trial(s) on %s%n", scenario.name(),
                        scenario.systems().size() * scenario.paramCombinations().size(), String.join(", ", scenario.systems()));
            }
            notes.forEach(note -> System.out.println("#   " + note));
            return Optional.empty();
        }

        final Optional<MachineProbe.CpuTimes> cpuAtStart = MachineProbe.CpuTimes.read();
        final List<MachineProbe.Calibration> calibrations = new ArrayList<>();
        calibrations.add(calibrate("start"));

        final List<Scenario> scenarios = new ArrayList<>();
        final List<ScenarioResult> results = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();
        final List<RunResult> runResults = new ArrayList<>();
        final List<Path> jsonFiles = new ArrayList<>();
        for (final Map.Entry<Class<?>, Scenario> entry : planned.entrySet()) {
            final Scenario scenario = entry.getValue();
            final String name = scenario.name();
            scenarios.add(scenario);
            System.out.printf("%n# Baseline report: scenario %s on %s, started %s after the start (estimated %s in all)%n",
                    name, String.join(", ", scenario.systems()), Format.duration(Duration.between(start, Instant.now())),
                    Format.duration(estimate.total()));
            final Path json = work.resolve("jmh").resolve(name + ".json");
            jsonFiles.add(json);
            runScenario(entry.getKey(), scenario, latencyDir, json, runResults, results, failures);
        }

        final Path outDir = options.out();
        Files.createDirectories(outDir);
        final Jdk jdk = Jdk.current();
        final String base = ReportModel.baseName(date, jdk.feature());
        final String jmhJson = JsonMerge.mergeFiles(jsonFiles);

        final List<Latency> latencies = readLatencies(scenarios, latencyDir, notes);
        final List<Footprint> footprints = options.includes(FOOTPRINT_STEP) ? footprints(systems, options::selects, work) : List.of();

        calibrations.add(calibrate("end"));
        final Optional<MachineProbe.CpuTimes> cpuAtEnd = MachineProbe.CpuTimes.read();
        final MachineState machineState = new MachineState(calibrations, cpuAtStart.isPresent() && cpuAtEnd.isPresent()
                ? cpuAtEnd.get().stealPercentSince(cpuAtStart.get()) : java.util.OptionalDouble.empty());
        machineState.changesDuringTheRun(CompareReports.DEFAULT_LIMIT_PERCENT)
                .forEach(change -> System.out.println("# Machine state changed during the run: " + change));

        final Instant end = Instant.now();
        final Environment environment = new Environment(Machine.current(), jdk,
                ManagementFactory.getRuntimeMXBean().getInputArguments(), JmhResults.distinctJvmArgs(runResults),
                FootprintRunner.JVM_FLAGS, Versions.commit(), Versions.current(), machineState);
        final RunSettings settings = new RunSettings(options.warmupIterations(), options.seconds(), options.iterations(),
                options.seconds(), options.forks(), ITERATION_TIMEOUT_SECONDS, List.of("gc"),
                options.include().map(Object::toString), options.systems(), options.arguments(), estimate.total());
        final ReportModel model = new ReportModel(date, environment, settings, start, end, scenarios, results, failures,
                latencies, footprints, notes);

        final List<String> charts = new ArrayList<>();
        try {
            for (final Path chart : Charts.write(model, outDir.resolve(base))) {
                charts.add(chart.getFileName().toString());
            }
        } catch (IOException | RuntimeException | Error e) {
            System.err.println("Charts not written: " + e);
        }
        Files.writeString(outDir.resolve(base + ".json"), ReportJson.write(model, jmhJson), StandardCharsets.UTF_8);
        final Path markdown = outDir.resolve(base + ".md");
        Files.writeString(markdown, MarkdownReport.render(model, charts), StandardCharsets.UTF_8);
        deleteQuietly(work);
        System.out.printf("%d scores, %d failures, %d charts in %s (estimated %s); %s%n", results.size(), failures.size(),
                charts.size(), Format.duration(model.duration()), Format.duration(estimate.total()),
                outDir.resolve(base + ".json").toAbsolutePath());
        return Optional.of(markdown);
    }

    private static MachineProbe.Calibration calibrate(final String when) {
        System.out.println("# Machine state (" + when + "): probing for a few seconds ...");
        final MachineProbe.Calibration calibration = MachineProbe.measure(when);
        System.out.println("# Machine state " + calibration.describe());
        return calibration;
    }

    private List<String> selectedSystems(final List<String> notes) {
        final List<String> selected = new ArrayList<>();
        for (final BenchSystem system : BenchSystem.values()) {
            if (!options.selects(system.id())) {
                continue;
            }
            if (system.isAvailable()) {
                selected.add(system.id());
            } else {
                notes.add(system.id() + " skipped: " + unavailableReason(system));
            }
        }
        return selected;
    }

    private static String unavailableReason(final BenchSystem system) {
        try {
            system.factory();
            return "not available on this JVM";
        } catch (UnsupportedScenarioException e) {
            return e.getMessage();
        }
    }

    /**
     * @param benchmark a benchmark class
     * @param selected  the selected, available systems
     * @return its own {@code system} values that are selected, in its order
     */
    static List<String> classSystems(final Class<?> benchmark, final List<String> selected) {
        final List<String> own = Arrays.asList(paramValues(benchmark, JmhResults.SYSTEM_PARAM));
        return own.stream().filter(selected::contains).toList();
    }

    /**
     * @param benchmark a benchmark class
     * @return its parameters other than {@code system}, by name, with their values
     */
    static Map<String, List<String>> otherParams(final Class<?> benchmark) {
        final Map<String, List<String>> params = new LinkedHashMap<>();
        Arrays.stream(benchmark.getFields()).filter(f -> f.isAnnotationPresent(Param.class))
                .filter(f -> !f.getName().equals(JmhResults.SYSTEM_PARAM)).sorted(Comparator.comparing(Field::getName))
                .forEach(f -> params.put(f.getName(), List.of(f.getAnnotation(Param.class).value())));
        return params;
    }

    private static String[] paramValues(final Class<?> benchmark, final String name) {
        try {
            final Param param = benchmark.getField(name).getAnnotation(Param.class);
            if (param == null) {
                throw new IllegalStateException(benchmark.getName() + "." + name + " is not a @Param");
            }
            return param.value();
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(benchmark.getName() + " has no public '" + name + "' parameter", e);
        }
    }

    /**
     * @param benchmark  a benchmark class
     * @param latencyDir the latency directory
     * @return its own {@code jvmArgsAppend}, then the latency directory property
     */
    static List<String> jvmArgsAppend(final Class<?> benchmark, final Path latencyDir) {
        final List<String> args = new ArrayList<>();
        final Fork fork = benchmark.getAnnotation(Fork.class);
        if (fork != null) {
            args.addAll(Arrays.asList(fork.jvmArgsAppend()));
        }
        args.add("-D" + PingPong.LATENCY_DIR_PROPERTY + "=" + latencyDir.toAbsolutePath());
        return args;
    }

    private void runScenario(final Class<?> benchmark, final Scenario scenario, final Path latencyDir, final Path json,
                             final List<RunResult> runResults, final List<ScenarioResult> results,
                             final List<Failure> failures) throws IOException {
        Files.createDirectories(json.getParent());
        final ChainedOptionsBuilder jmh = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(benchmark.getName()) + "\\.")
                .param(JmhResults.SYSTEM_PARAM, scenario.systems().toArray(String[]::new))
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.seconds(options.seconds()))
                .measurementIterations(options.iterations())
                .measurementTime(TimeValue.seconds(options.seconds()))
                .forks(options.forks())
                .timeout(TimeValue.seconds(ITERATION_TIMEOUT_SECONDS))
                .jvmArgsAppend(jvmArgsAppend(benchmark, latencyDir).toArray(String[]::new))
                .addProfiler(GCProfiler.class)
                .shouldFailOnError(false)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        final FailureCapture capture = new FailureCapture(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.NORMAL));
        Collection<RunResult> got = List.of();
        String runFailure = null;
        try {
            got = runWaitingForTheLock(new Runner(jmh.build(), capture), scenario.name());
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            runFailure = "JMH failed: " + e;
            System.err.println(scenario.name() + ": " + runFailure);
        }
        for (final RunResult result : got) {
            try {
                final ScenarioResult converted = JmhResults.toScenarioResult(result);
                results.add(converted);
                runResults.add(result);
            } catch (RuntimeException e) {
                System.err.println(scenario.name() + ": result not understood: " + e);
            }
        }
        for (final Map<String, String> params : scenario.paramCombinations()) {
            for (final String system : scenario.systems()) {
                final boolean scored = results.stream().anyMatch(r -> r.benchmark().equals(scenario.name())
                        && r.params().equals(params) && r.system().equals(system));
                if (!scored) {
                    final Optional<String> reason = capture.reason(scenario.name(), params, system);
                    failures.add(new Failure(scenario.name(), params, system, reason.orElse(runFailure != null ? runFailure
                            : "no result and no failure reported (see the JMH output)")));
                }
            }
        }
    }

    /**
     * JMH refuses to start while another JMH run on the machine holds its lock file (two runs
     * would skew each other): wait for it, up to {@link #LOCK_WAIT}, rather than lose the scenario.
     */
    private static Collection<RunResult> runWaitingForTheLock(final Runner runner, final String scenario)
            throws RunnerException, InterruptedException {
        final long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            try {
                return runner.run();
            } catch (RunnerException e) {
                if (String.valueOf(e.getMessage()).contains(JMH_LOCK_MESSAGE) && System.nanoTime() < deadline) {
                    System.out.println("# " + scenario + ": another JMH run holds its lock; waiting "
                            + LOCK_POLL.toSeconds() + " s and retrying");
                    Thread.sleep(LOCK_POLL.toMillis());
                } else {
                    throw e;
                }
            }
        }
    }

    private static List<Latency> readLatencies(final List<Scenario> scenarios, final Path latencyDir, final List<String> notes) {
        final List<Latency> latencies = new ArrayList<>();
        for (final Scenario scenario : scenarios) {
            if (!scenario.name().equals(PingPong.class.getSimpleName())) {
                continue;
            }
            for (final String system : scenario.systems()) {
                final Path file = latencyDir.resolve("PingPong-" + system + ".latency");
                if (!Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    latencies.add(Latency.read(system, file));
                } catch (IOException | IllegalArgumentException e) {
                    notes.add("PingPong latency of " + system + " not read: " + e.getMessage());
                }
            }
        }
        return latencies;
    }

    /**
     * @param systems the selected systems that are available
     * @return how many of them the footprint step measures in a child JVM
     */
    private static int footprintSystems(final List<String> systems) {
        return (int) systems.stream().filter(FOOTPRINT_AGENTS::containsKey).count();
    }

    /**
     * @param systems  the selected systems that are available
     * @param selected whether a system was selected, available or not
     * @param work     where the children's output goes
     * @return one entry per selected system that has agents (or has none to measure)
     */
    private static List<Footprint> footprints(final List<String> systems, final java.util.function.Predicate<String> selected,
                                              final Path work) {
        final FootprintRunner runner = new FootprintRunner(Path.of(System.getProperty("java.home"), "bin", "java"),
                System.getProperty("java.class.path"), work.resolve("footprint"), FOOTPRINT_TIMEOUT);
        final List<Footprint> footprints = new ArrayList<>();
        for (final BenchSystem system : BenchSystem.values()) {
            final String id = system.id();
            final boolean measured = FOOTPRINT_AGENTS.containsKey(id);
            if (system == BenchSystem.DISRUPTOR && systems.contains(id)) {
                footprints.add(Footprint.notApplicable(id, "the raw Disruptor has no agents"));
            } else if (measured && !system.isAvailable() && selected.test(id)) {
                footprints.add(Footprint.notApplicable(id, unavailableReason(system)));
            } else if (measured && systems.contains(id)) {
                final int agents = FOOTPRINT_AGENTS.get(id);
                final String note = system == BenchSystem.THREADS
                        ? "platform threads: their stacks are native memory and are not counted" : "";
                System.out.printf("# Idle footprint: %s, %,d agents%n", id, agents);
                final Footprint footprint = runner.measure(id, agents, note);
                System.out.println("# Idle footprint: " + footprint);
                footprints.add(footprint);
            }
        }
        return footprints;
    }

    private static void deleteQuietly(final Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("Temporary files left in " + dir + ": " + e);
        }
    }
}
