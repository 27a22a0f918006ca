package dev.flin.todo;

import dev.flin.runtime.Topic;

/**
 * The topics of the todo service.
 *
 * <p>Threading: constants; immutable.
 */
public final class TodoTopics {

    /** The entity type's name, used as its topic's name and in {@link EntityChanged#entityType()}. */
    public static final String TODO_ENTITY = "todo";

    /**
     * Every committed change to a todo, published by the {@link TodoStore} after the commit. The
     * WebSocket endpoint {@code /ws} lets clients subscribe to it by its name, {@code "todo"}.
     */
    public static final Topic<EntityChanged> TODO = Topic.of(TODO_ENTITY, EntityChanged.class);

    private TodoTopics() {
    }
}
