package dev.flin.bench.report;

import dev.flin.bench.BenchSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The baseline report's command line.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param out              the directory the report is written to
 * @param warmupIterations warm-up iterations per trial
 * @param iterations       measurement iterations per trial
 * @param seconds          seconds per iteration (warm-up and measurement)
 * @param forks            forked JVMs per trial (JMH pools their iterations into one score and error)
 * @param include          selects scenarios by name ({@code find}, as JMH's include), when given
 * @param systems          the systems to run; empty for all available
 * @param estimateOnly     print the estimated duration of the run and stop
 * @param arguments        the arguments as given
 */
record ReportOptions(Path out, int warmupIterations, int iterations, int seconds, int forks, Optional<Pattern> include,
                     List<String> systems, boolean estimateOnly, List<String> arguments) {

    /** Where reports go by default, relative to the working directory (the repository root). */
    static final String DEFAULT_OUT = "docs/baseline";
    /*
     * Defaults: 3 forks, so that fork-to-fork differences (JIT decisions, thread placement) are part of
     * every error; 2 warm-up and 5 measured iterations of 1 s each, 15 measurements per score. The whole
     * suite then takes about 40 minutes on 2 cores on JDK 17 (78 trials) and 46 on JDK 21+ (90 trials;
     * see RunEstimate), so that two runs of one commit fit in one sitting.
     */
    static final int DEFAULT_WARMUP_ITERATIONS = 2;
    static final int DEFAULT_ITERATIONS = 5;
    static final int DEFAULT_SECONDS = 1;
    static final int DEFAULT_FORKS = 3;

    static final String USAGE = String.join("\n",
            "usage: BaselineReport [--out <dir>] [--forks <n>] [--warmup-iterations <n>] [--iterations <n>]",
            "                      [--time <seconds>] [--include <regex>] [--systems <id,id,...>] [--estimate]",
            "  --out                directory for the report (default " + DEFAULT_OUT + ")",
            "  --forks              forked JVMs per trial, their iterations pooled into one score (default "
                    + DEFAULT_FORKS + ")",
            "  --warmup-iterations  warm-up iterations per fork (default " + DEFAULT_WARMUP_ITERATIONS + ")",
            "  --iterations         measurement iterations per fork (default " + DEFAULT_ITERATIONS + ")",
            "  --time               seconds per iteration (default " + DEFAULT_SECONDS + ")",
            "  --include            run only the scenarios whose name matches (find), e.g. 'OneToOneTell|PingPong';",
            "                       the idle-footprint step is the scenario 'IdleFootprint'",
            "  --systems            run only these systems, e.g. 'flin-backoff,pekko'; known: "
                    + String.join(", ", Arrays.stream(BenchSystem.values()).map(BenchSystem::id).toList()),
            "  --estimate           print what would run and how long it would take, then stop",
            "The defaults take about 40 minutes on 2 cores on JDK 17 (78 trials x 3 forks) and 46 on JDK 21+",
            "(90 trials); the estimate for the options given is printed at the start.");

    /** Copies the lists. */
    ReportOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(include, "include");
        systems = List.copyOf(Objects.requireNonNull(systems, "systems"));
        arguments = List.copyOf(Objects.requireNonNull(arguments, "arguments"));
    }

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException saying what is wrong with them
     */
    static ReportOptions parse(final String... args) {
        Objects.requireNonNull(args, "args");
        Path out = Path.of(DEFAULT_OUT);
        int warmup = DEFAULT_WARMUP_ITERATIONS;
        int iterations = DEFAULT_ITERATIONS;
        int seconds = DEFAULT_SECONDS;
        int forks = DEFAULT_FORKS;
        boolean estimateOnly = false;
        Optional<Pattern> include = Optional.empty();
        final List<String> systems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("help");
            }
            if (option.equals("--estimate")) {
                estimateOnly = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value" : "unknown argument " + option);
            }
            final String value = args[++i];
            switch (option) {
                case "--out":
                    out = Path.of(value);
                    break;
                case "--warmup-iterations":
                    warmup = count(option, value, 0);
                    break;
                case "--iterations":
                    iterations = count(option, value, 1);
                    break;
                case "--time":
                    seconds = count(option, value, 1);
                    break;
                case "--forks":
                    forks = count(option, value, 1);
                    break;
                case "--include":
                    try {
                        include = Optional.of(Pattern.compile(value));
                    } catch (PatternSyntaxException e) {
                        throw new IllegalArgumentException("--include is not a regex: " + e.getMessage(), e);
                    }
                    break;
                case "--systems":
                    systems.clear();
                    for (final String id : value.split(",")) {
                        if (!id.isBlank()) {
                            systems.add(BenchSystem.byId(id.strip()).id());
                        }
                    }
                    if (systems.isEmpty()) {
                        throw new IllegalArgumentException("--systems names no system");
                    }
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new ReportOptions(out, warmup, iterations, seconds, forks, include, systems, estimateOnly,
                Arrays.asList(args));
    }

    /**
     * @param scenario a scenario's name
     * @return whether {@link #include()} selects it (all are selected without one)
     */
    boolean includes(final String scenario) {
        return include.map(p -> p.matcher(scenario).find()).orElse(true);
    }

    /**
     * @param system a system's id
     * @return whether {@link #systems()} selects it (all are selected without a list)
     */
    boolean selects(final String system) {
        return systems.isEmpty() || systems.contains(system);
    }

    private static int count(final String option, final String value, final int min) {
        try {
            final int n = Integer.parseInt(value);
            if (n < min) {
                throw new IllegalArgumentException(option + " must be >= " + min + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, was '" + value + "'", e);
        }
    }
}
