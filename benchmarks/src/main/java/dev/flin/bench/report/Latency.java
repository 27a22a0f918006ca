package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One system's ping-pong round-trip latency percentiles, in nanoseconds, as the {@code PingPong}
 * benchmark writes them ({@code PingPong-<system>.latency}, lines of {@code name=value}).
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param system the system's id
 * @param count  round trips recorded
 * @param p50    median, ns
 * @param p90    90th percentile, ns
 * @param p99    99th percentile, ns
 * @param p999   99.9th percentile, ns
 * @param max    maximum, ns
 * @param mean   mean, ns
 */
public record Latency(String system, long count, long p50, long p90, long p99, long p999, long max, long mean) {

    /** Checks that the system is named. */
    public Latency {
        Objects.requireNonNull(system, "system");
    }

    /**
     * @param system the system the file belongs to
     * @param file   a {@code .latency} file
     * @return its percentiles
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException when a value is missing or malformed
     */
    public static Latency read(final String system, final Path file) throws IOException {
        return parse(system, Files.readAllLines(Objects.requireNonNull(file, "file"), StandardCharsets.UTF_8));
    }

    /**
     * @param system the system the lines belong to
     * @param lines  the lines of a {@code .latency} file; blank lines and {@code #} comments are skipped
     * @return the percentiles
     * @throws IllegalArgumentException naming the key when a value is missing or malformed
     */
    public static Latency parse(final String system, final List<String> lines) {
        Objects.requireNonNull(system, "system");
        final Map<String, Long> values = new HashMap<>();
        for (final String raw : Objects.requireNonNull(lines, "lines")) {
            final String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not name=value: '" + line + "'");
            }
            final String name = line.substring(0, eq).strip();
            final String value = line.substring(eq + 1).strip();
            try {
                values.put(name, Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number of nanoseconds for " + name + ": '" + value + "'", e);
            }
        }
        return new Latency(system, get(values, "count"), get(values, "p50"), get(values, "p90"), get(values, "p99"),
                get(values, "p99.9"), get(values, "max"), get(values, "mean"));
    }

    private static long get(final Map<String, Long> values, final String name) {
        final Long value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no " + name + "= line");
        }
        return value;
    }
}
