package dev.flin.runtime.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings that belong together ({@code runtime}, {@code http}, {@code service}), listed under one
 * title in the help text and the start-up printout.
 *
 * <p>Threading: an immutable value.
 *
 * @param title the heading, e.g. {@code HTTP server}
 * @param settings its settings, in the order they are listed
 * @param legacyEnvPrefixes prefixes also read for environment variables, after {@code FLIN_}
 *     (e.g. {@code FLIN_HTTP_}, so that {@code FLIN_HTTP_PORT} still sets {@code --port})
 */
public record SettingGroup(String title, List<Setting<?>> settings, List<String> legacyEnvPrefixes) {

    /**
     * Checks arguments.
     *
     * @param title             the heading
     * @param settings          its settings, in order
     * @param legacyEnvPrefixes prefixes also read for environment variables
     */
    public SettingGroup {
        Objects.requireNonNull(title, "title");
        settings = List.copyOf(settings);
        legacyEnvPrefixes = List.copyOf(legacyEnvPrefixes);
    }

    /**
     * @param title the heading
     * @param settings its settings
     * @return the group, read from {@code FLIN_<NAME>} variables only
     */
    public static SettingGroup of(final String title, final List<Setting<?>> settings) {
        return new SettingGroup(title, settings, List.of());
    }

    /**
     * @param prefix another prefix of its environment variables, e.g. {@code FLIN_HTTP_}
     * @return a copy that also reads them (after {@code FLIN_<NAME>}, which wins)
     */
    public SettingGroup withLegacyEnvPrefix(final String prefix) {
        final List<String> prefixes = new ArrayList<>(legacyEnvPrefixes);
        prefixes.add(Objects.requireNonNull(prefix, "prefix"));
        return new SettingGroup(title, settings, prefixes);
    }
}
