package dev.flin.runtime.core.config;

import java.util.Objects;

/**
 * A value's source and the key it was found under.
 *
 * <p>Threading: an immutable value.
 *
 * @param source the kind of source
 * @param key the flag ({@code --port}), property ({@code flin.port}), variable ({@code FLIN_PORT}),
 *     file ({@code app.properties}) or, for a default, empty
 */
public record Origin(Source source, String key) {

    /** The default's origin. */
    public static final Origin DEFAULT = new Origin(Source.DEFAULT, "");

    /**
     * Checks arguments.
     *
     * @param source the kind of source
     * @param key    the flag, property, variable or file; empty for a default
     */
    public Origin {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
    }

    /** @return e.g. {@code env FLIN_PORT}, {@code flag --port}, {@code default} */
    @Override
    public String toString() {
        return key.isEmpty() ? source.label() : source.label() + " " + key;
    }
}
