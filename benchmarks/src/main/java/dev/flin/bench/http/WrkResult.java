package dev.flin.bench.http;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One wrk run, parsed from its {@code --latency} output.
 *
 * @param requestsPerSecond wrk's "Requests/sec"
 * @param requests          total requests completed
 * @param p50Micros         50th percentile latency
 * @param p90Micros         90th percentile latency
 * @param p99Micros         99th percentile latency
 * @param non2xx            "Non-2xx or 3xx responses" (0 when wrk printed none)
 * @param socketErrors      connect + read + write + timeout errors (0 when wrk printed none)
 */
record WrkResult(double requestsPerSecond, long requests, double p50Micros, double p90Micros, double p99Micros,
        long non2xx, long socketErrors) {

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern ERRORS = Pattern.compile(
            "Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    /**
     * @throws IllegalArgumentException naming what is missing when {@code out} is not wrk output with --latency
     */
    static WrkResult parse(final String out) {
        final Matcher errors = ERRORS.matcher(out);
        long socketErrors = 0;
        if (errors.find()) {
            for (int g = 1; g <= 4; g++) {
                socketErrors += Long.parseLong(errors.group(g));
            }
        }
        final Matcher non2xx = NON2XX.matcher(out);
        return new WrkResult(Double.parseDouble(find(RPS, out, "Requests/sec")), Long.parseLong(find(TOTAL, out, "request total")),
                percentile(out, "50"), percentile(out, "90"), percentile(out, "99"),
                non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0, socketErrors);
    }

    private static String find(final Pattern p, final String out, final String what) {
        final Matcher m = p.matcher(out);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + what + " in wrk output:\n" + out);
        }
        return m.group(1);
    }

    private static double percentile(final String out, final String pct) {
        final Matcher m = Pattern.compile("^\\s*" + pct + "%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            throw new IllegalArgumentException("no " + pct + "% latency in wrk output (run it with --latency):\n" + out);
        }
        final double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v;
            case "ms" -> v * 1e3;
            default -> v * 1e6;
        };
    }
}
