package dev.flin.todo;

import java.time.Instant;
import java.util.Objects;

/**
 * One todo, as stored.
 *
 * <p>Threading: an immutable value (rule 1.5).
 *
 * @param id the store's id, positive
 * @param title what to do: 1 to {@value TodoValidation#MAX_TITLE_LENGTH} characters, not blank
 * @param completed whether it is done
 * @param createdAt when it was created (microsecond precision, as the database keeps it)
 * @param updatedAt when it was last changed; equal to {@code createdAt} until then
 * @param version 1 when created, one more after each committed change; what an update names to be
 *     applied only to the todo the client saw (a stale one is refused, 409), and what orders the
 *     changes of one todo for a client that hears of them from several nodes
 */
public record Todo(long id, String title, boolean completed, Instant createdAt, Instant updatedAt, long version)
        implements Entity {

    /** Checks arguments. */
    public Todo {
        if (id < 1) {
            throw new IllegalArgumentException("a todo's id is positive, was " + id);
        }
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        if (version < 1) {
            throw new IllegalArgumentException("a todo's version is positive, was " + version);
        }
    }
}
