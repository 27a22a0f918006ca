package dev.flin.todo;

import java.util.Objects;

/**
 * The payload of a change's notification on {@link ChangeLog#CHANNEL}, as JSON. The entity is
 * left out (null) when the whole would exceed the payload limit; the receiver then reads the change
 * from the log by {@link #seq}.
 *
 * <p>Threading: an immutable value.
 *
 * @param seq the change's sequence number in the log
 * @param node the node whose store committed it
 * @param change what happened
 * @param id the todo's id
 * @param version the todo's version after the change (for a deletion: its last version)
 * @param entity the todo as of the change, or null when it did not fit
 */
record ChangeNotice(long seq, String node, EntityChanged.Change change, long id, long version, Todo entity) {

    /** Checks arguments. */
    ChangeNotice {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(change, "change");
        if (seq < 1) {
            throw new IllegalArgumentException("a logged change's sequence number is positive, was " + seq);
        }
    }

    /** @return the notice of {@code changed}, with or without the entity */
    static ChangeNotice of(final EntityChanged changed, final boolean withEntity) {
        final Todo todo = (Todo) changed.entity();
        return new ChangeNotice(changed.sequence(), changed.node(), changed.change(), todo.id(), todo.version(),
                withEntity ? todo : null);
    }

    /** @return the change this notice carries whole, or null if the entity was left out */
    EntityChanged toChangeOrNull() {
        return entity == null ? null : new EntityChanged(TodoTopics.TODO_ENTITY, change, entity, seq, node);
    }
}
