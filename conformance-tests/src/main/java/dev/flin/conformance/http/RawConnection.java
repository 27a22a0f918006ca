package dev.flin.conformance.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain TCP connection to the fixture for byte-exact requests (malformed, pipelined, slow) and
 * a minimal HTTP/1.1 response reader (Content-Length, chunked, or close-delimited bodies).
 *
 * <p>Threading: confined to one thread.
 */
final class RawConnection implements AutoCloseable {

    /** One response as read off the wire: its status line's version, status, headers (names lower-case) and body. */
    record Response(String version, int status, Map<String, String> headers, String body) {
        String header(final String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawConnection(final Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawConnection open(final URI base, final Duration readTimeout, final int receiveBuffer) throws IOException {
        final Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), (int) readTimeout.toMillis());
        socket.setSoTimeout((int) readTimeout.toMillis());
        socket.setTcpNoDelay(true);
        return new RawConnection(socket);
    }

    static RawConnection open(final URI base, final Duration readTimeout) throws IOException {
        return open(base, readTimeout, 0);
    }

    void write(final String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void write(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * @return the next final (non-1xx) response
     * @throws EOFException if the server closed the connection before a complete response
     */
    Response readResponse() throws IOException {
        while (true) {
            final String statusLine = readLine();
            if (statusLine == null) {
                throw new EOFException("the server closed the connection before a response");
            }
            final String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x status line: '" + statusLine + "'");
            }
            final int status = Integer.parseInt(parts[1]);
            final Map<String, String> headers = readHeaders();
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            if (status == 101) {
                return new Response(parts[0], status, headers, "");
            }
            final String body;
            final String length = headers.get("content-length");
            if (length != null) {
                body = new String(readExactly(Integer.parseInt(length.trim())), StandardCharsets.UTF_8);
            } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
                body = readChunked();
            } else if (status == 204 || status == 304) {
                body = "";
            } else {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Response(parts[0], status, headers, body);
        }
    }

    /**
     * Reads and discards until the server closes the connection.
     *
     * @return whether it closed before {@code deadline}
     */
    boolean awaitClosedByServer(final Duration within) throws IOException {
        final long deadline = System.nanoTime() + within.toNanos();
        final byte[] buf = new byte[8192];
        while (System.nanoTime() < deadline) {
            try {
                if (in.read(buf) < 0) {
                    return true;
                }
            } catch (final SocketTimeoutException timeout) {
                // keep waiting until the deadline
            } catch (final IOException reset) {
                return true; // a reset is a close too
            }
        }
        return false;
    }

    private Map<String, String> readHeaders() throws IOException {
        final Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            final int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (line == null) {
            throw new EOFException("the server closed the connection inside a header block");
        }
        return headers;
    }

    private String readChunked() throws IOException {
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            final String sizeLine = readLine();
            if (sizeLine == null) {
                throw new EOFException("the server closed the connection inside a chunked body");
            }
            final int size = Integer.parseInt(sizeLine.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                readHeaders(); // trailers
                return body.toString(StandardCharsets.UTF_8);
            }
            body.write(readExactly(size));
            readLine();
        }
    }

    private byte[] readExactly(final int n) throws IOException {
        final byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("the server closed the connection after " + bytes.length + " of " + n + " body bytes");
        }
        return bytes;
    }

    /** @return the line without CRLF, or null at EOF before any byte */
    String readLine() throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                final byte[] bytes = line.toByteArray();
                final int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
