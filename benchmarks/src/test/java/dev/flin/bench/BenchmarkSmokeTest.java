package dev.flin.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every scenario runs once, with tiny parameters, on every system that offers it, and must do
 * exactly the work it claims; the systems that do not offer a scenario must say so with
 * {@link UnsupportedScenarioException}. Counts only, never time: this keeps the benchmarks from
 * rotting silently between baseline runs.
 */
final class BenchmarkSmokeTest {

    /** The scenarios, with tiny parameters. */
    enum Scenario {
        ONE_TO_ONE(f -> f.oneToOne(new Params.OneToOne(1_000))),
        PING_PONG(f -> f.pingPong(new Params.PingPong(100), LatencyRecorder.NONE)),
        MANY_TO_ONE(f -> f.manyToOne(new Params.ManyToOne(3, 500))),
        MANY_PAIRS(f -> f.manyPairs(new Params.ManyPairs(8, 20))),
        SPAWN_MESSAGE_STOP(f -> f.spawnMessageStop(new Params.SpawnMessageStop(50))),
        COUNT(f -> f.count(new Params.Count(10_000))),
        THREAD_RING(f -> f.threadRing(new Params.ThreadRing(10, 1_000))),
        CHAMENEOS(f -> f.chameneos(new Params.Chameneos(6, 100))),
        BIG(f -> f.big(new Params.Big(8, 50))),
        FJ_THROUGHPUT(f -> f.fjThroughput(new Params.FjThroughput(4, 200)));

        final Function<WorkloadFactory, Workload> create;

        Scenario(final Function<WorkloadFactory, Workload> create) {
            this.create = create;
        }
    }

    /** What the raw Disruptor expresses: rings between threads, no agents to spawn or to meet. */
    private static final Set<Scenario> DISRUPTOR_SCENARIOS =
            Set.of(Scenario.ONE_TO_ONE, Scenario.PING_PONG, Scenario.MANY_TO_ONE, Scenario.COUNT);

    /** What the placed FLIN rows (flin-pinned, flin-blocking) run: one measured agent fed from outside. */
    private static final Set<Scenario> PLACED_SCENARIOS = Set.of(Scenario.ONE_TO_ONE, Scenario.MANY_TO_ONE);

    static Collection<Arguments> systemsAndScenarios() {
        final List<Arguments> all = new ArrayList<>();
        for (final BenchSystem system : BenchSystem.available()) {
            for (final Scenario scenario : Scenario.values()) {
                all.add(Arguments.of(system, scenario));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("systemsAndScenarios")
    void eachScenarioDoesExactlyItsWorkTwice(final BenchSystem system, final Scenario scenario) throws Exception {
        final WorkloadFactory factory = system.factory();
        if (system == BenchSystem.DISRUPTOR && !DISRUPTOR_SCENARIOS.contains(scenario)) {
            assertThrows(UnsupportedScenarioException.class, () -> scenario.create.apply(factory));
            return;
        }
        if (system.isPlaced() && !PLACED_SCENARIOS.contains(scenario)) {
            assertThrows(UnsupportedScenarioException.class, () -> scenario.create.apply(factory));
            return;
        }
        try (Workload workload = scenario.create.apply(factory)) {
            // twice: a workload is reused for every invocation of a trial, so state must reset
            assertEquals(workload.expected(), workload.runOnce(), scenario + " on " + system + ", first run");
            assertEquals(workload.expected(), workload.runOnce(), scenario + " on " + system + ", second run");
        }
    }

    @ParameterizedTest
    @EnumSource(BenchSystem.class)
    void idleAgentsStartAndStop(final BenchSystem system) throws Exception {
        if (!system.isAvailable()) {
            return;
        }
        final WorkloadFactory factory = system.factory();
        if (system == BenchSystem.DISRUPTOR || system.isPlaced()) {
            assertThrows(UnsupportedScenarioException.class, () -> factory.idleAgents(10));
            return;
        }
        factory.idleAgents(100).close();
    }

    @Test
    void pingPongRecordsOneLatencyPerRoundTrip() throws Exception {
        for (final BenchSystem system : BenchSystem.available()) {
            if (system.isPlaced()) {
                assertThrows(UnsupportedScenarioException.class,
                        () -> system.factory().pingPong(new Params.PingPong(50), LatencyRecorder.NONE));
                continue;
            }
            final AtomicLong recorded = new AtomicLong();
            try (Workload workload = system.factory().pingPong(new Params.PingPong(50), nanos -> {
                assertTrue(nanos >= 0, "a negative round trip");
                recorded.incrementAndGet();
            })) {
                assertEquals(50, workload.runOnce());
            }
            assertEquals(50, recorded.get(), "latencies recorded by " + system);
        }
    }

    @Test
    void virtualThreadsAreAvailableExactlyOnJdk21AndNewer() {
        // The build compiles them on JDK 21+ (Maven profile); a broken profile would hide them.
        if (Runtime.version().feature() >= 21) {
            assertTrue(BenchSystem.VTHREADS.isAvailable(), "vthreads missing from a JDK 21+ build");
        } else {
            assertFalse(BenchSystem.VTHREADS.isAvailable());
            assertThrows(UnsupportedScenarioException.class, BenchSystem.VTHREADS::factory);
        }
    }

    @Test
    void unknownSystemNamesTheKnownOnes() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchSystem.byId("akka"));
        assertTrue(e.getMessage().contains("flin-backoff") && e.getMessage().contains("pekko"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bare", "mdc", "jfr", "micrometer", "all"})
    void eachObservabilityModeRunsTheFlinWorkloads(final String mode) throws Exception {
        final WorkloadFactory factory = BenchSystem.factoryFor("flin-backoff+" + mode);
        try (Workload oneToOne = Scenario.ONE_TO_ONE.create.apply(factory)) {
            assertEquals(oneToOne.expected(), oneToOne.runOnce(), "one-to-one with +" + mode);
        }
        try (Workload pingPong = factory.pingPong(new Params.PingPong(50), LatencyRecorder.NONE)) {
            assertEquals(50, pingPong.runOnce(), "ping-pong with +" + mode);
        } finally {
            // +jfr leaves its recording running for the rest of the (forked, short-lived) JMH JVM;
            // this JVM goes on to run other tests
            for (final jdk.jfr.Recording recording : jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings()) {
                if (recording.getName().equals("flin-bench")) {
                    recording.close();
                }
            }
        }
    }

    @Test
    void anObservabilitySuffixIsRefusedWhereItMeansNothing() {
        assertThrows(IllegalArgumentException.class, () -> BenchSystem.factoryFor("pekko+micrometer"));
        assertThrows(IllegalArgumentException.class, () -> BenchSystem.factoryFor("flin-pinned+bare"));
        final WorkloadFactory unknown = BenchSystem.factoryFor("flin-backoff+loud");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> unknown.pingPong(new Params.PingPong(1), LatencyRecorder.NONE));
        assertTrue(e.getMessage().contains("micrometer"), e.getMessage());
    }

    @Test
    void theJmhHarnessRunsABenchmarkAndItsCountCheck() throws Exception {
        // In-process (no fork), one short iteration: proves the generated benchmark list and the
        // wiring from @Param to workload work. The score is not looked at, only that one exists.
        final Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("dev.flin.bench.jmh.OneToOneTell")
                .param("system", "flin-backoff")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200))
                .shouldFailOnError(true)
                .build()).run();
        assertEquals(1, results.size());
        assertTrue(results.iterator().next().getPrimaryResult().getSampleCount() > 0);
    }
}
