package dev.flin.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Writes a TCK-style report per implementation: every rule of its {@link Profile} with its level and
 * outcome (PASSED, FAILED, SKIPPED with the reason, or NOT CHECKED), the checks behind it, a summary
 * that counts the profile's rules only, and a one-line verdict. Registered through
 * {@code META-INF/services}, so any JUnit Platform run of the kit (Maven Surefire, Gradle, an IDE)
 * writes it to {@code target/flin-conformance/<name>.txt}, or to the folder named by
 * {@code -Dflin.kit.reportDir=...}.
 *
 * <p>Which classes make one report: a {@link FlinConformanceKit} subclass is reported on its own, as
 * {@link Profile#CORE}, named after its class; every class carrying a {@link ConformanceClaim}
 * (including the HTTP kits' subclasses) is reported with the other classes of the same
 * implementation name, under the claimed profile.
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
    public record Outcome(String method, String ruleId, Status status, String reason) {
        /** Checks arguments. */
        public Outcome {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * What a report is about.
     *
     * @param implementation its name: the {@link ConformanceClaim}'s, or the verification class's name
     * @param profile        the profile whose rules the summary counts
     * @param fileName       the report's file name, without {@code .txt}
     */
    public record Subject(String implementation, Profile profile, String fileName) {
        /** Checks arguments. */
        public Subject {
            Objects.requireNonNull(implementation, "implementation");
            Objects.requireNonNull(profile, "profile");
            Objects.requireNonNull(fileName, "fileName");
        }

        /**
         * @param verificationClass a verification class
         * @return its subject, if it is reported: a {@link FlinConformanceKit} subclass, or a class
         *         carrying a {@link ConformanceClaim}
         */
        public static Optional<Subject> of(final Class<?> verificationClass) {
            final ConformanceClaim claim = verificationClass.getAnnotation(ConformanceClaim.class);
            if (claim != null) {
                return Optional.of(new Subject(claim.implementation(), claim.profile(),
                        claim.implementation().replaceAll("[^A-Za-z0-9._-]", "_")));
            }
            if (FlinConformanceKit.class.isAssignableFrom(verificationClass) && !verificationClass.isInterface()) {
                return Optional.of(new Subject(verificationClass.getName(), Profile.CORE, verificationClass.getSimpleName()));
            }
            return Optional.empty();
        }
    }

    private final Map<Subject, List<Outcome>> bySubject = new ConcurrentHashMap<>();
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
        final Subject subject = subject(id, method).orElse(null);
        if (subject == null) {
            return;
        }
        SpecRules.idFromMethodName(method.getMethodName()).ifPresent(rule -> bySubject
                .computeIfAbsent(subject, k -> Collections.synchronizedList(new ArrayList<>()))
                .add(new Outcome(method.getMethodName(), rule, status, reason == null ? "" : reason)));
    }

    private Optional<Subject> subject(final TestIdentifier id, final MethodSource method) {
        final Optional<Subject> own = subjectOf(method.getClassName());
        if (own.isPresent()) {
            return own;
        }
        final TestPlan current = plan;
        Optional<TestIdentifier> parent = current == null ? Optional.empty() : current.getParent(id);
        while (parent.isPresent()) {
            if (parent.get().getSource().orElse(null) instanceof ClassSource cls) {
                final Optional<Subject> subject = subjectOf(cls.getClassName());
                if (subject.isPresent()) {
                    return subject;
                }
            }
            parent = current.getParent(parent.get());
        }
        return Optional.empty();
    }

    private static Optional<Subject> subjectOf(final String className) {
        try {
            return Subject.of(Class.forName(className, false, Thread.currentThread().getContextClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public void testPlanExecutionFinished(final TestPlan testPlan) {
        final Path dir = Path.of(System.getProperty("flin.kit.reportDir", "target/flin-conformance"));
        final RuleSelection selection;
        try {
            selection = RuleSelection.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            bySubject.clear();
            return; // the run itself failed, naming the selector (RunGuardHook)
        }
        for (final Map.Entry<Subject, List<Outcome>> entry : bySubject.entrySet()) {
            final List<Outcome> outcomes;
            synchronized (entry.getValue()) {
                outcomes = new ArrayList<>(entry.getValue());
            }
            final String text = render(entry.getKey(), selection, outcomes);
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve(entry.getKey().fileName() + ".txt"), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the conformance report to " + dir, e);
            }
        }
        bySubject.clear();
    }

    /**
     * Renders the report of a {@link Profile#CORE} run of every rule.
     *
     * @param kitClass the verification class
     * @param outcomes its checks' outcomes
     * @return the report text
     */
    public static String render(final String kitClass, final List<Outcome> outcomes) {
        return render(new Subject(kitClass, Profile.CORE, kitClass), RuleSelection.parse(""), outcomes);
    }

    /**
     * Renders a report: the rules of the subject's profile that the selection selects, each with its
     * checks; the summary and verdict count those rules only.
     *
     * @param subject   what the report is about
     * @param selection the rules the run was limited to
     * @param outcomes  the checks' outcomes
     * @return the report text
     */
    public static String render(final Subject subject, final RuleSelection selection, final List<Outcome> outcomes) {
        final Map<String, List<Outcome>> byRule = new LinkedHashMap<>();
        final Set<String> outside = new TreeSet<>(ConformanceReportListener::compareIds);
        for (final SpecRule rule : SpecRules.ALL) {
            if (subject.profile().covers(rule) && selection.selects(rule.id())) {
                byRule.put(rule.id(), new ArrayList<>());
            } else if (!subject.profile().covers(rule)) {
                outside.add(rule.id());
            }
        }
        int run = 0;
        for (final Outcome outcome : outcomes) {
            final List<Outcome> checks = byRule.get(outcome.ruleId());
            if (checks != null) {
                checks.add(outcome);
                run += outcome.status() == Status.SKIPPED ? 0 : 1;
            }
        }
        final StringBuilder out = new StringBuilder();
        out.append("FLIN conformance report for ").append(subject.implementation()).append('\n');
        out.append("profile: ").append(subject.profile()).append(" (").append(subject.profile().description()).append(")\n");
        if (!selection.selectsAll()) {
            out.append("selection: ").append(selection).append(" (a partial run)\n");
        }
        out.append("rules reported: ").append(byRule.size()).append(", checks run: ").append(run).append("\n\n");
        out.append(String.format("%-5s %-6s %-11s %s%n", "rule", "level", "result", "title / checks"));
        final List<String> failed = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final List<String> unchecked = new ArrayList<>();
        int passed = 0;
        for (final Map.Entry<String, List<Outcome>> entry : byRule.entrySet()) {
            final SpecRule rule = SpecRules.byId(entry.getKey()).orElseThrow();
            final List<Outcome> checks = entry.getValue();
            final String result;
            if (checks.isEmpty()) {
                result = "NOT CHECKED";
                unchecked.add(rule.id());
            } else if (checks.stream().anyMatch(o -> o.status() == Status.FAILED)) {
                result = "FAILED";
                failed.add(rule.id());
            } else if (checks.stream().anyMatch(o -> o.status() == Status.PASSED)) {
                result = "PASSED";
                passed++;
            } else {
                result = "SKIPPED";
                skipped.add(rule.id() + (checks.stream().allMatch(o -> o.method().startsWith("untested_"))
                        ? " (not checkable through the API)"
                        : checks.stream().allMatch(o -> o.reason().startsWith("runtime lacks capability"))
                                ? " (capability not declared)" : ""));
            }
            out.append(String.format("%-5s %-6s %-11s %s%n", rule.id(), rule.level(), result, rule.title()));
            for (final Outcome check : checks) {
                out.append(String.format("      %-7s %s%s%n", check.status(), check.method(),
                        check.reason().isEmpty() ? "" : " -- " + check.reason()));
            }
        }
        out.append(String.format("%nsummary: %d passed, %d failed, %d skipped, %d not checked (rules of profile %s",
                passed, failed.size(), skipped.size(), unchecked.size(), subject.profile()));
        out.append(outside.isEmpty() ? ")" : "; not counted, outside the profile: " + ranges(outside) + ")").append('\n');
        out.append("verdict: ").append(verdict(subject.profile(), selection, run, failed, skipped, unchecked)).append('\n');
        return out.toString();
    }

    private static String verdict(final Profile profile, final RuleSelection selection, final int run,
            final List<String> failed, final List<String> skipped, final List<String> unchecked) {
        if (run == 0) {
            return "NOTHING VERIFIED: no check ran";
        }
        if (!failed.isEmpty()) {
            return "DOES NOT CONFORM to " + profile + ": rules " + String.join(", ", failed) + " failed";
        }
        if (!unchecked.isEmpty()) {
            return "INCOMPLETE: no check of rules " + ranges(unchecked) + " ran (run every verification class of the"
                    + " implementation in one test run)";
        }
        final String skips = skipped.isEmpty() ? "" : "; skipped: " + String.join(", ", skipped);
        if (!selection.selectsAll()) {
            return "the selected rules pass (" + selection + ")" + skips;
        }
        return "CONFORMS to " + profile + skips;
    }

    /** @return ids as ranges within a section: 9.1-9.14, 3.4 */
    private static String ranges(final java.util.Collection<String> ids) {
        final Map<Integer, List<String>> bySection = ids.stream().sorted(ConformanceReportListener::compareIds)
                .collect(Collectors.groupingBy(Profile::section, LinkedHashMap::new, Collectors.toList()));
        final List<String> parts = new ArrayList<>();
        for (final List<String> section : bySection.values()) {
            final long inSpec = SpecRules.ALL.stream().filter(r -> Profile.section(r.id()) == Profile.section(section.get(0))).count();
            parts.add(section.size() == inSpec && section.size() > 1
                    ? section.get(0) + "-" + section.get(section.size() - 1) : String.join(", ", section));
        }
        return String.join(", ", parts);
    }

    private static int compareIds(final String a, final String b) {
        final int section = Integer.compare(Profile.section(a), Profile.section(b));
        return section != 0 ? section : Integer.compare(Integer.parseInt(a.substring(a.indexOf('.') + 1)),
                Integer.parseInt(b.substring(b.indexOf('.') + 1)));
    }

    private static String firstLine(final String text) {
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
