package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The kit's run guard ({@link RunGuardHook}) through the JUnit Platform, as a build runs it: a
 * selection runs only its rules; a run that verifies nothing fails its class, whether the selection
 * names no rule or every selected check is skipped.
 */
class RunGuardTest {

    /** runtime-core's stand-in (the simple runtime), declaring no timers. */
    static final class WithoutTimersKit extends FlinConformanceKit {
        @Override
        public RuntimeProvider provider() {
            return new RuntimeProvider() {
                @Override
                public dev.flin.runtime.AgentRuntime create() {
                    return dev.flin.conformance.simple.ThreadPerAgentRuntime.create();
                }

                @Override
                public Set<Capability> capabilities() {
                    final Set<Capability> all = RuntimeProvider.super.capabilities();
                    all.remove(Capability.TIMERS);
                    return all;
                }
            };
        }
    }

    /** What one launch did. */
    static final class Launch implements TestExecutionListener {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final List<String> containerFailures = new ArrayList<>();

        @Override
        public void executionSkipped(final TestIdentifier id, final String reason) {
            skipped.incrementAndGet();
        }

        @Override
        public void executionFinished(final TestIdentifier id, final TestExecutionResult result) {
            if (id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                passed.incrementAndGet();
            } else if (id.getSource().orElse(null) instanceof ClassSource
                    && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) { // not the engine's echo
                synchronized (containerFailures) {
                    containerFailures.add(result.getThrowable().map(String::valueOf).orElse("?"));
                }
            }
        }
    }

    private static Launch launch(final String rules, final Path reports) {
        final String previousRules = System.getProperty(RuleSelection.PROPERTY);
        final String previousDir = System.getProperty("flin.kit.reportDir");
        System.setProperty(RuleSelection.PROPERTY, rules);
        System.setProperty("flin.kit.reportDir", reports.toString());
        try {
            final Launch launch = new Launch();
            LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectClass(WithoutTimersKit.class))
                    .configurationParameter("jqwik.database", "target/jqwik-database-runguard").build(), launch);
            return launch;
        } finally {
            restore(RuleSelection.PROPERTY, previousRules);
            restore("flin.kit.reportDir", previousDir);
        }
    }

    private static void restore(final String key, final String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }

    @Test
    void aSelectionRunsOnlyItsRules_andTheReportSaysSo(@TempDir final Path reports) throws Exception {
        final Launch launch = launch("8.2", reports);
        assertEquals(List.of(), launch.containerFailures);
        assertTrue(launch.passed.get() > 0, "no check of rule 8.2 passed");
        final String report = Files.readString(reports.resolve("WithoutTimersKit.txt"));
        assertTrue(report.contains("selection: -Dflin.kit.rules=8.2 (a partial run)"), report);
        assertTrue(report.contains("\n8.2   MUST   PASSED"), report);
        assertTrue(report.endsWith("verdict: the selected rules pass (-Dflin.kit.rules=8.2)\n"), report);
    }

    @Test
    void aRunWhoseSelectedChecksAreAllSkippedFailsItsClass(@TempDir final Path reports) throws Exception {
        final Launch launch = launch("7", reports);
        assertEquals(0, launch.passed.get());
        assertEquals(1, launch.containerFailures.size(), String.valueOf(launch.containerFailures));
        assertTrue(launch.containerFailures.get(0).contains("WithoutTimersKit ran no check: every check was skipped"
                + " (-Dflin.kit.rules=7, capabilities "), launch.containerFailures.get(0));
        final String report = Files.readString(reports.resolve("WithoutTimersKit.txt"));
        assertTrue(report.endsWith("verdict: NOTHING VERIFIED: no check ran\n"), report);
    }

    @Test
    void aSelectionThatNamesNoRuleFailsTheClassNamingIt(@TempDir final Path reports) {
        final Launch launch = launch("2.99", reports);
        assertEquals(0, launch.passed.get());
        assertEquals(1, launch.containerFailures.size(), String.valueOf(launch.containerFailures));
        assertTrue(launch.containerFailures.get(0).contains("'2.99' names no rule of the spec"), launch.containerFailures.get(0));
    }

    @Test
    void aSelectionOfSection9FailsACoreClass_pointingToTheHttpKits(@TempDir final Path reports) {
        final Launch launch = launch("9", reports);
        assertEquals(1, launch.containerFailures.size(), String.valueOf(launch.containerFailures));
        assertTrue(launch.containerFailures.get(0).contains("-Dflin.kit.rules=9 selects no check of this class"),
                launch.containerFailures.get(0));
    }
}
