package dev.flin.todo;

/**
 * A persistent thing the service stores and announces on a topic when it changes. Sealed: every
 * entity type is known here, so a switch over entities is checked by the compiler.
 *
 * <p>Threading: every implementation is an immutable value (rule 1.5), safe to share and to send.
 */
public sealed interface Entity permits Todo {

    /** @return the store's id, positive, never reused */
    long id();

    /** @return 1 when created, one more after each committed change */
    long version();
}
