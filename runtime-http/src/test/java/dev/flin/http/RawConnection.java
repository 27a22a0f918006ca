package dev.flin.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over a plain socket, for what {@code java.net.http.HttpClient} will not
 * send: pipelined requests in one write, malformed input, half a header block. Reads responses
 * framed by Content-Length. The socket read timeout is only a safety net against a hung test; no
 * test relies on it for synchronisation.
 */
final class RawConnection implements AutoCloseable {

    /** One parsed response. */
    record Response(String version, int status, Map<String, String> headers, String body) {
        String header(final String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawConnection(final int port) throws IOException {
        this(port, 0);
    }

    /** @param receiveBuffer the socket's receive buffer in bytes, 0 for the default */
    RawConnection(final int port, final int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawConnection send(final String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(final byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Reads one response (status line, headers, then Content-Length bytes of body). */
    Response read() throws IOException {
        final String statusLine = readLine();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        final String[] parts = statusLine.split(" ", 3);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        final int status = Integer.parseInt(parts[1]);
        final String length = headers.get("content-length");
        final byte[] body = length == null || status == 100 ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Response(parts[0], status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Reads a HEAD response: headers only, whatever Content-Length says. */
    Response readHead() throws IOException {
        final String statusLine = readLine();
        final String[] parts = statusLine.split(" ", 3);
        final Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); line != null && !line.isEmpty(); line = readLine()) {
            final int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        return new Response(parts[0], Integer.parseInt(parts[1]), headers, "");
    }

    /** @return whether the server closed its side: the next read sees end of stream (or a reset) */
    boolean closedByServer() throws IOException {
        try {
            return in.read() == -1;
        } catch (final SocketException reset) {
            return true;
        } catch (final SocketTimeoutException stillOpen) {
            return false;
        }
    }

    /**
     * @return whether the server closed its side with a FIN: the next read sees end of stream
     * @throws SocketException if it reset the connection instead (which can discard a response)
     */
    boolean endOfStream() throws IOException {
        return in.read() == -1;
    }

    /** @return whether bytes are ready to read without blocking */
    int available() throws IOException {
        return in.available();
    }

    private String readLine() throws IOException {
        final ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                final byte[] bytes = line.toByteArray();
                final int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
