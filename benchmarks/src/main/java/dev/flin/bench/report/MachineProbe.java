package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A few seconds' measurement of the state the machine is in, taken by a baseline report before its
 * first benchmark and after its last ({@link MachineState}), so that two reports whose ratios
 * disagree can show whether the machine changed under them.
 *
 * <p>Why: on a shared 2-core VM the same raw-Disruptor benchmark scored 118-122 M messages/s in one
 * report and 48-55 M in the next, of the same commit, with every fork consistent within its run
 * (issue 13). Code did not change; what the two threads run on did (two cores or two hyperthreads
 * of one, neighbours' load, steal). Three probes capture exactly what those benchmarks depend on:
 * <ul>
 *   <li><b>round trip</b>: two threads bounce one cache line, each spinning until the other's
 *       write arrives; nanoseconds per round trip, the median of {@value #ROUNDS} timed rounds. This
 *       is the cost every cross-thread hand-off pays.</li>
 *   <li><b>compute</b>: one thread's time per step of a dependent integer chain (xorshift),
 *       nanoseconds per step: the core's speed.</li>
 *   <li><b>parallel speed-up</b>: the same work on two threads at once against one after the
 *       other, {@code 2 * t(one) / t(two at once)}: close to 2 on two free cores, well under on two
 *       hyperthreads of one core or with a busy neighbour.</li>
 * </ul>
 * and, where {@code /proc/stat} exists, the share of CPU time the hypervisor stole while they ran.
 *
 * <p>Not a benchmark: its figures only compare one machine's state with itself at another time.
 * Timing uses {@link System#nanoTime()}; the threads are platform daemon threads.
 *
 * <p>Threading: {@link #measure(String)} runs on the caller's thread plus one helper thread it
 * starts and joins; call it from one thread at a time.
 */
public final class MachineProbe {

    /** Timed rounds per probe; their median is the probe's figure. */
    static final int ROUNDS = 5;
    private static final int WARM_UP_ROUNDS = 2;
    private static final long ROUND_TRIP_ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long COMPUTE_STEPS = 20_000_000L;
    private static final long HELPER_TIMEOUT_SECONDS = 60;

    /** Where the probes' results go so that the JIT cannot drop the work. */
    private long sink;

    private MachineProbe() {
    }

    /**
     * One measurement of the machine's state.
     *
     * <p>Immutable; safe to share between threads.
     *
     * @param when             what it was taken for, for example {@code start} or {@code end}
     * @param at               when it was taken
     * @param roundTripNanos   nanoseconds per cache-line round trip between two threads; {@code NaN}
     *                         on one core
     * @param computeNanos     nanoseconds per step of one thread's dependent integer chain
     * @param parallelSpeedup  {@code 2 * t(one) / t(two at once)} for the same work per thread
     * @param stealPercent     the share of CPU time stolen by the hypervisor during the probe, where
     *                         {@code /proc/stat} tells
     */
    public record Calibration(String when, Instant at, double roundTripNanos, double computeNanos,
                              double parallelSpeedup, OptionalDouble stealPercent) {

        /** Checks the components. */
        public Calibration {
            java.util.Objects.requireNonNull(when, "when");
            java.util.Objects.requireNonNull(at, "at");
            java.util.Objects.requireNonNull(stealPercent, "stealPercent");
        }

        /** @return the figures in one line, for logs and reports */
        public String describe() {
            return String.format(Locale.ROOT, "%s: round trip %.0f ns, compute %.2f ns/step, parallel speed-up %.2fx%s", when,
                    roundTripNanos, computeNanos, parallelSpeedup,
                    stealPercent.isPresent() ? String.format(Locale.ROOT, ", steal %.1f%%", stealPercent.getAsDouble()) : "");
        }
    }

    /**
     * Prints one calibration: run it before a measurement to see the machine's state.
     *
     * @param args ignored
     */
    public static void main(final String[] args) {
        System.out.println(measure("now").describe());
    }

    /**
     * @param when what the measurement is for, recorded with it
     * @return the machine's state now; takes about {@code 3} seconds
     */
    public static Calibration measure(final String when) {
        final MachineProbe probe = new MachineProbe();
        final Instant at = Instant.now();
        final Optional<CpuTimes> before = CpuTimes.read();
        final double roundTrip = Runtime.getRuntime().availableProcessors() < 2 ? Double.NaN : probe.roundTripNanos();
        final double one = probe.computeNanos();
        final double two = probe.parallelNanos();
        final Optional<CpuTimes> after = CpuTimes.read();
        final OptionalDouble steal = before.isPresent() && after.isPresent()
                ? after.get().stealPercentSince(before.get()) : OptionalDouble.empty();
        final double speedup = 2 * one * COMPUTE_STEPS / two;
        if (probe.sink == 42) {
            System.out.print(""); // keeps the sink observable
        }
        return new Calibration(when, at, roundTrip, one, speedup, steal);
    }

    /** The cache line the two threads bounce: the caller writes odd values, the helper even ones. */
    private static final class Line {
        volatile long value;
    }

    private double roundTripNanos() {
        final Line line = new Line();
        final Thread helper = new Thread(() -> {
            long expect = 1;
            while (true) {
                long seen;
                while ((seen = line.value) != expect) {
                    if (seen < 0) {
                        return;
                    }
                }
                line.value = expect + 1;
                expect += 2;
            }
        }, "machine-probe-echo");
        helper.setDaemon(true);
        helper.start();
        final double[] rounds = new double[ROUNDS];
        long next = 1;
        try {
            for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
                final long start = System.nanoTime();
                long trips = 0;
                long elapsed;
                do {
                    for (int i = 0; i < 1024; i++) {
                        line.value = next;
                        final long answer = next + 1;
                        while (line.value != answer) {
                            // spin: the round trip is what is measured
                        }
                        next += 2;
                    }
                    trips += 1024;
                    elapsed = System.nanoTime() - start;
                } while (elapsed < ROUND_TRIP_ROUND_NANOS);
                if (round >= 0) {
                    rounds[round] = (double) elapsed / trips;
                }
            }
        } finally {
            line.value = -1;
        }
        join(helper);
        return median(rounds);
    }

    /** @return nanoseconds per step on this thread, median of the timed rounds */
    private double computeNanos() {
        final double[] rounds = new double[ROUNDS];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            final long start = System.nanoTime();
            sink += chain(start, COMPUTE_STEPS);
            final long elapsed = System.nanoTime() - start;
            if (round >= 0) {
                rounds[round] = (double) elapsed / COMPUTE_STEPS;
            }
        }
        return median(rounds);
    }

    /** @return wall-clock nanoseconds for two threads doing {@link #COMPUTE_STEPS} each at once, median */
    private double parallelNanos() {
        final double[] rounds = new double[ROUNDS];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            final CountDownLatch go = new CountDownLatch(1);
            final long[] results = new long[1];
            final Thread helper = new Thread(() -> {
                awaitQuietly(go);
                results[0] = chain(System.nanoTime(), COMPUTE_STEPS);
            }, "machine-probe-compute");
            helper.setDaemon(true);
            helper.start();
            final long start = System.nanoTime();
            go.countDown();
            sink += chain(start, COMPUTE_STEPS);
            join(helper);
            final long elapsed = System.nanoTime() - start;
            sink += results[0];
            if (round >= 0) {
                rounds[round] = elapsed;
            }
        }
        return median(rounds);
    }

    /** A dependent chain of xorshift steps: each needs the one before, so it runs at the core's speed. */
    static long chain(final long seed, final long steps) {
        long x = seed | 1;
        for (long i = 0; i < steps; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static void awaitQuietly(final CountDownLatch latch) {
        try {
            latch.await();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void join(final Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(HELPER_TIMEOUT_SECONDS));
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException(thread.getName() + " did not finish within " + HELPER_TIMEOUT_SECONDS + " s");
        }
    }

    /**
     * The machine-wide CPU time counters of {@code /proc/stat}'s first line, in clock ticks.
     *
     * @param total the sum of every field
     * @param steal the {@code steal} field (the eighth)
     */
    record CpuTimes(long total, long steal) {

        /** @return the counters now, if this system has {@code /proc/stat} */
        static Optional<CpuTimes> read() {
            try {
                return Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.UTF_8).stream().findFirst()
                        .flatMap(CpuTimes::parse);
            } catch (final IOException | RuntimeException e) {
                return Optional.empty();
            }
        }

        /**
         * @param line the first line of {@code /proc/stat}, {@code cpu  user nice system idle iowait irq softirq steal ...}
         * @return its counters, if it has a steal field
         */
        static Optional<CpuTimes> parse(final String line) {
            final List<String> fields = Arrays.asList(line.strip().split("\\s+"));
            if (fields.size() < 9 || !fields.get(0).equals("cpu")) {
                return Optional.empty();
            }
            long total = 0;
            try {
                // guest and guest_nice (fields 9 and 10) are already counted in user and nice
                for (int i = 1; i < Math.min(fields.size(), 9); i++) {
                    total = Math.addExact(total, Long.parseLong(fields.get(i)));
                }
                return Optional.of(new CpuTimes(total, Long.parseLong(fields.get(8))));
            } catch (final NumberFormatException | ArithmeticException e) {
                return Optional.empty();
            }
        }

        /**
         * @param earlier counters read before these
         * @return the stolen share of the time in between, in percent; empty if no time passed
         */
        OptionalDouble stealPercentSince(final CpuTimes earlier) {
            final long total = this.total - earlier.total;
            final long steal = this.steal - earlier.steal;
            if (total <= 0 || steal < 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(100.0 * steal / total);
        }
    }
}
