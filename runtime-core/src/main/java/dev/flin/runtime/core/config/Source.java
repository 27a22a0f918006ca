package dev.flin.runtime.core.config;

/**
 * Where a setting's value came from, highest precedence last: a source overrides every source
 * declared before it.
 */
public enum Source {
    /** The setting's declared default. */
    DEFAULT("default"),
    /** The properties file named by {@code --config}; its keys are flag names without dashes. */
    FILE("file"),
    /** An environment variable {@code FLIN_<NAME>}. */
    ENV("env"),
    /** A system property {@code flin.<name>}. */
    PROPERTY("property"),
    /** A command-line flag {@code --name value} or {@code --name=value}. */
    FLAG("flag");

    private final String label;

    Source(final String label) {
        this.label = label;
    }

    /** @return how messages name it: {@code flag}, {@code property}, {@code env}, {@code file}, {@code default} */
    public String label() {
        return label;
    }
}
