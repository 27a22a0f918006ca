package dev.flin.http.ws;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a raw socket, for what well-behaved clients never do: unmasked frames,
 * never reading, never answering pings. Reads have a timeout, so a test that waits for a frame
 * fails instead of hanging.
 *
 * <p>Threading: one test thread.
 */
final class RawWsClient implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CONTINUATION = 0x0;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** One frame from the server. {@code opcode} -1 means the server ended the stream. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWsClient(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects with the given receive buffer (0: the default) and sends {@code request} as is. */
    static RawWsClient connectRaw(final int port, final int receiveBuffer) throws IOException {
        final Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer); // before connect, so the window is small from the start
        }
        socket.setSoTimeout((int) RecordingListener.WAIT.toMillis());
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return new RawWsClient(socket);
    }

    /** Connects and completes a valid handshake; fails if the server does not answer 101. */
    static RawWsClient open(final int port, final String path, final int receiveBuffer) throws IOException {
        final RawWsClient c = connectRaw(port, receiveBuffer);
        final byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        c.sendRaw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n");
        final String head = c.readHttpHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new AssertionError("expected 101 Switching Protocols, got: " + head);
        }
        return c;
    }

    void sendRaw(final String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** @return the status line and headers of an HTTP response, up to the blank line */
    String readHttpHead() throws IOException {
        final ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            final int b = in.read();
            if (b < 0) {
                throw new EOFException("the server closed before the end of the response head: " + head);
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** @return what follows the head: the body of a response with Content-Length */
    String readBody(final String head) throws IOException {
        for (final String line : head.split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                final byte[] body = new byte[Integer.parseInt(line.substring(15).trim())];
                in.readFully(body);
                return new String(body, StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    void sendText(final String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8), true, true);
    }

    /** Writes one frame; {@code masked} false breaks RFC 6455 5.1 on purpose. */
    void send(final int opcode, final byte[] payload, final boolean fin, final boolean masked) throws IOException {
        sendRaw(frame(opcode, payload, fin, masked));
    }

    /** Writes {@code bytes} as they are, in one write. */
    void sendRaw(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** @return the bytes of one frame; {@code masked} false breaks RFC 6455 5.1 on purpose */
    static byte[] frame(final int opcode, final byte[] payload, final boolean fin, final boolean masked) {
        final ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | opcode);
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

    /** @return the next frame, or opcode -1 once the server ended the stream (FIN or reset) */
    Frame read() throws IOException {
        final int b0;
        try {
            b0 = in.read();
        } catch (final SocketException reset) {
            return new Frame(-1, new byte[0]);
        }
        if (b0 < 0) {
            return new Frame(-1, new byte[0]);
        }
        final int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("a server frame must not be masked (RFC 6455 5.1)");
        }
        final byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** @return the next frame that is not a ping or pong */
    Frame readSkippingControl() throws IOException {
        Frame f;
        do {
            f = read();
        } while (f.opcode() == PING || f.opcode() == PONG);
        return f;
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
