package dev.flin.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One complete WebSocket message, as a {@link WebSocketHandler} gets it from a client and sends
 * it with a {@link WebSocketSession}: a text or a binary message. Fragmented messages arrive
 * reassembled (RFC 6455 5.4); a text message's UTF-8 was checked before it got here (rule 9.14).
 *
 * <p>Threading: immutable values, safe to share between agents (rule 1.5).
 */
public sealed interface WebSocketMessage permits WebSocketMessage.Text, WebSocketMessage.Binary {

    /**
     * A text message.
     *
     * @param text the message
     */
    record Text(String text) implements WebSocketMessage {
        /** @throws NullPointerException if {@code text} is null */
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /**
     * A binary message. Its bytes are copied in and out: neither the array it was made from nor
     * the one {@link #data()} returns is shared with it.
     *
     * <p>Not a record, so that no array is held: the bytes are kept as a Latin-1 string, which is
     * immutable and, with the JVM's compact strings, takes one byte per byte.
     */
    final class Binary implements WebSocketMessage {

        private final String bytes;

        /**
         * @param data the message's bytes (copied)
         * @throws NullPointerException if {@code data} is null
         */
        public Binary(final byte[] data) {
            this.bytes = new String(Objects.requireNonNull(data, "data"), StandardCharsets.ISO_8859_1);
        }

        /** @return a copy of the message's bytes */
        public byte[] data() {
            return bytes.getBytes(StandardCharsets.ISO_8859_1);
        }

        /** @return the number of bytes */
        public int length() {
            return bytes.length();
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof Binary b && b.bytes.equals(bytes);
        }

        @Override
        public int hashCode() {
            return bytes.hashCode();
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length() + " bytes]";
        }
    }
}
