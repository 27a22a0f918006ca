package dev.flin.runtime.core.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * How the text of a setting becomes a value and back.
 *
 * <p>Threading: implementations are stateless; any thread.
 *
 * @param <T> the value's type
 */
public interface SettingType<T> {

    /**
     * @param text the text as given, never {@code null}
     * @return the value
     * @throws IllegalArgumentException saying what is wrong with the text, quoting it, without
     *     naming the setting (the caller adds the flag and the source)
     */
    T parse(String text);

    /**
     * @param value a value of this type
     * @return text that {@link #parse} reads back to an equal value
     */
    String format(T value);

    /** @return what the text must be, for the help text: {@code integer}, {@code duration}, ... */
    String describe();

    /** @return an {@code int}; {@code _} may separate digits; a value beyond {@code int} is refused */
    static SettingType<Integer> integer() {
        return new Simple<>("integer", text -> {
            final long value = parseLong(text, "an integer");
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + text + "' is too large for an integer (at most " + Integer.MAX_VALUE + ")");
            }
            return (int) value;
        }, String::valueOf);
    }

    /** @return a {@code long}; {@code _} may separate digits */
    static SettingType<Long> longInteger() {
        return new Simple<>("integer", text -> parseLong(text, "an integer"), String::valueOf);
    }

    /** @return {@code true} or {@code false}, any case (also {@code yes}/{@code no}, {@code on}/{@code off}) */
    static SettingType<Boolean> bool() {
        return new Simple<>("true|false", text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Boolean.TRUE;
            case "false", "no", "off" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
        }, String::valueOf);
    }

    /** @return non-blank text, stripped */
    static SettingType<String> string() {
        return new Simple<>("text", text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("the value is empty");
            }
            return text.strip();
        }, value -> value);
    }

    /** @return any text, stripped; empty allowed (for settings whose empty value means "none") */
    static SettingType<String> optionalString() {
        return new Simple<>("text", String::strip, value -> value);
    }

    /** @return a file-system path; not checked for existence */
    static SettingType<Path> path() {
        return new Simple<>("path", text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("the value is empty");
            }
            try {
                return Path.of(text.strip());
            } catch (final InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
            }
        }, Path::toString);
    }

    /**
     * @param type the enum
     * @param <E>  the enum type
     * @return one of its constants by name in any case, {@code -} standing for {@code _}
     *     ({@code per-request} for {@code PER_REQUEST}); written in lower case with {@code -}
     */
    static <E extends Enum<E>> SettingType<E> enumeration(final Class<E> type) {
        Objects.requireNonNull(type, "type");
        final StringJoiner names = new StringJoiner("|");
        for (final E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        return new Simple<>(names.toString(), text -> {
            final String wanted = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            for (final E constant : type.getEnumConstants()) {
                if (constant.name().equals(wanted)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of " + names.toString().replace("|", ", "));
        }, constant -> constant.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }

    /**
     * @return a duration: {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601
     *     ({@code PT10S}); written the shortest exact way ({@code 10s}, not {@code PT10S}); one that
     *     overflows is refused
     */
    static SettingType<Duration> duration() {
        return new Simple<>("duration (250ms, 10s, 2m, 1h or ISO-8601)", SettingType::parseDuration,
                SettingType::formatDuration);
    }

    /**
     * @return a size in bytes as an {@code int}: a number, or one with {@code k}, {@code m} or
     *     {@code g} (binary: {@code 64k} is 65536); written the shortest exact way
     */
    static SettingType<Integer> size() {
        return new Simple<>("size (bytes, or 64k, 16m, 1g)", text -> {
            final String t = text.strip().toLowerCase(Locale.ROOT);
            final String digits = t.endsWith("b") ? t.substring(0, t.length() - 1) : t;
            int shift = 0;
            String number = digits;
            if (!digits.isEmpty()) {
                switch (digits.charAt(digits.length() - 1)) {
                    case 'k' -> shift = 10;
                    case 'm' -> shift = 20;
                    case 'g' -> shift = 30;
                    default -> shift = 0;
                }
            }
            if (shift > 0) {
                number = digits.substring(0, digits.length() - 1);
            }
            final long value = parseLong(number.isEmpty() ? text : number, "a size");
            if (value > (Integer.MAX_VALUE >> shift) || value < 0) {
                throw new IllegalArgumentException("'" + text + "' is too large a size (at most " + Integer.MAX_VALUE + " bytes)");
            }
            return (int) (value << shift);
        }, value -> {
            final int v = value;
            if (v != 0 && v % (1 << 30) == 0) {
                return v / (1 << 30) + "g";
            }
            if (v != 0 && v % (1 << 20) == 0) {
                return v / (1 << 20) + "m";
            }
            if (v != 0 && v % (1 << 10) == 0) {
                return v / (1 << 10) + "k";
            }
            return String.valueOf(v);
        });
    }

    /** @return a comma-separated list of non-blank items, each stripped; empty text is the empty list */
    static SettingType<List<String>> list() {
        return new Simple<>("comma-separated list", text -> {
            final String t = text.strip();
            final List<String> items = new ArrayList<>();
            if (t.isEmpty()) {
                return List.of();
            }
            for (final String item : t.split(",", -1)) {
                if (item.isBlank()) {
                    throw new IllegalArgumentException("'" + text + "' has an empty item: give a comma-separated list");
                }
                items.add(item.strip());
            }
            return List.copyOf(items);
        }, items -> String.join(",", items));
    }

    /**
     * @param text a duration
     * @return it
     * @throws IllegalArgumentException if it is not a duration or does not fit in one
     */
    static Duration parseDuration(final String text) {
        final String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p") || t.startsWith("-p")) {
                return Duration.parse(text.strip());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(number(t, 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(number(t, 1)));
            }
            if (t.endsWith("m")) {
                return Duration.ofSeconds(Math.multiplyExact(Long.parseLong(number(t, 1)), 60L));
            }
            if (t.endsWith("h")) {
                return Duration.ofSeconds(Math.multiplyExact(Long.parseLong(number(t, 1)), 3_600L));
            }
            if (t.endsWith("d")) {
                return Duration.ofSeconds(Math.multiplyExact(Long.parseLong(number(t, 1)), 86_400L));
            }
        } catch (final ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration");
        } catch (final NumberFormatException e) {
            if (t.matches("-?[0-9_]+(ms|s|m|h|d)")) {
                throw new IllegalArgumentException("'" + text + "' is too large a duration");
            }
        } catch (final DateTimeParseException e) {
            if (e.getCause() instanceof ArithmeticException) {
                throw new IllegalArgumentException("'" + text + "' is too large a duration");
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (use 250ms, 10s, 2m, 1h or ISO-8601 like PT10S)");
    }

    /**
     * @param d a duration
     * @return the shortest exact {@code Nd}, {@code Nh}, {@code Nm}, {@code Ns} or {@code Nms};
     *     ISO-8601 when none is exact or it is negative
     */
    static String formatDuration(final Duration d) {
        Objects.requireNonNull(d, "d");
        if (d.isNegative() || d.toNanosPart() % 1_000_000 != 0) {
            return d.toString();
        }
        final long seconds = d.toSeconds();
        if (d.toNanosPart() != 0) {
            if (seconds > Long.MAX_VALUE / 1000 - 1) {
                return d.toString();
            }
            return (seconds * 1000 + d.toNanosPart() / 1_000_000) + "ms";
        }
        if (seconds != 0 && seconds % 86_400 == 0) {
            return seconds / 86_400 + "d";
        }
        if (seconds != 0 && seconds % 3_600 == 0) {
            return seconds / 3_600 + "h";
        }
        if (seconds != 0 && seconds % 60 == 0) {
            return seconds / 60 + "m";
        }
        return seconds + "s";
    }

    private static String number(final String t, final int suffix) {
        return t.substring(0, t.length() - suffix).strip().replace("_", "");
    }

    private static long parseLong(final String text, final String what) {
        final String t = text.strip().replace("_", "");
        try {
            return Long.parseLong(t);
        } catch (final NumberFormatException e) {
            if (t.matches("[+-]?[0-9]+")) {
                throw new IllegalArgumentException("'" + text + "' is too large for " + what);
            }
            throw new IllegalArgumentException("'" + text + "' is not " + what);
        }
    }

    /**
     * A type made of two functions.
     *
     * @param describe what the text must be
     * @param parser text to value
     * @param formatter value to text
     */
    record Simple<T>(String describe, java.util.function.Function<String, T> parser,
            java.util.function.Function<T, String> formatter) implements SettingType<T> {
        /**
         * Checks arguments.
         *
         * @param describe  what the text must be
         * @param parser    text to value
         * @param formatter value to text
         */
        public Simple {
            Objects.requireNonNull(describe, "describe");
            Objects.requireNonNull(parser, "parser");
            Objects.requireNonNull(formatter, "formatter");
        }

        @Override
        public T parse(final String text) {
            return parser.apply(Objects.requireNonNull(text, "text"));
        }

        @Override
        public String format(final T value) {
            return formatter.apply(value);
        }
    }
}
