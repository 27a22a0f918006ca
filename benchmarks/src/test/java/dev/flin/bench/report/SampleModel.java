package dev.flin.bench.report;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A hand-built report whose expected ratios and verdicts are easy to work out by hand.
 *
 * <ul>
 *   <li>OneToOneTell: flin-backoff 45M, flin-parking 20M, flin-pinned 42M, pekko 10M, disruptor 50M
 *       ops/s: backoff 4.50x Pekko (MET) and 0.90x Disruptor (MET); parking 2.00x (NOT MET) and 0.40x
 *       (NOT MET); pinned 0.84x Disruptor (MET).</li>
 *   <li>PingPong: backoff 1M, parking 200k, pekko 150k round trips/s: our time over Pekko's 0.15x
 *       (MET), 0.75x (NOT MET). Latency p50: backoff 2 µs, parking 4 µs, pekko 5 µs.</li>
 *   <li>ManyToOneTell producers=1: backoff 25M vs pekko 10M, 2.50x (MET); producers=2: backoff failed;
 *       producers=4 not run.</li>
 *   <li>Savina (ms/op, lower is better): pekko 100..500; backoff chosen so Pekko/ours = 1, 2, 4, 8,
 *       16, geometric mean 4 (MET), chameneos 4.00x (MET); parking as slow as Pekko (chameneos 1.00x,
 *       NOT MET) and has no SavinaBig (geometric mean: no data).</li>
 *   <li>Idle footprint: flin-backoff 212.5 B (NOT MET).</li>
 *   <li>Machine state: round trip 60 ns at the start, 90 ns at the end (50% apart: changed during
 *       the run); compute and speed-up steady; 1.5% stolen over the run.</li>
 * </ul>
 * Scores' errors are 1% of the score, except flin-parking's OneToOneTell (25%, its three forks at
 * 15M, 20M and 25M), Pekko's ManyToOneTell producers=2 (20%, forks at 8.9M, 9M and 9.1M) and the
 * Savina scores (none computed): 25 headline rows, 16 of them at 10% or more. Nothing for flin-yielding or flin-busyspin, and no SpawnMessageStop: their targets
 * have no data.
 */
final class SampleModel {

    static final String BACKOFF = "flin-backoff";
    static final String PARKING = "flin-parking";
    static final String PINNED = "flin-pinned";
    static final String PEKKO = "pekko";
    static final String DISRUPTOR = "disruptor";
    static final String THREADS = "threads";

    private SampleModel() {
    }

    static ScenarioResult throughput(final String benchmark, final Map<String, String> params, final String system,
                                     final double score, final double alloc) {
        return new ScenarioResult(benchmark, params, system, score, score / 100, "ops/s", true, OptionalDouble.of(alloc));
    }

    static ScenarioResult time(final String benchmark, final String system, final double millis) {
        return new ScenarioResult(benchmark, Map.of(), system, millis, Double.NaN, "ms/op", false, OptionalDouble.empty());
    }

    static Latency latency(final String system, final long p50) {
        return new Latency(system, 30_000, p50, p50 * 2, p50 * 10, p50 * 100, p50 * 1000, p50 + 100);
    }

    static ReportModel build() {
        final List<Scenario> scenarios = new ArrayList<>();
        final List<ScenarioResult> results = new ArrayList<>();
        final List<Failure> failures = new ArrayList<>();

        scenarios.add(Scenario.of("OneToOneTell", "one to one", List.of(BACKOFF, PARKING, PINNED, PEKKO, DISRUPTOR)));
        results.add(throughput("OneToOneTell", Map.of(), BACKOFF, 45_000_000, 0.4));
        results.add(new ScenarioResult("OneToOneTell", Map.of(), PARKING, 20_000_000, 5_000_000, "ops/s", true,
                OptionalDouble.of(24), List.of(15_000_000.0, 20_000_000.0, 25_000_000.0)));
        results.add(throughput("OneToOneTell", Map.of(), PINNED, 42_000_000, 0));
        results.add(throughput("OneToOneTell", Map.of(), PEKKO, 10_000_000, 40));
        results.add(throughput("OneToOneTell", Map.of(), DISRUPTOR, 50_000_000, 0));

        scenarios.add(Scenario.of("PingPong", "ping pong", List.of(BACKOFF, PARKING, PEKKO, THREADS)));
        results.add(throughput("PingPong", Map.of(), BACKOFF, 1_000_000, 0));
        results.add(throughput("PingPong", Map.of(), PARKING, 200_000, 0));
        results.add(throughput("PingPong", Map.of(), PEKKO, 150_000, 48));
        failures.add(new Failure("PingPong", Map.of(), THREADS, "java.lang.IllegalStateException: boom | pipe"));

        scenarios.add(new Scenario("ManyToOneTell", "fan in", List.of(BACKOFF, PEKKO),
                Map.of("producers", List.of("1", "2"))));
        results.add(throughput("ManyToOneTell", Map.of("producers", "1"), BACKOFF, 25_000_000, 0));
        results.add(throughput("ManyToOneTell", Map.of("producers", "1"), PEKKO, 10_000_000, 40));
        results.add(new ScenarioResult("ManyToOneTell", Map.of("producers", "2"), PEKKO, 9_000_000, 1_800_000, "ops/s", true,
                OptionalDouble.of(40), List.of(8_900_000.0, 9_000_000.0, 9_100_000.0)));
        failures.add(new Failure("ManyToOneTell", Map.of("producers", "2"), BACKOFF, "java.util.concurrent.TimeoutException: stuck"));

        final double[] pekko = {100, 200, 300, 400, 500};
        final double[] advantage = {1, 2, 4, 8, 16};
        for (int i = 0; i < Targets.SAVINA.size(); i++) {
            final String savina = Targets.SAVINA.get(i);
            scenarios.add(Scenario.of(savina, savina, List.of(BACKOFF, PARKING, PEKKO)));
            results.add(time(savina, PEKKO, pekko[i]));
            results.add(time(savina, BACKOFF, pekko[i] / advantage[i]));
            if (!savina.equals("SavinaBig")) {
                results.add(time(savina, PARKING, pekko[i]));
            }
        }

        final List<Latency> latencies = List.of(latency(BACKOFF, 2_000), latency(PARKING, 4_000), latency(PEKKO, 5_000));
        final List<Footprint> footprints = List.of(
                Footprint.measured(BACKOFF, 1_000_000, 212.5, ""),
                Footprint.measured(PEKKO, 1_000_000, 480, ""),
                Footprint.measured(THREADS, 10_000, 1100, "platform threads: their stacks are native memory and are not counted"),
                Footprint.notApplicable(DISRUPTOR, "the raw Disruptor has no agents"));

        final Environment environment = new Environment(
                new Machine(2, OptionalLong.of(24L * 1024 * 1024 * 1024), "Test CPU", "Linux", "6.1", "amd64"),
                new Jdk("Eclipse Adoptium", "OpenJDK 64-Bit Server VM", "25+36-LTS", 25, "/usr/lib/jvm/temurin-25-jdk-amd64"),
                List.of("-Djava.awt.headless=true"), List.of(List.of("-Xms2g", "-Xmx2g", "-Dflin.bench.latencyDir=/tmp/x")),
                List.of("-Xms4g", "-Xmx4g", "-XX:+UseParallelGC"), Optional.of("abc123"),
                new Versions("0.1.0-SNAPSHOT", "1.7.0", "4.0.0", "1.37", "4.2.18.Final"),
                new MachineState(List.of(
                        new MachineProbe.Calibration("start", Instant.parse("2026-11-25T10:00:01Z"), 60, 0.9, 1.95,
                                OptionalDouble.of(0.5)),
                        new MachineProbe.Calibration("end", Instant.parse("2026-11-25T10:12:00Z"), 90, 0.92, 1.9,
                                OptionalDouble.empty())),
                        OptionalDouble.of(1.5)));
        final RunSettings settings = new RunSettings(2, 1, 5, 1, 3, 120, List.of("gc"), Optional.empty(), List.of(),
                List.of("--include", "One|Ping", "--time", "1"), Duration.ofMinutes(11));
        return new ReportModel(LocalDate.of(2026, 11, 25), environment, settings, Instant.parse("2026-11-25T10:00:00Z"),
                Instant.parse("2026-11-25T10:12:05Z"), scenarios, results, failures, latencies, footprints,
                List.of("vthreads skipped: needs JDK 21"));
    }
}
