package dev.flin.http.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A request body being received, copied out of Netty's buffers as it arrives so that no reference
 * count outlives a read. The caller checks the size limit before each {@link #append}.
 *
 * <p>Threading: event-loop confined.
 */
final class BodyBuffer {

    private static final byte[] EMPTY = new byte[0];
    /** Preallocate at most this much on the word of a Content-Length header. */
    private static final int MAX_PREALLOCATION = 64 * 1024;

    private byte[] bytes;
    private int size;

    /** @param expected the announced length, or a negative number if none was */
    BodyBuffer(final long expected) {
        this.bytes = expected <= 0 ? EMPTY : new byte[(int) Math.min(expected, MAX_PREALLOCATION)];
    }

    int size() {
        return size;
    }

    void append(final ByteBuf data) {
        final int n = data.readableBytes();
        if (n == 0) {
            return;
        }
        if (size + n > bytes.length) {
            final long wanted = Math.max((long) size + n, Math.max(256L, bytes.length * 2L));
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
        data.getBytes(data.readerIndex(), bytes, size, n);
        size += n;
    }

    byte[] toArray() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
