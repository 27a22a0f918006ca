package dev.flin.conformance.faulty;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.conformance.SpecRule;
import dev.flin.conformance.SpecRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.engine.discovery.DiscoverySelectors;

/**
 * The proof that the kit can fail: runs the kit, through the JUnit Platform Launcher, against every
 * deliberately faulty runtime of {@link FaultCatalog} (one after the other, short timeouts) and
 * asserts that each fails at least one REQUIRED check; runs it against the controls (runtime-core
 * as {@code ReferenceRuntimeConformanceVerification} runs it, and runtime-core with the matrix's
 * timeouts, bare and behind the forwarding wrapper) and asserts that they fail nothing. Prints the
 * matrix (fault -> rules that caught it) and writes it to
 * {@code target/flin-conformance/faulty-matrix.txt}; each run's conformance report goes to
 * {@code target/flin-conformance/matrix/}.
 *
 * <p>Run only this: {@code mvn -B -o -pl conformance-tests test -Dtest=FaultyRuntimeMatrixTest}.
 * Options: {@code -Dflin.faulty.only=DropsMessages,ReusesIds} (a subset),
 * {@code -Dflin.faulty.tries=5} (jqwik's default tries, for properties that do not set their own), {@code -Dflin.faulty.maxFailures=5} (after
 * that many failed checks, one of them REQUIRED, a faulty runtime's remaining checks are skipped, see
 * {@link MatrixBudget}; 0 runs every check: the complete matrix), {@code -Dflin.faulty.awaitMillis},
 * {@code -Dflin.faulty.quietMillis}, {@code -Dflin.faulty.runLimitSeconds=120} (a run that takes
 * longer is reported as hung and counts as not caught).
 */
class FaultyRuntimeMatrixTest {

    private static final Path MATRIX = Path.of("target/flin-conformance/faulty-matrix.txt");
    private static final String REPORT_DIR = "target/flin-conformance/matrix";
    private static final String REFERENCE = "dev.flin.conformance.ReferenceRuntimeConformanceVerification";
    private static final String TRIES = System.getProperty("flin.faulty.tries", "5");
    private static final int MAX_FAILURES = Integer.getInteger("flin.faulty.maxFailures", 5);
    private static final Duration RUN_LIMIT = Duration.ofSeconds(Long.getLong("flin.faulty.runLimitSeconds", 120L));

    /** What one launch of the kit did. */
    record KitRun(String label, Class<?> kit, List<String> failedChecks, Set<String> requiredRulesFailed,
                  Set<String> otherRulesFailed, int checks, int passed, int skipped, int skippedByBudget,
                  List<String> containerFailures, boolean finished, Duration time) {

        boolean clean() {
            return finished && failedChecks.isEmpty() && containerFailures.isEmpty();
        }
    }

    @Test
    void everyFaultyRuntimeFailsARequiredCheck_andTheControlsPass() throws Exception {
        final long start = System.nanoTime();
        final String previousReportDir = System.getProperty("flin.kit.reportDir");
        System.setProperty("flin.kit.reportDir", REPORT_DIR);
        final List<KitRun> controls = new ArrayList<>();
        final List<KitRun> faults = new ArrayList<>();
        final List<FaultCatalog.Fault> selected = selectedFaults();
        try {
            controls.add(run("runtime-core as ReferenceRuntimeConformanceVerification runs it (default timeouts)",
                    Class.forName(REFERENCE), false, null));
            controls.add(run("runtime-core with the matrix timeouts (Controls.Core)", Controls.Core.class, true, null));
            controls.add(run("runtime-core behind the forwarding wrapper, ids translated (Controls.Forwarding)",
                    Controls.Forwarding.class, true, null));
            for (final FaultCatalog.Fault fault : selected) {
                faults.add(run(fault.name(), fault.kit(), true, new MatrixBudget.Budget(MAX_FAILURES)));
            }
        } finally {
            if (previousReportDir == null) {
                System.clearProperty("flin.kit.reportDir");
            } else {
                System.setProperty("flin.kit.reportDir", previousReportDir);
            }
        }
        final Duration total = Duration.ofNanos(System.nanoTime() - start);
        final String matrix = render(selected, faults, controls, total);
        System.out.println(matrix);
        Files.createDirectories(MATRIX.getParent());
        Files.writeString(MATRIX, matrix, StandardCharsets.UTF_8);

        final List<String> problems = new ArrayList<>();
        for (final KitRun control : controls) {
            if (!control.clean()) {
                problems.add("control failed: " + control.label() + ": " + control.failedChecks() + " "
                        + control.containerFailures() + (control.finished() ? "" : " (did not finish)"));
            }
            if (control.checks() == 0) {
                problems.add("control ran no check: " + control.label());
            }
        }
        final List<String> uncaught = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            if (faults.get(i).requiredRulesFailed().isEmpty()) {
                uncaught.add(selected.get(i).name() + " (" + selected.get(i).fault() + ")");
            }
        }
        if (!uncaught.isEmpty()) {
            problems.add("faulty runtimes caught by no REQUIRED rule: " + String.join("; ", uncaught));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n\n" + matrix);
    }

    private static List<FaultCatalog.Fault> selectedFaults() {
        final String only = System.getProperty("flin.faulty.only", "").trim();
        if (only.isEmpty()) {
            return FaultCatalog.ALL;
        }
        final Set<String> names = Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet());
        return FaultCatalog.ALL.stream().filter(f -> names.contains(f.name())).collect(Collectors.toList());
    }

    // ------------------------------------------------------------------------------- launching

    private static KitRun run(final String label, final Class<?> kit, final boolean matrixSettings,
                              final MatrixBudget.Budget budget) throws InterruptedException {
        final Outcomes outcomes = new Outcomes(budget);
        final LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(kit))
                .configurationParameter("jqwik.database", "target/jqwik-database-matrix");
        if (budget != null) {
            // a faulty runtime fails many properties: jqwik's reports (samples, seeds) go to the
            // platform's report entries instead of stdout, where the matrix is this test's output.
            // A control's failure is a real problem: its jqwik report stays on stdout.
            request.configurationParameter("jqwik.reporting.usejunitplatform", "true");
        }
        if (matrixSettings) {
            request.configurationParameter("jqwik.tries.default", TRIES)
                    .configurationParameter("jqwik.shrinking.default", "OFF");
        }
        final LauncherDiscoveryRequest built = request.build();
        final long start = System.nanoTime();
        final Thread runner = new Thread(() -> LauncherFactory.create().execute(built, outcomes),
                "matrix-" + kit.getName());
        runner.setDaemon(true);
        MatrixBudget.set(budget);
        try {
            runner.start();
            runner.join(RUN_LIMIT.toMillis());
        } finally {
            MatrixBudget.set(null);
        }
        final boolean finished = !runner.isAlive();
        if (!finished) {
            runner.interrupt();
        }
        return outcomes.summarize(label, kit, finished, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Collects the outcome of every check of one launch. */
    static final class Outcomes implements TestExecutionListener {
        private final ConcurrentLinkedQueue<String> failedMethods = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> failedChecks = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<String> containerFailures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger passed = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();
        private final MatrixBudget.Budget budget;

        Outcomes(final MatrixBudget.Budget budget) {
            this.budget = budget;
        }

        @Override
        public void executionSkipped(final TestIdentifier id, final String reason) {
            if (id.isTest()) {
                skipped.incrementAndGet();
            }
        }

        @Override
        public void executionFinished(final TestIdentifier id, final TestExecutionResult result) {
            if (!id.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    containerFailures.add(id.getDisplayName() + ": "
                            + result.getThrowable().map(FaultyRuntimeMatrixTest::firstLine).orElse("?"));
                }
                return;
            }
            switch (result.getStatus()) {
                case SUCCESSFUL -> passed.incrementAndGet();
                case ABORTED -> skipped.incrementAndGet();
                case FAILED -> {
                    final String method = id.getSource().orElse(null) instanceof MethodSource m
                            ? m.getMethodName() : id.getDisplayName();
                    failedMethods.add(method);
                    if (budget != null) {
                        budget.failed(method.startsWith("required_"));
                    }
                    failedChecks.add(method + " -- " + result.getThrowable().map(FaultyRuntimeMatrixTest::firstLine).orElse("?"));
                }
            }
        }

        KitRun summarize(final String label, final Class<?> kit, final boolean finished, final Duration time) {
            final Set<String> required = new TreeSet<>(RULE_ORDER);
            final Set<String> other = new TreeSet<>(RULE_ORDER);
            for (final String method : failedMethods) {
                SpecRules.idFromMethodName(method).ifPresentOrElse(
                        id -> (method.startsWith("required_") ? required : other).add(id),
                        () -> other.add(method));
            }
            final List<String> failed = new ArrayList<>(failedChecks);
            return new KitRun(label, kit, failed, required, other, passed.get() + failed.size() + skipped.get(),
                    passed.get(), skipped.get(), budget == null ? 0 : budget.skipped(), new ArrayList<>(containerFailures),
                    finished, time);
        }
    }

    // ------------------------------------------------------------------------------- the matrix

    private static final List<String> SPEC_ORDER = SpecRules.ALL.stream().map(SpecRule::id).collect(Collectors.toList());
    private static final Comparator<String> RULE_ORDER = Comparator
            .<String>comparingInt(id -> SPEC_ORDER.contains(id) ? SPEC_ORDER.indexOf(id) : Integer.MAX_VALUE)
            .thenComparing(Comparator.naturalOrder());

    static String render(final List<FaultCatalog.Fault> selected, final List<KitRun> faults, final List<KitRun> controls,
                         final Duration total) {
        final StringBuilder out = new StringBuilder();
        out.append("FLIN conformance kit against deliberately faulty runtimes\n");
        out.append(String.format("kit timeouts: awaitSignal %d ms, expectNothing %d ms; jqwik default tries: %s (properties"
                        + " that set their own keep them);%na faulty runtime's remaining checks are skipped after %s%n%n",
                MatrixKit.TIMEOUTS.awaitSignal().toMillis(), MatrixKit.TIMEOUTS.expectNothing().toMillis(), TRIES,
                MAX_FAILURES > 0 ? MAX_FAILURES + " failed checks (-Dflin.faulty.maxFailures=0: never)" : "never"));
        final String row = "%-3s %-27s %-40s %-15s %-20s %7s  %s%n";
        out.append(String.format(row, "#", "faulty runtime", "caught by (REQUIRED rules)", "expected", "failed/ran", "time", "fault"));
        final List<String> uncaught = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            final FaultCatalog.Fault fault = selected.get(i);
            final KitRun run = faults.get(i);
            final String caught = run.requiredRulesFailed().isEmpty() ? "NONE" : String.join(", ", run.requiredRulesFailed());
            if (run.requiredRulesFailed().isEmpty()) {
                uncaught.add(fault.name());
            }
            final String cut = run.skippedByBudget() > 0 ? " (+" + run.skippedByBudget() + " not run)" : "";
            out.append(String.format(row, i + 1, fault.name(), caught + (run.finished() ? "" : " (hung)"), fault.expected(),
                    run.failedChecks().size() + "/" + (run.checks() - run.skippedByBudget()) + cut, seconds(run.time()),
                    fault.fault()));
        }
        out.append("\ncontrols (must fail nothing):\n");
        for (final KitRun control : controls) {
            out.append(String.format("    %-6s %3d checks, %d failed, %d skipped, %s  %s%n",
                    control.clean() ? "PASSED" : "FAILED", control.checks(), control.failedChecks().size(), control.skipped(),
                    seconds(control.time()), control.label()));
        }
        out.append("\nfaulty runtimes caught by no REQUIRED rule: ").append(uncaught.isEmpty() ? "none" : String.join(", ", uncaught));
        out.append(String.format("%nmatrix run time: %s%n", seconds(total)));
        out.append("\nfailed checks per faulty runtime:\n");
        for (int i = 0; i < faults.size(); i++) {
            final KitRun run = faults.get(i);
            out.append(selected.get(i).name()).append(run.otherRulesFailed().isEmpty() ? ""
                    : " (also failed, not REQUIRED: " + String.join(", ", run.otherRulesFailed()) + ")").append('\n');
            for (final String check : run.failedChecks()) {
                out.append("    ").append(check).append('\n');
            }
            for (final String failure : run.containerFailures()) {
                out.append("    container failed: ").append(failure).append('\n');
            }
        }
        for (final KitRun control : controls) {
            if (!control.clean()) {
                out.append("control ").append(control.label()).append('\n');
                control.failedChecks().forEach(c -> out.append("    ").append(c).append('\n'));
                control.containerFailures().forEach(c -> out.append("    container failed: ").append(c).append('\n'));
            }
        }
        return out.toString();
    }

    private static String seconds(final Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    /** The failure's type and message, its first three lines joined, at most 300 characters. */
    private static String firstLine(final Throwable t) {
        final String text = t.getClass().getSimpleName() + ": " + t.getMessage();
        final String lines = Arrays.stream(text.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).limit(3)
                .collect(Collectors.joining(" / "));
        return lines.length() > 300 ? lines.substring(0, 300) + "..." : lines;
    }
}
