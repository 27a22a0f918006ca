package dev.flin.runtime.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The effective settings a {@link Settings#parse} produced: a value and its {@link Origin} for
 * every declared setting.
 *
 * <p>Threading: an immutable value; any thread.
 */
public final class Configuration {

    /** What the command line asked for. */
    public enum Request {
        /** Run with these settings. */
        RUN,
        /** {@code --help}: print {@link Settings#help()} and exit. */
        HELP,
        /** {@code --version}: print the version and exit. */
        VERSION
    }

    /**
     * One effective value.
     *
     * @param value the value
     * @param text how it is printed: as it was typed, or its type's format for a default
     * @param origin where it came from
     */
    record Value<T>(T value, String text, Origin origin) {
    }

    private final Settings settings;
    private final Map<Setting<?>, Value<?>> values;
    private final Request request;

    Configuration(final Settings settings, final Map<Setting<?>, Value<?>> values, final Request request) {
        this.settings = settings;
        this.values = Map.copyOf(values);
        this.request = request;
    }

    /** @return what the command line asked for */
    public Request request() {
        return request;
    }

    /**
     * @param setting a declared setting
     * @param <T>     its value's type
     * @return its effective value
     * @throws IllegalArgumentException if the registry does not declare it
     */
    @SuppressWarnings("unchecked")
    public <T> T get(final Setting<T> setting) {
        return ((Value<T>) value(setting)).value();
    }

    /**
     * @param setting a declared setting
     * @return where its value came from
     */
    public Origin origin(final Setting<?> setting) {
        return value(setting).origin();
    }

    /**
     * @param setting a declared setting
     * @return its flag and, unless it is the default, where its value came from: {@code --port}
     *     or {@code --port (from env FLIN_PORT)}, for messages about a setting that is valid alone
     *     but not with the others
     */
    public String describeSource(final Setting<?> setting) {
        final Origin origin = origin(setting);
        return origin.source() == Source.DEFAULT ? setting.flag() + " (default)" : setting.flag() + " (from " + origin + ")";
    }

    private Value<?> value(final Setting<?> setting) {
        Objects.requireNonNull(setting, "setting");
        final Value<?> v = values.get(setting);
        if (v == null) {
            throw new IllegalArgumentException(setting.flag() + " is not declared in this registry");
        }
        return v;
    }

    /**
     * @return one line per effective setting, in declaration order: {@code --flag=value (source)},
     *     the value as it was typed ({@code 10s} stays {@code 10s}) or, for a default, in its
     *     type's shortest form; secrets as {@code ****}
     */
    public List<String> lines() {
        final List<String> lines = new ArrayList<>();
        for (final Setting<?> s : settings.all()) {
            final Value<?> v = values.get(s);
            lines.add(s.flag() + "=" + v.text() + " (" + v.origin() + ")");
        }
        return List.copyOf(lines);
    }

    /** @return {@link #lines()} joined by newlines */
    public String printout() {
        return String.join("\n", lines());
    }

    @Override
    public String toString() {
        return printout();
    }
}
