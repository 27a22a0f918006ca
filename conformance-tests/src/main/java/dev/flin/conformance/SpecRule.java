package dev.flin.conformance;

import java.util.Objects;

/**
 * One numbered rule of {@code docs/spec.md}.
 *
 * <p>Threading: an immutable value.
 *
 * @param id    e.g. {@code "2.2"}
 * @param title the heading's title
 * @param level MUST, SHOULD or MAY
 */
public record SpecRule(String id, String title, Level level) {

    /** Checks arguments. */
    public SpecRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(level, "level");
    }

    /** RFC 2119 level of the rule. */
    public enum Level { MUST, SHOULD, MAY }
}
