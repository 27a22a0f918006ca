package dev.flin.runtime;

import java.util.Objects;

/**
 * A named, typed publish-subscribe channel (rule 6.1). Two topics are the same when their names
 * and event types are equal.
 *
 * <p>Threading: an immutable value.
 *
 * @param name      a non-blank name, e.g. {@code "entity.Todo"}
 * @param eventType the type of event published on it
 * @param <E>       the event type
 */
public record Topic<E>(String name, Class<E> eventType) {

    /**
     * Checks arguments.
     *
     * @param name      a non-blank name, e.g. {@code "entity.Todo"}
     * @param eventType the type of event published on it
     */
    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(eventType, "eventType");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
    }

    /**
     * @param name      the topic name
     * @param eventType the event type
     * @param <E>       the event type
     * @return the topic
     */
    public static <E> Topic<E> of(final String name, final Class<E> eventType) {
        return new Topic<>(name, eventType);
    }
}
