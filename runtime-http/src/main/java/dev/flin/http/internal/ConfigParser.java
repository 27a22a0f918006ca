package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * Command-line flags and environment variables to {@link HttpServerConfig}, and back to text
 * ({@link #describe}). Not API: use {@link HttpServerConfig#fromArgs} and
 * {@link HttpServerConfig#describe()}.
 *
 * <p>Every record component of {@link HttpServerConfig} is a setting. Its flag is the component
 * name in kebab-case ({@code maxContentLength} is {@code --max-content-length}), given as
 * {@code --flag value} or {@code --flag=value}; its environment variable is {@code FLIN_HTTP_} plus
 * the name in upper snake case ({@code FLIN_HTTP_MAX_CONTENT_LENGTH}). Flags win over variables,
 * variables over the base configuration. Durations are {@code 250ms}, {@code 10s}, {@code 2m},
 * {@code 1h} or ISO-8601 ({@code PT10S}); enums take their constant's name in any case, with
 * {@code -} or {@code _} ({@code per-request}); lists are comma-separated ({@code a,b}; empty for
 * none).
 *
 * <p>Threading: stateless; any thread.
 */
public final class ConfigParser {

    /** Prefix of the environment variables. */
    public static final String ENV_PREFIX = "FLIN_HTTP_";

    private static final List<RecordComponent> COMPONENTS = List.of(HttpServerConfig.class.getRecordComponents());

    private ConfigParser() {
    }

    /**
     * @param base the configuration to start from
     * @param args flags; each must name a setting
     * @param env  environment variables; those not starting with {@link #ENV_PREFIX} are ignored,
     *             as are unknown ones with the prefix (the environment is shared with other tools)
     * @return the resulting configuration
     * @throws IllegalArgumentException naming the flag or variable and its bad value, an unknown
     *                                  flag, a flag without a value, or a setting out of range
     */
    public static HttpServerConfig parse(final HttpServerConfig base, final String[] args, final Map<String, String> env) {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");

        // component name -> (raw text, where it came from); later sources overwrite earlier ones
        final Map<String, Setting> settings = new LinkedHashMap<>();
        for (final RecordComponent c : COMPONENTS) {
            final String variable = envName(c.getName());
            final String value = env.get(variable);
            if (value != null) {
                settings.put(c.getName(), new Setting(value, "environment variable " + variable));
            }
        }
        for (int i = 0; i < args.length; i++) {
            final String arg = Objects.requireNonNull(args[i], "args[" + i + "]");
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "': settings are given as --name value or --name=value");
            }
            final int eq = arg.indexOf('=');
            final String flag = eq < 0 ? arg : arg.substring(0, eq);
            final RecordComponent c = componentForFlag(flag);
            final String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("flag " + flag + " needs a value");
                }
                value = args[++i];
            }
            settings.put(c.getName(), new Setting(value, "flag " + flag));
        }

        final Object[] values = new Object[COMPONENTS.size()];
        final Class<?>[] types = new Class<?>[COMPONENTS.size()];
        for (int i = 0; i < values.length; i++) {
            final RecordComponent c = COMPONENTS.get(i);
            types[i] = c.getType();
            final Setting s = settings.get(c.getName());
            values[i] = s == null ? read(base, c) : convert(c.getType(), s);
        }
        try {
            final Constructor<HttpServerConfig> canonical = HttpServerConfig.class.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (final InvocationTargetException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                throw new IllegalArgumentException("invalid HTTP server configuration: " + cause.getMessage()
                        + sourcesOf(cause.getMessage(), settings), cause);
            }
            throw new IllegalStateException("could not build the HTTP server configuration", cause);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("HttpServerConfig has no canonical constructor", e);
        }
    }

    /**
     * @param config a configuration
     * @return one {@code name = value} line per setting, in declaration order, values written so
     *         that {@link #parse} reads them back
     */
    public static String describe(final HttpServerConfig config) {
        Objects.requireNonNull(config, "config");
        final StringJoiner lines = new StringJoiner("\n");
        for (final RecordComponent c : COMPONENTS) {
            lines.add(c.getName() + " = " + format(effective(config, c)));
        }
        return lines.toString();
    }

    /**
     * @param base the defaults to show
     * @return one line per setting: its flag, its environment variable and its value in {@code base}
     */
    public static String usage(final HttpServerConfig base) {
        Objects.requireNonNull(base, "base");
        final StringJoiner lines = new StringJoiner("\n");
        for (final RecordComponent c : COMPONENTS) {
            final Object value = read(base, c);
            final String shown = c.getName().equals("allowedHosts") && ((List<?>) value).isEmpty()
                    ? "the bound address,localhost,127.0.0.1,[::1]" : format(value);
            lines.add(String.format(Locale.ROOT, "  %-28s %-36s default %s", flagName(c.getName()), envName(c.getName()),
                    shown));
        }
        return lines.toString();
    }

    /**
     * @param name a component name, e.g. {@code maxContentLength}
     * @return its flag, e.g. {@code --max-content-length}
     */
    public static String flagName(final String name) {
        return "--" + words(name, '-').toLowerCase(Locale.ROOT);
    }

    /**
     * @param name a component name, e.g. {@code maxContentLength}
     * @return its variable, e.g. {@code FLIN_HTTP_MAX_CONTENT_LENGTH}
     */
    public static String envName(final String name) {
        return ENV_PREFIX + words(name, '_').toUpperCase(Locale.ROOT);
    }

    /**
     * @param text a duration: {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601
     * @return the duration
     * @throws IllegalArgumentException if it is none of those
     */
    public static Duration parseDuration(final String text) {
        final String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("p") || t.startsWith("-p")) {
                return Duration.parse(text.trim());
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
            }
            if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
            if (t.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(t.substring(0, t.length() - 1).trim()));
            }
        } catch (final NumberFormatException | DateTimeParseException | ArithmeticException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration (use 250ms, 10s, 2m, 1h or ISO-8601 like PT10S)");
    }

    /**
     * @param d a duration
     * @return it as the shortest of {@code Nh}, {@code Nm}, {@code Ns}, {@code Nms} that is exact,
     *         else ISO-8601
     */
    public static String formatDuration(final Duration d) {
        if (d.getNano() % 1_000_000 != 0 || d.isNegative()) {
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

    private record Setting(String text, String source) {
    }

    private static RecordComponent componentForFlag(final String flag) {
        for (final RecordComponent c : COMPONENTS) {
            if (flagName(c.getName()).equals(flag)) {
                return c;
            }
        }
        final StringJoiner known = new StringJoiner(", ");
        for (final RecordComponent c : COMPONENTS) {
            known.add(flagName(c.getName()));
        }
        throw new IllegalArgumentException("unknown flag " + flag + "; known flags: " + known);
    }

    private static Object read(final HttpServerConfig config, final RecordComponent c) {
        try {
            return c.getAccessor().invoke(config);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    /** @return the component's value, with an empty allowedHosts written as the hosts it stands for */
    private static Object effective(final HttpServerConfig config, final RecordComponent c) {
        return c.getName().equals("allowedHosts") ? config.effectiveAllowedHosts() : read(config, c);
    }

    private static Object convert(final Class<?> type, final Setting s) {
        final String text = s.text().trim();
        try {
            if (type == List.class) {
                final List<String> items = new ArrayList<>();
                for (final String item : text.split(",", -1)) {
                    if (!item.isBlank()) {
                        items.add(item.trim());
                    } else if (!text.isEmpty()) {
                        throw new IllegalArgumentException("'" + s.text() + "' has an empty item: give a comma-separated list");
                    }
                }
                return List.copyOf(items);
            }
            if (type == String.class) {
                if (text.isEmpty()) {
                    throw new IllegalArgumentException("the value is empty");
                }
                return text;
            }
            if (type == int.class) {
                try {
                    return Integer.parseInt(text.replace("_", ""));
                } catch (final NumberFormatException e) {
                    throw new IllegalArgumentException("'" + s.text() + "' is not an integer");
                }
            }
            if (type == Duration.class) {
                return parseDuration(text);
            }
            if (type.isEnum()) {
                return enumConstant(type, text);
            }
        } catch (final IllegalArgumentException e) {
            throw new IllegalArgumentException(s.source() + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException("no parser for settings of type " + type.getName());
    }

    private static Object enumConstant(final Class<?> type, final String text) {
        final String wanted = text.replace('-', '_').toUpperCase(Locale.ROOT);
        final StringJoiner names = new StringJoiner(", ");
        for (final Object constant : type.getEnumConstants()) {
            final String name = ((Enum<?>) constant).name();
            if (name.equals(wanted)) {
                return constant;
            }
            names.add(name.toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + names);
    }

    private static String format(final Object value) {
        if (value instanceof List<?> list) {
            final StringJoiner items = new StringJoiner(",");
            list.forEach(item -> items.add(String.valueOf(item)));
            return items.toString();
        }
        if (value instanceof Duration d) {
            return formatDuration(d);
        }
        if (value instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        return String.valueOf(value);
    }

    private static String sourcesOf(final String message, final Map<String, Setting> settings) {
        if (message == null) {
            return "";
        }
        for (final Map.Entry<String, Setting> e : settings.entrySet()) {
            if (message.startsWith(e.getKey() + " ") || message.equals(e.getKey())) {
                return " (from " + e.getValue().source() + ")";
            }
        }
        return "";
    }

    private static String words(final String camel, final char separator) {
        final StringBuilder b = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            final char ch = camel.charAt(i);
            if (Character.isUpperCase(ch) && i > 0) {
                b.append(separator);
            }
            b.append(ch);
        }
        return b.toString();
    }
}
