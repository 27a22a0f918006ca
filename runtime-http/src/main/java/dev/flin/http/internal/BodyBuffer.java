package dev.flin.http.internal;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A request body being received, copied out of Netty's buffers as it arrives so that no reference
 * count outlives a read. It grows only as bytes arrive, whatever {@code Content-Length} announced
 * (a client that announces a megabyte and sends nothing costs nothing), doubling at most, and every
 * growth is reserved in the server's {@link RequestMemory} first (rule 9.10). The caller checks
 * {@code maxContentLength} before each {@link #append}.
 *
 * <p>Threading: event-loop confined.
 */
final class BodyBuffer {

    private static final byte[] EMPTY = new byte[0];
    /** The first allocation: small bodies (JSON of a form) fit without growing. */
    private static final int FIRST_CAPACITY = 1024;

    private final RequestMemory memory;
    /** The most it will ever hold: the announced length, or {@code maxContentLength} if none was announced. */
    private final int cap;
    private byte[] bytes = EMPTY;
    private int size;

    /**
     * @param memory where its growth is reserved
     * @param cap    the most it will hold (the caller refuses more before appending): growth stops there,
     *               so that doubling never reserves memory the body cannot use
     */
    BodyBuffer(final RequestMemory memory, final int cap) {
        this.memory = memory;
        this.cap = cap;
    }

    int size() {
        return size;
    }

    /**
     * @return false, appending nothing, if the bytes do not fit in the server's memory bound
     */
    boolean append(final ByteBuf data) {
        final int n = data.readableBytes();
        if (n == 0) {
            return true;
        }
        if (size + n > bytes.length) {
            final long doubled = Math.min(Math.max(FIRST_CAPACITY, bytes.length * 2L), cap);
            final int capacity = (int) Math.min(Math.max((long) size + n, doubled), Integer.MAX_VALUE - 8);
            if (!memory.tryReserve(capacity - bytes.length)) {
                return false;
            }
            bytes = Arrays.copyOf(bytes, capacity);
        }
        data.getBytes(data.readerIndex(), bytes, size, n);
        size += n;
        return true;
    }

    /**
     * Ends the buffer: its reservation shrinks to the body's exact length, which the caller now
     * holds and releases when the request ends.
     *
     * @return the body
     */
    byte[] finish() {
        final byte[] body = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        memory.release(bytes.length - size);
        bytes = EMPTY;
        size = 0;
        return body;
    }

    /** Drops the body received so far and releases its reservation. Idempotent. */
    void discard() {
        memory.release(bytes.length);
        bytes = EMPTY;
        size = 0;
    }
}
