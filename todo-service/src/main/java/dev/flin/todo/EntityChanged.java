package dev.flin.todo;

import java.util.Objects;

/**
 * What the service publishes on its entity type's topic after each committed change (for todos:
 * {@link TodoTopics#TODO}), in commit order, so every subscriber sees the changes in the order
 * they were committed (rule 6.3). On one node the {@link TodoStore} publishes it after the commit;
 * with the PostgreSQL bridge ({@link TodoBridge}) every node's bridge publishes every node's
 * changes, in the database's commit order, each once.
 *
 * <p>Threading: an immutable value (rule 1.5).
 *
 * @param entityType the entity type's name, which is also its topic's name ({@code "todo"})
 * @param change what happened
 * @param entity the entity after the change; for {@link Change#DELETED}, its last state. Its
 *     {@link Entity#version()} orders the changes of one entity: a client never lets a change
 *     replace one with a higher version
 * @param sequence the change's position in the database's change log, gapless and in commit order
 *     across all nodes, when the bridge runs; 0 on a single node without it
 * @param node the name of the node whose store committed the change ({@code --node-name})
 */
public record EntityChanged(String entityType, Change change, Entity entity, long sequence, String node) {

    /** Checks arguments. */
    public EntityChanged {
        Objects.requireNonNull(entityType, "entityType");
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(node, "node");
        if (sequence < 0) {
            throw new IllegalArgumentException("a change's sequence is 0 (no change log) or positive, was " + sequence);
        }
    }

    /** What happened to the entity. */
    public enum Change {
        CREATED,
        UPDATED,
        DELETED
    }
}
