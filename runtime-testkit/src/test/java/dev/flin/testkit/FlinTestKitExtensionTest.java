package dev.flin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.flin.runtime.AgentRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The extension, run through the JUnit launcher on fixture classes (static nested classes, which
 * neither Surefire nor a class selector on this class runs by themselves).
 */
class FlinTestKitExtensionTest {

    /** What the fixtures saw, by test name (written by the fixtures, read after the launcher returns). */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** Results of one launcher run, by display name. */
    private static Map<String, TestExecutionResult> run(final Class<?> fixture) {
        final Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        final Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(fixture)).build(),
                new TestExecutionListener() {
                    @Override
                    public void executionFinished(final TestIdentifier id, final TestExecutionResult result) {
                        if (id.isTest()) {
                            results.put(id.getDisplayName(), result);
                        }
                    }
                });
        return results;
    }

    private static Throwable failureOf(final Map<String, TestExecutionResult> results, final String test) {
        final TestExecutionResult result = results.get(test);
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus(), test + ": " + result);
        return result.getThrowable().orElseThrow();
    }

    private static List<ReplaySeed> seeds(final Throwable failure) {
        final List<ReplaySeed> seeds = new ArrayList<>();
        for (final Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof ReplaySeed seed) {
                seeds.add(seed);
            }
        }
        return seeds;
    }

    @ExtendWith(FlinTestKitExtension.class)
    static class PoolFixture {
        private FlinTestKit before;

        @BeforeEach
        void before(final FlinTestKit kit) {
            before = kit;
        }

        @Test
        void sameKitAsBeforeEach(final FlinTestKit kit) {
            SEEN.put("pool.same", before == kit);
            SEEN.put("pool.deterministic", kit.isDeterministic());
            SEEN.put("pool.kit", kit);
            final TestProbe<String> probe = kit.createProbe(String.class);
            probe.ref().tell("hi");
            probe.expectMessage("hi");
        }

        @Test
        void anotherTestGetsAnotherKit(final FlinTestKit kit) {
            SEEN.put("pool.other", kit);
        }

        @Test
        void unexpectedFailure(final FlinTestKit kit) {
            final AgentRef<String> agent = kit.spawn(String.class, () -> (m, c) -> {
                throw new IllegalStateException("unexpected on purpose");
            });
            agent.tell("x");
            kit.await("the failure", () -> kit.runtime().counters().failures() == 1);
        }

        @AfterEach
        void after(final FlinTestKit kit) {
            SEEN.put("pool.after.open." + kit.hashCode(), !kit.runtime().isShutdown());
        }
    }

    @Test
    void eachTestGetsItsOwnPoolKitSharedWithItsLifecycleMethodsAndClosedAfterwards() {
        SEEN.clear();
        final Map<String, TestExecutionResult> results = run(PoolFixture.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("sameKitAsBeforeEach(FlinTestKit)").getStatus(),
                String.valueOf(results.get("sameKitAsBeforeEach(FlinTestKit)")));
        assertEquals(true, SEEN.get("pool.same"));
        assertEquals(false, SEEN.get("pool.deterministic"));
        assertNotSame(SEEN.get("pool.kit"), SEEN.get("pool.other"));
        assertTrue(((FlinTestKit) SEEN.get("pool.kit")).runtime().isShutdown(), "closed after the test");
        assertTrue(SEEN.entrySet().stream().filter(e -> e.getKey().startsWith("pool.after.open."))
                .allMatch(e -> e.getValue().equals(true)), "still open in @AfterEach: " + SEEN);
        final Throwable failure = failureOf(results, "unexpectedFailure(FlinTestKit)");
        assertTrue(failure.getMessage().contains("unexpected agent failure"), failure.getMessage());
        assertTrue(seeds(failure).isEmpty(), "no seed on the worker pool");
    }

    @ExtendWith(FlinTestKitExtension.class)
    @DeterministicRuntime(seed = 1234)
    static class DeterministicFixture {
        @Test
        void failsInItsBody(final FlinTestKit kit) {
            SEEN.put("det.seed", kit.seed().orElseThrow());
            kit.createProbe(String.class).expectMessage("never sent");
        }

        @Test
        @DeterministicRuntime(seed = 77)
        void methodSeedWins(final FlinTestKit kit) {
            SEEN.put("det.method", kit.seed().orElseThrow());
        }

        @Test
        void failsWhenClosing(final FlinTestKit kit) {
            kit.spawn(String.class, () -> (m, c) -> {
                throw new IllegalArgumentException("unexpected on purpose");
            }).tell("x");
            kit.runUntilIdle();
        }
    }

    @Test
    void aFailedDeterministicTestCarriesItsSeedWhetherItFailedInItsBodyOrWhenClosing() {
        SEEN.clear();
        final Map<String, TestExecutionResult> results = run(DeterministicFixture.class);
        assertEquals(1234L, SEEN.get("det.seed"));
        assertEquals(77L, SEEN.get("det.method"));
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("methodSeedWins(FlinTestKit)").getStatus());

        final Throwable body = failureOf(results, "failsInItsBody(FlinTestKit)");
        assertTrue(body.getMessage().contains("never sent"), body.getMessage());
        assertEquals(List.of(1234L), seeds(body).stream().map(ReplaySeed::seed).toList());
        assertTrue(seeds(body).get(0).getMessage().contains("@DeterministicRuntime(seed = 1234L)"), seeds(body).get(0).getMessage());

        final Throwable closing = failureOf(results, "failsWhenClosing(FlinTestKit)");
        assertTrue(closing.getMessage().contains("unexpected agent failure"), closing.getMessage());
        assertEquals(List.of(1234L), seeds(closing).stream().map(ReplaySeed::seed).toList());
    }

    @ExtendWith(FlinTestKitExtension.class)
    @DeterministicRuntime
    static class RandomSeedFixture {
        @Test
        void recordsItsSeed(final FlinTestKit kit) {
            SEEN.put("random." + SEEN.size(), kit.seed().orElseThrow());
        }
    }

    @Test
    void anUnsetSeedComesFromTheSystemPropertyElseIsDrawn() {
        SEEN.clear();
        final String before = System.getProperty(DeterministicRuntime.SEED_PROPERTY);
        try {
            System.setProperty(DeterministicRuntime.SEED_PROPERTY, "31337");
            run(RandomSeedFixture.class);
            assertEquals(31337L, SEEN.get("random.0"));
            System.clearProperty(DeterministicRuntime.SEED_PROPERTY);
            SEEN.clear();
            run(RandomSeedFixture.class);
            run(RandomSeedFixture.class);
            assertFalse(SEEN.get("random.0").equals(SEEN.get("random.1")), "two drawn seeds were equal: " + SEEN);
            System.setProperty(DeterministicRuntime.SEED_PROPERTY, "not-a-number");
            final Map<String, TestExecutionResult> results = run(RandomSeedFixture.class);
            final Throwable failure = failureOf(results, "recordsItsSeed(FlinTestKit)");
            assertTrue(String.valueOf(failure.getMessage()).contains(DeterministicRuntime.SEED_PROPERTY)
                    || String.valueOf(failure.getCause()).contains(DeterministicRuntime.SEED_PROPERTY), String.valueOf(failure));
        } finally {
            if (before == null) {
                System.clearProperty(DeterministicRuntime.SEED_PROPERTY);
            } else {
                System.setProperty(DeterministicRuntime.SEED_PROPERTY, before);
            }
        }
    }
}
