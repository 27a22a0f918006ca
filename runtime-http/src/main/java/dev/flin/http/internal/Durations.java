package dev.flin.http.internal;

import java.time.Duration;

/**
 * Durations in log lines and error bodies, written as a setting is typed ({@code 10s}, not
 * {@code PT10S}). Not API.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * @param d a duration
     * @return the shortest exact {@code Nh}, {@code Nm}, {@code Ns} or {@code Nms}; ISO-8601 when
     *     none is exact or it is negative
     */
    public static String format(final Duration d) {
        if (d.isNegative() || d.toNanosPart() % 1_000_000 != 0) {
            return d.toString();
        }
        final long millis = d.toMillis();
        if (millis != 0 && millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
