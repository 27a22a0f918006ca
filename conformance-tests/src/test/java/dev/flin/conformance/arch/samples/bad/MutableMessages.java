package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import java.util.List;

/** Breaks MESSAGES_ARE_IMMUTABLE in five ways. */
public final class MutableMessages {
    private MutableMessages() {
    }

    /** A record carrying a list: bytecode cannot tell List.of from ArrayList. */
    public record ListMessage(List<String> items) { }

    /** A record carrying an array. */
    public record ArrayMessage(byte[] data) { }

    /** A final class with a non-final field. */
    public static final class CounterMessage {
        int count;
    }

    /** A class that is not final: a subclass may add mutable state. */
    public static class OpenMessage {
        final String text = "";
    }

    /** Selected because an agent declares it as its message type; holds a mutable builder. */
    public static final class Order {
        private final StringBuilder note = new StringBuilder();

        /** @return the note */
        public String note() {
            return note.toString();
        }
    }

    /** The agent whose type argument selects {@link Order}. */
    public static final class OrderAgent implements Agent<Order> {
        @Override
        public void onMessage(final Order message, final AgentContext<Order> context) {
        }
    }
}
