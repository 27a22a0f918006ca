package dev.flin.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes a TCK-style report per verification class: every rule of the spec with its level and
 * outcome (PASSED, FAILED, SKIPPED with the reason, or NOT CHECKED), and the checks behind it.
 * Registered through {@code META-INF/services}, so any JUnit Platform run of the kit (Maven
 * Surefire, Gradle, an IDE) writes it to {@code target/flin-conformance/<Class>.txt}, or to the
 * folder named by {@code -Dflin.kit.reportDir=...}.
 *
 * <p>Threading: the platform may report from several threads; outcomes go into a concurrent map.
 */
public final class ConformanceReportListener implements TestExecutionListener {

    /** The outcome of one check. */
    public enum Status { PASSED, FAILED, SKIPPED }

    /**
     * One check's outcome.
     *
     * @param method the check method
     * @param ruleId the rule it cites
     * @param status what happened
     * @param reason failure message or skip reason, empty when passed
     */
    public record Outcome(String method, String ruleId, Status status, String reason) { }

    private final Map<String, List<Outcome>> byClass = new ConcurrentHashMap<>();
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(final TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(final TestIdentifier id, final String reason) {
        record(id, Status.SKIPPED, reason);
    }

    @Override
    public void executionFinished(final TestIdentifier id, final TestExecutionResult result) {
        switch (result.getStatus()) {
            case SUCCESSFUL -> record(id, Status.PASSED, "");
            case ABORTED -> record(id, Status.SKIPPED, result.getThrowable().map(Throwable::getMessage).orElse(""));
            case FAILED -> record(id, Status.FAILED, result.getThrowable().map(t -> firstLine(String.valueOf(t.getMessage()))).orElse(""));
        }
    }

    private void record(final TestIdentifier id, final Status status, final String reason) {
        if (!id.isTest() || id.getSource().isEmpty() || !(id.getSource().get() instanceof MethodSource method)) {
            return;
        }
        final String kitClass = verificationClass(id, method).orElse(null);
        if (kitClass == null) {
            return;
        }
        SpecRules.idFromMethodName(method.getMethodName()).ifPresent(rule -> byClass
                .computeIfAbsent(kitClass, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                .add(new Outcome(method.getMethodName(), rule, status, reason == null ? "" : reason)));
    }

    private Optional<String> verificationClass(final TestIdentifier id, final MethodSource method) {
        if (isKit(method.getClassName())) {
            return Optional.of(method.getClassName());
        }
        final TestPlan current = plan;
        Optional<TestIdentifier> parent = current == null ? Optional.empty() : current.getParent(id);
        while (parent.isPresent()) {
            if (parent.get().getSource().orElse(null) instanceof ClassSource cls && isKit(cls.getClassName())) {
                return Optional.of(cls.getClassName());
            }
            parent = current.getParent(parent.get());
        }
        return Optional.empty();
    }

    private static boolean isKit(final String className) {
        try {
            final Class<?> type = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            return FlinConformanceKit.class.isAssignableFrom(type) && !type.isInterface();
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    @Override
    public void testPlanExecutionFinished(final TestPlan testPlan) {
        final Path dir = Path.of(System.getProperty("flin.kit.reportDir", "target/flin-conformance"));
        for (final Map.Entry<String, List<Outcome>> entry : byClass.entrySet()) {
            final List<Outcome> outcomes;
            synchronized (entry.getValue()) {
                outcomes = new ArrayList<>(entry.getValue());
            }
            final String text = render(entry.getKey(), outcomes);
            try {
                Files.createDirectories(dir);
                final String simpleName = entry.getKey().substring(entry.getKey().lastIndexOf('.') + 1);
                Files.writeString(dir.resolve(simpleName + ".txt"), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the conformance report to " + dir, e);
            }
        }
        byClass.clear();
    }

    /**
     * Renders a report.
     *
     * @param kitClass the verification class
     * @param outcomes its checks' outcomes
     * @return the report text
     */
    public static String render(final String kitClass, final List<Outcome> outcomes) {
        final Map<String, List<Outcome>> byRule = new LinkedHashMap<>();
        for (final SpecRule rule : SpecRules.ALL) {
            byRule.put(rule.id(), new ArrayList<>());
        }
        for (final Outcome outcome : outcomes) {
            byRule.computeIfAbsent(outcome.ruleId(), k -> new ArrayList<>()).add(outcome);
        }
        final StringBuilder out = new StringBuilder();
        out.append("FLIN conformance report for ").append(kitClass).append('\n');
        out.append("spec rules: ").append(SpecRules.ALL.size()).append(", checks run: ").append(outcomes.size()).append("\n\n");
        out.append(String.format("%-5s %-6s %-11s %s%n", "rule", "level", "result", "title / checks"));
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        int unchecked = 0;
        for (final Map.Entry<String, List<Outcome>> entry : byRule.entrySet()) {
            final SpecRule rule = SpecRules.byId(entry.getKey()).orElse(new SpecRule(entry.getKey(), "(not in spec)", SpecRule.Level.MUST));
            final List<Outcome> checks = entry.getValue();
            final String result;
            if (checks.isEmpty()) {
                result = "NOT CHECKED";
                unchecked++;
            } else if (checks.stream().anyMatch(o -> o.status() == Status.FAILED)) {
                result = "FAILED";
                failed++;
            } else if (checks.stream().anyMatch(o -> o.status() == Status.PASSED)) {
                result = "PASSED";
                passed++;
            } else {
                result = "SKIPPED";
                skipped++;
            }
            out.append(String.format("%-5s %-6s %-11s %s%n", rule.id(), rule.level(), result, rule.title()));
            for (final Outcome check : checks) {
                out.append(String.format("      %-7s %s%s%n", check.status(), check.method(),
                        check.reason().isEmpty() ? "" : " -- " + check.reason()));
            }
        }
        out.append(String.format("%nsummary: %d passed, %d failed, %d skipped, %d not checked%n", passed, failed, skipped, unchecked));
        return out.toString();
    }

    private static String firstLine(final String text) {
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
