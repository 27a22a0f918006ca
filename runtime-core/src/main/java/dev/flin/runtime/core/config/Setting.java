package dev.flin.runtime.core.config;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One declared setting: a kebab-case name (the flag is {@code --name}, the system property
 * {@code flin.name}, the environment variable {@code FLIN_NAME}, the properties-file key
 * {@code name}), a type, a default, a one-line doc and an optional check.
 *
 * <p>Threading: an immutable value; any thread.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    private final String name;
    private final SettingType<T> type;
    private final T defaultValue;
    private final String defaultText;
    private final String doc;
    private final Function<T, Optional<String>> check;
    private final boolean secret;

    private Setting(final String name, final SettingType<T> type, final T defaultValue, final String defaultText,
            final String doc, final Function<T, Optional<String>> check, final boolean secret) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.doc = doc;
        this.check = check;
        this.secret = secret;
    }

    /**
     * @param name kebab-case: lower-case letters, digits and single dashes, e.g. {@code data-dir}
     * @param type how its text is read
     * @param defaultValue its value when no source gives one
     * @param doc one line for the help text
     * @param <T> the value's type
     * @return the setting, with no check beyond its type
     * @throws IllegalArgumentException if the name is not kebab-case
     */
    public static <T> Setting<T> of(final String name, final SettingType<T> type, final T defaultValue, final String doc) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(doc, "doc");
        if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("a setting's name is kebab-case, like data-dir; was '" + name + "'");
        }
        return new Setting<>(name, type, defaultValue, null, doc, value -> Optional.empty(), false);
    }

    /**
     * @param min smallest allowed value
     * @param max largest allowed value
     * @param <C> a type the value compares with
     * @return a copy that refuses values outside {@code [min, max]}
     */
    public <C extends Comparable<? super T>> Setting<T> range(final C min, final C max) {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        @SuppressWarnings("unchecked")
        final T low = (T) min;
        @SuppressWarnings("unchecked")
        final T high = (T) max;
        return check(value -> min.compareTo(value) > 0 || max.compareTo(value) < 0
                ? Optional.of("must be in [" + type.format(low) + ", " + type.format(high) + "]")
                : Optional.empty());
    }

    /**
     * @param extra says what is wrong with a value (without naming the setting), or empty if it is fine
     * @return a copy that also applies {@code extra}
     */
    public Setting<T> check(final Function<T, Optional<String>> extra) {
        Objects.requireNonNull(extra, "extra");
        final Function<T, Optional<String>> before = check;
        return new Setting<>(name, type, defaultValue, defaultText, doc,
                value -> before.apply(value).or(() -> extra.apply(value)), secret);
    }

    /**
     * @param text how the help text shows the default, when the value alone would not say it
     *     (e.g. {@code "one per core"})
     * @return a copy with it
     */
    public Setting<T> defaultShownAs(final String text) {
        return new Setting<>(name, type, defaultValue, Objects.requireNonNull(text, "text"), doc, check, secret);
    }

    /** @return a copy whose value is never printed (shown as {@code ****}) */
    public Setting<T> secret() {
        return new Setting<>(name, type, defaultValue, defaultText, doc, check, true);
    }

    /** @return the kebab-case name, e.g. {@code data-dir} */
    public String name() {
        return name;
    }

    /** @return the flag, e.g. {@code --data-dir} */
    public String flag() {
        return "--" + name;
    }

    /** @return the system property, e.g. {@code flin.data-dir} */
    public String property() {
        return "flin." + name;
    }

    /** @return the environment variable, e.g. {@code FLIN_DATA_DIR} */
    public String environmentVariable() {
        return envName("FLIN_");
    }

    /**
     * @param prefix e.g. {@code FLIN_HTTP_}
     * @return the name in upper snake case after the prefix, e.g. {@code FLIN_HTTP_PORT}
     */
    String envName(final String prefix) {
        return prefix + name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** @return its type */
    public SettingType<T> type() {
        return type;
    }

    /** @return its default */
    public T defaultValue() {
        return defaultValue;
    }

    /** @return the one-line doc */
    public String doc() {
        return doc;
    }

    /** @return whether its value is hidden when printed */
    public boolean isSecret() {
        return secret;
    }

    /** @return the default as the help text shows it */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        return secret ? "****" : type.format(defaultValue);
    }

    /**
     * @param value a value
     * @return what is wrong with it (its type's check and this setting's), or empty
     */
    Optional<String> problem(final T value) {
        return check.apply(value);
    }

    /**
     * @param value a value of this setting
     * @return it as printed: its type's format, or {@code ****} if secret
     */
    public String show(final T value) {
        return secret ? "****" : type.format(value);
    }

    @Override
    public String toString() {
        return flag();
    }
}
