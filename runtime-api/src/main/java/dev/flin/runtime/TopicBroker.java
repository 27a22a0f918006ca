package dev.flin.runtime;

import java.util.function.Function;

/**
 * Publish-subscribe (section 6 of the spec). Delivery goes through each subscriber's bounded
 * mailbox: a full subscriber loses the event (counted), never slows the publisher (rule 6.6).
 *
 * <p>Threading: any thread; never blocks. A subscribe that returned happens-before every publish
 * that starts after it, and that publish reaches the subscriber (rule 6.2).
 */
public interface TopicBroker {

    /**
     * Subscribes an agent (rule 6.2). Idempotent.
     *
     * @param topic      the topic
     * @param subscriber the agent to receive the events
     * @param <E>        the event type
     * @throws AgentNotFoundException if the subscriber is not alive
     */
    <E> void subscribe(Topic<E> topic, AgentRef<? super E> subscriber);

    /**
     * Subscribes an agent to a topic whose events are not messages it accepts, turning each event
     * into one with {@code adapter} (rule 6.9), from any thread: for code that spawns an agent and
     * must have it subscribed before it returns (rule 6.2), which the agent's own
     * {@link AgentContext#subscribe(Topic, Function)} in {@code onStart} cannot promise. The adapter
     * runs on the subscriber's thread, just before the message is handled. Subscribing again to the
     * same topic replaces the adapter.
     *
     * @param topic      the topic
     * @param subscriber the agent, by a ref of its own message type (not a
     *                   {@linkplain AgentContext#messageAdapter message adapter}'s)
     * @param adapter    turns an event into the agent's message; it must not return null, and what
     *                   it throws is a failure of the agent, as if its handler had thrown (rule 4.1)
     * @param <E>        the event type
     * @param <M>        the agent's message type
     * @throws AgentNotFoundException if the subscriber is not alive
     * @throws MessageTypeException   if {@code subscriber}'s message type is not the agent's own
     */
    <E, M> void subscribe(Topic<E> topic, AgentRef<M> subscriber, Function<? super E, ? extends M> adapter);

    /**
     * Unsubscribes an agent (rule 6.4): no event published after this returns is enqueued for it.
     *
     * @param topic      the topic
     * @param subscriber the agent's id
     * @return true if it was subscribed
     */
    boolean unsubscribe(Topic<?> topic, AgentId subscriber);

    /**
     * Publishes an event to every live subscriber, once each, in this thread's publish order
     * (rule 6.2, 6.3).
     *
     * @param topic the topic
     * @param event the event, not null
     * @param <E>   the event type
     * @return how many subscribers accepted it
     * @throws RuntimeStoppedException if the runtime has shut down
     */
    <E> int publish(Topic<E> topic, E event);

    /**
     * @param topic a topic
     * @return how many agents are subscribed now
     */
    int subscriberCount(Topic<?> topic);
}
