package dev.flin.conformance.broken;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the kit, with its default timeouts, through the JUnit Platform Launcher against the worst of
 * {@link BrokenRuntimes} (agents never process a message): the run must fail, and fail fast the way
 * {@link dev.flin.conformance.KitTimeouts} documents (after the run's full waits, waits are short
 * and say so; after its tenth timeout, the rest of the run is skipped and says why), and every
 * failure must name its rule. Limited to sections 2 and 5
 * ({@code -Dflin.kit.rules=2,5}) to keep the build short: the whole kit against it takes about two
 * minutes and is measured, not asserted (house rule), in docs/conformance.md. runtime-core passing
 * the same hooks is {@code ReferenceRuntimeConformanceVerification}'s job.
 */
class BrokenRuntimeRunTest {

    /** The outcome of one launch. */
    private record Outcome(int checks, List<String> failures, List<String> skipped) { }

    @Test
    void theKitFailsABadlyBrokenRuntimeFastAndExplainsEachFailure() {
        final String previous = System.getProperty("flin.kit.rules");
        System.setProperty("flin.kit.rules", "2,5");
        final Outcome broken;
        try {
            broken = run(NeverProcessesBrokenKit.class);
        } finally {
            if (previous == null) {
                System.clearProperty("flin.kit.rules");
            } else {
                System.setProperty("flin.kit.rules", previous);
            }
        }
        assertFalse(broken.failures().isEmpty(), "the kit passed a runtime whose agents never process a message");
        assertTrue(broken.failures().stream().anyMatch(f -> f.contains("a short wait: this run already timed out")),
                "after the run's full waits timed out, later waits must be short and say so: " + broken.failures());
        for (final String failure : broken.failures()) {
            assertTrue(failure.contains(" -- rule ") || failure.contains(" -- check "),
                    "every failure must start with the rule it checks: " + failure);
        }
        assertFalse(broken.skipped().isEmpty(), "after 10 timeouts the rest of the run must be skipped");
        for (final String skip : broken.skipped()) {
            assertTrue(skip.contains(" -- not run: ") && skip.contains("waits of this run timed out (the first in "),
                    "a check skipped by the run's stop must say why: " + skip);
        }
    }

    private static Outcome run(final Class<?> kit) {
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> skipped = new ConcurrentLinkedQueue<>();
        final AtomicInteger checks = new AtomicInteger();
        final TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionSkipped(final TestIdentifier id, final String reason) {
                if (id.isTest() && reason.startsWith("not run: ")) { // not the rule selection's skips
                    skipped.add(id.getDisplayName() + " -- " + reason);
                }
            }

            @Override
            public void executionFinished(final TestIdentifier id, final TestExecutionResult result) {
                if (!id.isTest()) {
                    result.getThrowable().ifPresent(t -> failures.add(id.getDisplayName() + " (container) -- " + t));
                    return;
                }
                checks.incrementAndGet();
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    final String method = id.getSource().orElse(null) instanceof MethodSource m
                            ? m.getMethodName() : id.getDisplayName();
                    failures.add(method + " -- " + result.getThrowable().map(Throwable::getMessage).orElse("?"));
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(kit))
                .configurationParameter("jqwik.database", "target/jqwik-database-broken")
                .configurationParameter("jqwik.reporting.usejunitplatform", "true")
                .build(), listener);
        return new Outcome(checks.get(), List.copyOf(failures), List.copyOf(skipped));
    }
}
