package dev.flin.todo;

import java.util.Objects;

/**
 * An update named a version of the todo that is no longer current: another change was committed
 * first (on this node or another). Nothing was written. {@code PATCH} and {@code PUT} answer it
 * with 409 and the current todo, so the client can show it and decide again.
 *
 * <p>Threading: immutable after construction.
 */
public final class StaleUpdateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The todo as committed now (a record of immutable values, so serializable in practice). */
    @SuppressWarnings("serial")
    private final Todo current;
    private final long expectedVersion;

    /**
     * @param current the todo as it is now
     * @param expectedVersion the version the update named
     */
    public StaleUpdateException(final Todo current, final long expectedVersion) {
        super("todo " + Objects.requireNonNull(current, "current").id() + " is at version " + current.version()
                + ", the update was made against version " + expectedVersion + "; nothing was changed", null, false, false);
        this.current = current;
        this.expectedVersion = expectedVersion;
    }

    /** @return the todo as it is now */
    public Todo current() {
        return current;
    }

    /** @return the version the update named */
    public long expectedVersion() {
        return expectedVersion;
    }
}
