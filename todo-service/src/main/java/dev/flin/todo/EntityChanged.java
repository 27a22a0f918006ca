package dev.flin.todo;

import java.util.Objects;

/**
 * What the store publishes on its entity type's topic after each committed change (for todos:
 * {@link TodoTopics#TODO}). Published by the store agent in commit order, so every subscriber sees
 * the changes in the order they were committed (rule 6.3).
 *
 * <p>Threading: an immutable value (rule 1.5).
 *
 * @param entityType the entity type's name, which is also its topic's name ({@code "todo"})
 * @param change what happened
 * @param entity the entity after the change; for {@link Change#DELETED}, its last state
 */
public record EntityChanged(String entityType, Change change, Entity entity) {

    /** Checks arguments. */
    public EntityChanged {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(entity, "entity");
    }

    /** What happened to the entity. */
    public enum Change {
        CREATED,
        UPDATED,
        DELETED
    }
}
