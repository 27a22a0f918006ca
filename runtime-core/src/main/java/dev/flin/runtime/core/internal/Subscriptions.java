package dev.flin.runtime.core.internal;

import dev.flin.runtime.Topic;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The topics one agent is subscribed to: the agent's side of the runtime's topic table, kept so that
 * its termination can leave every topic at once (rule 6.5). One per {@link AgentCell}, created at
 * its first subscription: an agent that never subscribes carries none.
 *
 * <p>Threading: {@link #add} and {@link #remove} from any thread (subscriptions are registry calls,
 * rule 8.5, as well as context calls); {@link #leaveAll} on the agent thread at termination. The set
 * is concurrent. A subscribe racing the termination is settled by {@code RuntimeCore.subscribe},
 * which re-reads the cell's {@code closing} after {@link #add} and unsubscribes again if it was set:
 * {@code closing} is written before the termination begins, so either that re-read sees it or
 * {@link #leaveAll} sees the topic.
 */
final class Subscriptions {

    private final Set<Topic<?>> topics = ConcurrentHashMap.newKeySet();

    /** Any thread: the agent was added to the topic's subscribers in the runtime's table. */
    void add(final Topic<?> topic) {
        topics.add(topic);
    }

    /** Any thread: the agent was taken out of the topic's subscribers. */
    void remove(final Topic<?> topic) {
        topics.remove(topic);
    }

    /**
     * Agent thread, at termination: takes the agent out of every topic it is subscribed to, and a
     * topic out of the table when it was its last subscriber (rules 6.5, 6.8).
     *
     * @param runtime    the runtime whose topic table to update
     * @param subscriber the terminating agent
     */
    void leaveAll(final RuntimeCore runtime, final AgentCell<?> subscriber) {
        for (final Topic<?> topic : topics) {
            runtime.removeSubscriber(topic, subscriber);
        }
        topics.clear();
    }
}
