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
 * @param include          selects scenarios by name ({@code find}, as JMH's include), when given
 * @param systems          the systems to run; empty for all available
 * @param arguments        the arguments as given
 */
record ReportOptions(Path out, int warmupIterations, int iterations, int seconds, Optional<Pattern> include,
                     List<String> systems, List<String> arguments) {

    /** Where reports go by default, relative to the working directory (the repository root). */
    static final String DEFAULT_OUT = "docs/baseline";
    /** Defaults that keep the whole suite within about 15 minutes on 2 cores. */
    static final int DEFAULT_WARMUP_ITERATIONS = 2;
    static final int DEFAULT_ITERATIONS = 3;
    static final int DEFAULT_SECONDS = 1;

    static final String USAGE = String.join("\n",
            "usage: BaselineReport [--out <dir>] [--warmup-iterations <n>] [--iterations <n>] [--time <seconds>]",
            "                      [--include <regex>] [--systems <id,id,...>]",
            "  --out                directory for the report (default " + DEFAULT_OUT + ")",
            "  --warmup-iterations  warm-up iterations per trial (default " + DEFAULT_WARMUP_ITERATIONS + ")",
            "  --iterations         measurement iterations per trial (default " + DEFAULT_ITERATIONS + ")",
            "  --time               seconds per iteration (default " + DEFAULT_SECONDS + ")",
            "  --include            run only the scenarios whose name matches (find), e.g. 'OneToOneTell|PingPong';",
            "                       the idle-footprint step is the scenario 'IdleFootprint'",
            "  --systems            run only these systems, e.g. 'flin-backoff,pekko'; known: "
                    + String.join(", ", Arrays.stream(BenchSystem.values()).map(BenchSystem::id).toList()));

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
        Optional<Pattern> include = Optional.empty();
        final List<String> systems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            final String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                throw new IllegalArgumentException("help");
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
        return new ReportOptions(out, warmup, iterations, seconds, include, systems, Arrays.asList(args));
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
