package dev.flin.flow;

/**
 * The messages of a {@link TopicSubscriberAgent}: a topic's event, turned into a message by the
 * subscription's adapter (rule 6.9), or a wake-up from a request (see {@link TopicSubscription}).
 *
 * <p>Threading: immutable values.
 */
sealed interface TopicSignal permits TopicSignal.Event, TopicSignal.Wake {

    /**
     * An event of the topic, as the subscription's adapter delivers it.
     *
     * @param event the event, of the topic's event type
     */
    record Event(Object event) implements TopicSignal {
    }

    /** A request arrived while the agent was parked: take the next event, or deliver a held one. */
    enum Wake implements TopicSignal {
        /** The only value. */
        INSTANCE
    }
}
