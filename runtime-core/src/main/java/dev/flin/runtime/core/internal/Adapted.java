package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.MessageTypeException;
import java.util.Objects;
import java.util.function.Function;

/**
 * A value on its way into an agent that does not accept it as it is: sent through a message adapter
 * (rule 2.10) or published on a topic the agent subscribed to with an adapter (rule 6.9). It travels
 * through the mailbox like any message and is turned into the agent's message on the agent's thread,
 * just before the handler runs, so that the adapter may use the agent's state.
 *
 * <p>Threading: immutable; made by the sending thread, applied on the agent thread.
 *
 * @param value   what was sent or published
 * @param adapter turns it into the agent's message
 */
record Adapted(Object value, Function<Object, ?> adapter) {

    /**
     * Agent thread: applies the adapter.
     *
     * @param type  the agent's message type
     * @param agent the agent, for the error
     * @return the agent's message
     * @throws NullPointerException  if the adapter returned null (rule 2.7)
     * @throws MessageTypeException  if it returned something the agent does not accept
     */
    Object apply(final Class<?> type, final AgentId agent) {
        final Object message = Objects.requireNonNull(adapter.apply(value),
                () -> "the message adapter of " + agent + " returned null for " + value + " (rule 2.7)");
        if (!type.isInstance(message)) {
            throw new MessageTypeException(agent, type, message.getClass());
        }
        return message;
    }

    /** @return the value as the outside world sent it: what a dead letter or a failure names */
    static Object original(final Object message) {
        return message instanceof Adapted adapted ? adapted.value() : message;
    }

    @SuppressWarnings("unchecked") // the adapter takes a U; only U values are wrapped with it (checked by the caller)
    static <U> Function<Object, ?> erase(final Function<? super U, ?> adapter) {
        return (Function<Object, ?>) (Function<?, ?>) adapter;
    }
}
