package dev.flin.bench.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Number and text formatting shared by the renderers. Locale-independent, so a report reads the
 * same wherever it is produced.
 *
 * <p>Stateless; safe to call from any thread.
 */
final class Format {

    private Format() {
    }

    /**
     * @param value a score, error or byte count
     * @return thousands grouped with no decimals from 1,000 on, one decimal from 100, two from 1,
     *         three significant digits below 1; {@code ?} for NaN or infinity
     */
    static String number(final double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "?";
        }
        final double abs = Math.abs(value);
        if (abs >= 1000) {
            return pattern("#,##0").format(value);
        }
        if (abs >= 100) {
            return pattern("0.0").format(value);
        }
        if (abs >= 1 || abs == 0) {
            return pattern("0.00").format(value);
        }
        return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * @param ratio a ratio
     * @return for example {@code 3.41x}; {@code ?} when not a number
     */
    static String ratio(final double ratio) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "?";
        }
        return pattern("0.00").format(ratio) + "x";
    }

    /**
     * @param percent a percentage
     * @return for example {@code 4.2%}, one decimal; {@code ?} when not a number
     */
    static String percent(final double percent) {
        if (Double.isNaN(percent) || Double.isInfinite(percent)) {
            return "?";
        }
        return pattern("0.0").format(percent) + "%";
    }

    /**
     * @param nanos a duration in nanoseconds
     * @return it in microseconds, for example {@code 12.35}
     */
    static String micros(final long nanos) {
        return number(nanos / 1_000.0);
    }

    /**
     * @param bytes a byte count
     * @return for example {@code 23.5 GiB}
     */
    static String gibibytes(final long bytes) {
        return pattern("0.0").format(bytes / (1024.0 * 1024 * 1024)) + " GiB";
    }

    /**
     * @param duration a duration
     * @return for example {@code 12 min 5 s}
     */
    static String duration(final Duration duration) {
        final long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + " s";
        }
        return seconds / 60 + " min " + seconds % 60 + " s";
    }

    /**
     * @param params parameters other than {@code system}
     * @return for example {@code producers=2}, or empty for none
     */
    static String params(final Map<String, String> params) {
        return new java.util.TreeMap<>(params).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * @param text any text
     * @return it, safe inside a markdown table cell (pipes escaped, line breaks flattened)
     */
    static String cell(final String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ").strip();
    }

    private static DecimalFormat pattern(final String pattern) {
        return new DecimalFormat(pattern, DecimalFormatSymbols.getInstance(Locale.ROOT));
    }
}
