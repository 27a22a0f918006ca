package dev.flin.http.internal.ws;

import dev.flin.http.WebSocketMessage;
import dev.flin.runtime.Reply;
import java.util.List;

/**
 * The messages a {@link ConnectionAgent} gets besides the events of its topics, which arrive as
 * themselves.
 *
 * <p>Threading: immutable values, sent from event loops and from any thread through the hub.
 */
sealed interface ConnectionCommand {

    /**
     * A complete message from the client (fragments reassembled, text checked as UTF-8): for the
     * subscription protocol a JSON text to parse (binary is refused with an error frame), for a
     * handler endpoint the handler's input.
     */
    record FromClient(WebSocketMessage message) implements ConnectionCommand {
    }

    /**
     * An event of a topic the connection subscribed to, as its subscription's adapter wraps it
     * (rule 6.9): the topic's name, so the event is labelled with the topic it came from.
     */
    record Event(String topic, Object event) implements ConnectionCommand {
    }

    /** A broadcast frame, written as JSON text once for every connection. */
    record Broadcast(String frame) implements ConnectionCommand {
    }

    /**
     * Sent by the event loop behind the client messages it handed over, before it holds back
     * reading; the agent fires it back down the pipeline as a user event when it reaches it: every
     * client message before it was taken, the next ones may come.
     */
    enum Drain implements ConnectionCommand {
        INSTANCE
    }

    /** The event loop: the channel is writable again, waiting frames may go. */
    enum Writable implements ConnectionCommand {
        INSTANCE
    }

    /** The agent's own timer: frames have waited for the client for {@code wsPongTimeout}. */
    enum SlowCheck implements ConnectionCommand {
        INSTANCE
    }

    /** The hub asks the agent to describe itself. */
    record Describe(Reply<Self> replyTo) implements ConnectionCommand {
    }

    /**
     * What only the agent knows about its connection.
     *
     * @param topics the topic names it is subscribed to, in subscription order
     * @param framesOut data frames it wrote
     * @param waitingBytes bytes of frames waiting in the agent for the socket
     */
    record Self(List<String> topics, long framesOut, long waitingBytes) {
        public Self {
            topics = List.copyOf(topics);
        }
    }
}
