package dev.flin.conformance.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a raw socket that writes any frame a test needs (masked or not, any
 * opcode, RSV bits, fragments, whole byte sequences in chops of any size) and reads the server's
 * frames one by one with a deadline, telling apart a Close frame and the end of the stream.
 *
 * <p>{@link #next} answers the server's own pings (keep-alive, rule 9.7) with pongs while the
 * client has sent no Close, and skips them: a check never expects a ping from the server. Every
 * frame read is checked to be unmasked with RSV bits clear (RFC 6455 5.1, 5.2: no extension was
 * negotiated).
 *
 * <p>Threading: confined to one thread, except that one other thread may write while the owner
 * reads: writes hold the output stream's lock, so a pong written by {@link #next} never lands
 * inside another thread's frame.
 */
final class KitFrameClient implements AutoCloseable {

    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** The opcode of {@link Frame#END}: the server ended the stream (FIN or reset). */
    static final int END_OF_STREAM = -1;

    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /**
     * One frame from the server.
     *
     * @param fin whether it is the last fragment
     * @param rsv the three RSV bits (0-7)
     * @param opcode the opcode, or {@link #END_OF_STREAM}
     * @param payload the payload (unmasked)
     */
    @SuppressWarnings("ArrayRecordComponent") // a wire frame, compared by its fields in no test
    record Frame(boolean fin, int rsv, int opcode, byte[] payload) {

        static final Frame END = new Frame(true, 0, END_OF_STREAM, new byte[0]);

        boolean isEnd() {
            return opcode == END_OF_STREAM;
        }

        /** @return the Close frame's status, or -1 when it has none */
        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }

        /** @return e.g. "Close 1002 'reason'", "Text (5 bytes)", "end of stream", for failure messages */
        String describe() {
            return switch (opcode) {
                case END_OF_STREAM -> "the end of the stream";
                case CLOSE -> "Close " + (payload.length == 0 ? "(no status)" : closeCode() + " '" + closeReason() + "'");
                case TEXT -> "Text (" + payload.length + " bytes" + (fin ? "" : ", not final") + ")";
                case BINARY -> "Binary (" + payload.length + " bytes" + (fin ? "" : ", not final") + ")";
                case CONTINUATION -> "Continuation (" + payload.length + " bytes" + (fin ? "" : ", not final") + ")";
                case PING -> "Ping (" + payload.length + " bytes)";
                case PONG -> "Pong " + hex(payload);
                default -> "frame with opcode " + opcode;
            };
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private volatile boolean closeSent;
    private boolean ended;

    private KitFrameClient(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and completes an RFC 6455 handshake; fails unless the server answers 101 with the
     * right {@code Sec-WebSocket-Accept}.
     */
    static KitFrameClient connect(final URI ws, final Duration timeout) throws IOException {
        final Socket socket = new Socket();
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), (int) timeout.toMillis());
        socket.setTcpNoDelay(true); // each write, each chop, leaves at once
        socket.setSoTimeout((int) timeout.toMillis());
        final KitFrameClient client = new KitFrameClient(socket);
        try {
            client.handshake(ws);
        } catch (final IOException | RuntimeException | Error e) {
            socket.close();
            throw e;
        }
        return client;
    }

    private void handshake(final URI ws) throws IOException {
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        final String key = Base64.getEncoder().encodeToString(nonce);
        final String path = ws.getRawPath() == null || ws.getRawPath().isEmpty() ? "/" : ws.getRawPath();
        sendRaw(("GET " + path + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + ws.getPort() + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        final String head = readHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new AssertionError("the WebSocket handshake was not accepted (RFC 6455 4.2.2): " + head.strip());
        }
        final String expected = accept(key);
        for (final String line : head.split("\r\n")) {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                if (!line.substring(colon + 1).trim().equals(expected)) {
                    throw new AssertionError("Sec-WebSocket-Accept must be " + expected + " (RFC 6455 4.2.2), was "
                            + line.substring(colon + 1).trim());
                }
                return;
            }
        }
        throw new AssertionError("the 101 has no Sec-WebSocket-Accept (RFC 6455 4.2.2): " + head.strip());
    }

    private static String accept(final String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (final NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private String readHead() throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed during the handshake: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------------------- writing

    /**
     * @return the bytes of one frame with minimal length encoding (RFC 6455 5.2), masked with a
     *     random key when {@code masked}
     */
    static byte[] frame(final boolean fin, final int rsv, final int opcode, final byte[] payload, final boolean masked) {
        final ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (opcode & 0x0F));
        final int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(maskBit | payload.length);
        } else if (payload.length < 65_536) {
            f.write(maskBit | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xFF);
        } else {
            f.write(maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) (((long) payload.length >>> shift) & 0xFF));
            }
        }
        if (masked) {
            final byte[] key = new byte[4];
            ThreadLocalRandom.current().nextBytes(key);
            f.write(key, 0, 4);
            for (int i = 0; i < payload.length; i++) {
                f.write(payload[i] ^ key[i & 3]);
            }
        } else {
            f.write(payload, 0, payload.length);
        }
        return f.toByteArray();
    }

    /** @return a masked client frame */
    static byte[] frame(final boolean fin, final int opcode, final byte[] payload) {
        return frame(fin, 0, opcode, payload, true);
    }

    /** @return a Close frame's payload: the status, then the reason's bytes */
    static byte[] closePayload(final int code, final byte[] reason) {
        final byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return payload;
    }

    /** Sends one final, masked frame. */
    void send(final int opcode, final byte[] payload) throws IOException {
        sendRaw(frame(true, opcode, payload));
    }

    /** Sends one masked frame. */
    void send(final boolean fin, final int rsv, final int opcode, final byte[] payload) throws IOException {
        sendRaw(frame(fin, rsv, opcode, payload, true));
    }

    /** Sends a Close frame with this payload (which may be anything, also invalid). */
    void sendClose(final byte[] payload) throws IOException {
        sendRaw(frame(true, CLOSE, payload));
    }

    /** Writes {@code bytes} in one write; notes a Close among them only if it starts them. */
    void sendRaw(final byte[] bytes) throws IOException {
        if (bytes.length > 0 && (bytes[0] & 0x0F) == CLOSE) {
            closeSent = true;
        }
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    /**
     * Writes {@code bytes} in writes of {@code chop} bytes each, each flushed on its own (the
     * socket has no Nagle delay, so each goes out as it is written).
     */
    void sendInChops(final byte[] bytes, final int chop) throws IOException {
        synchronized (out) {
            for (int i = 0; i < bytes.length; i += chop) {
                out.write(bytes, i, Math.min(chop, bytes.length - i));
                out.flush();
            }
        }
    }

    /** Notes that a Close is among bytes sent raw (so that {@link #next} stops answering pings). */
    void noteCloseSent() {
        closeSent = true;
    }

    // ------------------------------------------------------------------------------- reading

    /**
     * @return the next frame, any opcode, or {@link Frame#END} once the server ended the stream
     *     (FIN, or a reset)
     * @throws AssertionError if no whole frame arrived before {@code deadline} ({@link System#nanoTime})
     *     or the frame breaks RFC 6455 5.1/5.2 (masked, or RSV bits set)
     */
    Frame read(final long deadline) throws IOException {
        if (ended) {
            return Frame.END;
        }
        final long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError("no frame from the server in time");
        }
        socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
        try {
            final int b0 = in.read();
            if (b0 < 0) {
                ended = true;
                return Frame.END;
            }
            final int b1 = readByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = ((long) readByte() << 8) | readByte();
            } else if (length == 127) {
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | readByte();
                }
            }
            if ((b1 & 0x80) != 0) {
                throw new AssertionError("a server frame must not be masked (RFC 6455 5.1)");
            }
            if (length > Integer.MAX_VALUE - 8) {
                throw new AssertionError("a server frame of " + length + " bytes");
            }
            final byte[] payload = in.readNBytes((int) length);
            if (payload.length < length) {
                ended = true;
                throw new AssertionError("the server ended the stream inside a frame, after " + payload.length + " of "
                        + length + " payload bytes");
            }
            final int rsv = (b0 >>> 4) & 0x7;
            if (rsv != 0) {
                throw new AssertionError("a server frame has RSV bits " + rsv + " set though no extension was negotiated"
                        + " (RFC 6455 5.2)");
            }
            return new Frame((b0 & 0x80) != 0, rsv, b0 & 0x0F, payload);
        } catch (final SocketTimeoutException timeout) {
            throw new AssertionError("no whole frame from the server in time");
        } catch (final SocketException reset) {
            ended = true; // a reset ends the stream as well
            return Frame.END;
        }
    }

    private int readByte() throws IOException {
        final int b = in.read();
        if (b < 0) {
            ended = true;
            throw new AssertionError("the server ended the stream inside a frame header");
        }
        return b;
    }

    /**
     * @return the next frame that is not the server's own ping (each answered with a pong of the
     *     same payload while this client has sent no Close), or {@link Frame#END}
     */
    Frame next(final long deadline) throws IOException {
        while (true) {
            final Frame f = read(deadline);
            if (f.opcode() != PING) {
                return f;
            }
            if (!closeSent) {
                try {
                    sendRaw(frame(true, PONG, f.payload()));
                } catch (final IOException closing) {
                    // the server is closing: the next read tells
                }
            }
        }
    }

    /** @return whether the server has ended the stream (as seen by the reads so far) */
    boolean ended() {
        return ended;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    static String hex(final byte[] bytes) {
        final StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < Math.min(bytes.length, 16); i++) {
            b.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i] & 0xFF));
        }
        return b.append(bytes.length > 16 ? " ... (" + bytes.length + " bytes)]" : "]").toString();
    }

    /** @return a copy of {@code bytes} from {@code from} to {@code to} */
    static byte[] slice(final byte[] bytes, final int from, final int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
