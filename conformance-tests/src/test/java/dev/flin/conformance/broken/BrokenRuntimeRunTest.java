package dev.flin.conformance.broken;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Runs the whole kit, with its default timeouts, through the JUnit Platform Launcher against the
 * worst of {@link BrokenRuntimes} (agents never process a message) and against runtime-core: the
 * broken run must fail, and fail fast the way {@link dev.flin.conformance.KitTimeouts} documents
 * (after the run's full waits, waits are short and say so); every failure must name its rule;
 * runtime-core must pass. Timing is not asserted (house rule); the times are in the kit's docs.
 */
class BrokenRuntimeRunTest {

    /** The outcome of one launch. */
    private record Outcome(int checks, List<String> failures) { }

    @Test
    void theKitFailsABadlyBrokenRuntimeFastAndExplainsEachFailure_andPassesRuntimeCore() {
        final Outcome broken = run(NeverProcessesBrokenKit.class);
        assertFalse(broken.failures().isEmpty(), "the kit passed a runtime whose agents never process a message");
        assertTrue(broken.failures().stream().anyMatch(f -> f.contains("a short wait: this run already timed out")),
                "after the run's full waits timed out, later waits must be short and say so: " + broken.failures());
        for (final String failure : broken.failures()) {
            assertTrue(failure.contains(" -- rule ") || failure.contains(" -- check "),
                    "every failure must start with the rule it checks: " + failure);
        }
        final Outcome core = run(classNamed("dev.flin.conformance.ReferenceRuntimeConformanceVerification"));
        assertTrue(core.checks() > 100, "runtime-core ran only " + core.checks() + " checks");
        assertEquals(List.of(), core.failures(), "runtime-core must pass the kit");
    }

    private static Class<?> classNamed(final String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new AssertionError(name + " is not on the test class path", e);
        }
    }

    private static Outcome run(final Class<?> kit) {
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger checks = new AtomicInteger();
        final TestExecutionListener listener = new TestExecutionListener() {
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
        return new Outcome(checks.get(), List.copyOf(failures));
    }
}
