package dev.flin.runtime.core.internal;

import dev.flin.runtime.Topic;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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
    /**
     * The adapters of the subscriptions made with one (rule 6.9), by topic; null until the first.
     * Volatile: publishing threads read it on every delivery to this agent.
     */
    private volatile ConcurrentHashMap<Topic<?>, Function<Object, ?>> adapters;

    /**
     * Any thread: the agent was added to the topic's subscribers in the runtime's table; called before
     * the table is updated, so a publisher that finds the agent there finds its adapter too.
     *
     * @param adapter the subscription's adapter, or null for a subscription without one (which
     *                replaces an earlier adapter)
     */
    void add(final Topic<?> topic, final Function<Object, ?> adapter) {
        topics.add(topic);
        ConcurrentHashMap<Topic<?>, Function<Object, ?>> map = adapters;
        if (adapter != null) {
            if (map == null) {
                ADAPTERS.compareAndSet(this, null, new ConcurrentHashMap<Topic<?>, Function<Object, ?>>()); // racing creators keep the first
                map = adapters;
            }
            map.put(topic, adapter);
        } else if (map != null) {
            map.remove(topic);
        }
    }

    /** Any publishing thread: the subscription's adapter, or null. */
    Function<Object, ?> adapterOf(final Topic<?> topic) {
        final ConcurrentHashMap<Topic<?>, Function<Object, ?>> map = adapters;
        return map == null ? null : map.get(topic);
    }

    /** Any thread: the agent was taken out of the topic's subscribers. */
    void remove(final Topic<?> topic) {
        topics.remove(topic);
        final ConcurrentHashMap<Topic<?>, Function<Object, ?>> map = adapters;
        if (map != null) {
            map.remove(topic);
        }
    }

    private static final java.lang.invoke.VarHandle ADAPTERS;

    static {
        try {
            ADAPTERS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Subscriptions.class, "adapters", ConcurrentHashMap.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
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
