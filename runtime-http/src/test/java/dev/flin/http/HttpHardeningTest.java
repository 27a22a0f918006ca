package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What issue 11 found an attacker could do to the server, each over a real socket: rules 9.10
 * (connection and memory bounds, body deadline), 9.11 (Host and Origin), 9.12 (version) and 9.13
 * (request target). Every test here failed before its fix.
 */
class HttpHardeningTest extends ServerTestSupport {

    private static final String CRLF = "\r\n";

    private static Router echo() {
        return Router.builder()
                .get("/hello", text("hello"))
                .get("/api/todos", text("todos"))
                .get("/items/{name}", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, req.pathParam("name"))))
                .post("/echo", (req, ctx) -> CompletableFuture.completedFuture(HttpResponse.text(200, req.bodyText())))
                .build();
    }

    private static String get(final String path, final String host) {
        return "GET " + path + " HTTP/1.1" + CRLF + "Host: " + host + CRLF + CRLF;
    }

    /** A POST as a browser on the server's own origin would address it: Host with the port. */
    private static String post(final HttpServer server, final String path, final String body, final String... headers) {
        final StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1:" + server.port() + CRLF);
        for (final String h : headers) {
            b.append(h).append(CRLF);
        }
        return b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append(CRLF).append(CRLF)
                .append(body).toString();
    }

    private RawConnection.Response exchange(final HttpServer server, final String request) throws IOException {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(request);
            return raw.read();
        }
    }

    // ---- 9.11 Host

    @Test
    void spec_9_11_aMissingRepeatedMalformedOrForeignHostIs400AndClosesTheConnection() throws Exception {
        final HttpServer server = start(echo());
        final List<String> bad = List.of(
                "GET /hello HTTP/1.1" + CRLF + CRLF,                                               // missing
                "GET /hello HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF, // repeated
                get("/hello", "127.0.0.1:99999"),                                                   // malformed port
                get("/hello", "exa mple"),                                                          // malformed name
                get("/hello", "attacker.example"),                                                  // DNS rebinding
                get("/hello", "attacker.example:" + 8080),
                "GET http://attacker.example/hello HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF, // absolute-form
                "GET /hello HTTP/1.0" + CRLF + CRLF);                                               // HTTP/1.0 too
        for (final String request : bad) {
            try (RawConnection raw = new RawConnection(server.port())) {
                raw.send(request);
                final RawConnection.Response response = raw.read();
                assertEquals(400, response.status(), request + " -> " + response);
                assertTrue(raw.closedByServer(), "rule 9.3: closed after a 400: " + request);
            }
        }
        assertEquals(bad.size(), server.stats().protocolErrors());
        assertEquals(0, server.stats().requestsAccepted(), "none of them reached a handler");
    }

    @Test
    void spec_9_11_theBoundAddressAndTheLoopbackNamesAreServedInAnyCaseWithOrWithoutPort() throws Exception {
        final HttpServer server = start(echo());
        for (final String host : List.of("127.0.0.1", "127.0.0.1:" + server.port(), "LocalHost", "localhost:" + server.port(),
                "[::1]:" + server.port())) {
            assertEquals(200, exchange(server, get("/hello", host)).status(), host);
        }
    }

    @Test
    void spec_9_11_allowedHostsReplacesTheDefaultAndStarAllowsAny() throws Exception {
        final HttpServer named = start(config().allowedHosts(List.of("todo.example")).build(), echo());
        assertEquals(200, exchange(named, get("/hello", "todo.example:8080")).status());
        assertEquals(400, exchange(named, get("/hello", "127.0.0.1")).status(), "the default is replaced");
        final HttpServer any = start(config().allowedHosts(List.of("*")).build(), echo());
        assertEquals(200, exchange(any, get("/hello", "whatever.example")).status());
    }

    // ---- 9.11 Origin

    @Test
    void spec_9_11_aStateChangingRequestFromAnotherOriginIs403AndTheConnectionStaysOpen() throws Exception {
        final HttpServer server = start(echo());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send(post(server, "/echo", "{}", "Origin: http://attacker.example", "Content-Type: text/plain"));
            final RawConnection.Response forbidden = raw.read();
            assertEquals(403, forbidden.status(), forbidden.toString());
            assertTrue(forbidden.body().contains("attacker.example"), forbidden.body());
            raw.send(post(server, "/echo", "same origin", "Origin: http://127.0.0.1:" + server.port()));
            assertEquals("same origin", raw.read().body(), "the page's own origin may post");
            raw.send(post(server, "/echo", "no origin"));
            assertEquals("no origin", raw.read().body(), "a request without Origin is no cross-site page's");
            raw.send(post(server, "/echo", "x", "Origin: null"));
            assertEquals(403, raw.read().status(), "the opaque origin of a sandboxed page or a file");
            raw.send(post(server, "/echo", "x", "Origin: http://127.0.0.1:" + (server.port() + 1)));
            assertEquals(403, raw.read().status(), "another port is another origin");
            raw.send("GET /hello HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Origin: http://attacker.example" + CRLF + CRLF);
            assertEquals(200, raw.read().status(), "a GET changes nothing: no origin check");
        }
        assertEquals(3, server.stats().rejectedOrigin());
        assertEquals(0, server.stats().protocolErrors());
    }

    @Test
    void spec_9_11_allowedOriginsAddsOriginsAndStarAllowsAny() throws Exception {
        final HttpServer server = start(config().allowedOrigins(List.of("self", "https://app.example")).build(), echo());
        assertEquals(200, exchange(server, post(server, "/echo", "x", "Origin: https://APP.example:443")).status());
        assertEquals(403, exchange(server, post(server, "/echo", "x", "Origin: http://app.example")).status(), "scheme counts");
        final HttpServer any = start(config().allowedOrigins(List.of("*")).build(), echo());
        assertEquals(200, exchange(any, post(any, "/echo", "x", "Origin: http://attacker.example")).status());
    }

    @Test
    void everyResponseForbidsContentSniffingTheServersOwnErrorsToo() throws Exception {
        final HttpServer server = start(echo());
        for (final String path : List.of("/hello", "/%3Cscript%3E", "/items")) {
            assertEquals("nosniff", exchange(server, get(path, "127.0.0.1")).header("x-content-type-options"), path);
        }
    }

    // ---- 9.12 version

    @Test
    void spec_9_12_aMajorVersionOtherThan1Is505AndEveryResponseSaysHttp11() throws Exception {
        final HttpServer server = start(echo());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("GET /hello HTTP/2.0" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF);
            final RawConnection.Response response = raw.read();
            assertEquals("HTTP/1.1", response.version(), "never an echo of the request's version");
            assertEquals(505, response.status());
            assertTrue(raw.closedByServer());
        }
        final RawConnection.Response ok = exchange(server, "GET /hello HTTP/1.0" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF);
        assertEquals("HTTP/1.1", ok.version());
        assertEquals(200, ok.status());
    }

    // ---- 9.13 request target

    @Test
    void spec_9_13_controlBytesInTheRequestTargetAre400() throws Exception {
        final HttpServer server = start(echo());
        for (final byte bad : new byte[] {0x00, 0x01, 0x1F, 0x7F}) {
            try (RawConnection raw = new RawConnection(server.port())) {
                final byte[] line = ("GET /hel?lo HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + CRLF).getBytes(StandardCharsets.US_ASCII);
                line[8] = bad; // the '?'
                raw.send(line);
                assertEquals(400, raw.read().status(), "byte " + bad);
            }
        }
        assertEquals(400, exchange(server, get("/items/a%00b", "127.0.0.1")).status(), "nor encoded");
    }

    @Test
    void spec_9_13_anEncodedSlashOrDotNeverBecomesASeparatorOrASegment() throws Exception {
        final HttpServer server = start(echo());
        assertEquals(404, exchange(server, get("/api%2Ftodos", "127.0.0.1")).status(), "one segment 'api/todos', no route");
        assertEquals(404, exchange(server, get("/api%2ftodos", "127.0.0.1")).status());
        final RawConnection.Response slash = exchange(server, get("/items/a%2Fb", "127.0.0.1"));
        assertEquals("a/b", slash.body(), "decoded after the split: one parameter");
        final RawConnection.Response dots = exchange(server, get("/items/%2E%2E", "127.0.0.1"));
        assertEquals("..", dots.body(), "a parameter whose value is two dots, not a step up");
        assertEquals(404, exchange(server, get("/items/%2E%2E/hello", "127.0.0.1")).status());
        assertEquals("café", exchange(server, get("/items/caf%C3%A9", "127.0.0.1")).body());
        assertEquals("a+b", exchange(server, get("/items/a+b", "127.0.0.1")).body(), "a plus in a path is a plus");
        assertEquals(400, exchange(server, get("/items/%zz", "127.0.0.1")).status(), "malformed encoding");
        assertEquals(400, exchange(server, get("/items/%C3", "127.0.0.1")).status(), "not UTF-8");
    }

    // ---- 9.10 bounds

    @Test
    void spec_9_10_connectionsBeyondMaxConnectionsAreClosedAtOnceAndCounted() throws Exception {
        final HttpServer server = start(config().maxConnections(2).build(), echo());
        try (RawConnection a = new RawConnection(server.port()); RawConnection b = new RawConnection(server.port())) {
            a.send(get("/hello", "127.0.0.1"));
            assertEquals(200, a.read().status());
            b.send(get("/hello", "127.0.0.1"));
            assertEquals(200, b.read().status());
            try (Socket third = new Socket()) {
                third.setSoTimeout((int) PATIENCE.toMillis());
                third.connect(new InetSocketAddress("127.0.0.1", server.port()));
                assertTrue(endsWithoutAnswer(third), "the third connection is closed without an answer");
            }
            assertEquals(1, server.stats().connectionsRefused());
            assertEquals(2, server.stats().connectionsOpen());
        }
        awaitTrue("the two connections closed", () -> server.stats().connectionsOpen() == 0);
        assertEquals(200, exchange(server, get("/hello", "127.0.0.1")).status(), "room again once they closed");
    }

    private static boolean endsWithoutAnswer(final Socket socket) throws IOException {
        try {
            socket.getOutputStream().write(get("/hello", "127.0.0.1").getBytes(StandardCharsets.US_ASCII));
            return socket.getInputStream().read() == -1;
        } catch (final SocketException reset) {
            return true;
        } catch (final SocketTimeoutException hang) {
            return false;
        }
    }

    @Test
    void spec_9_10_aBodyBufferGrowsOnlyAsBytesArrive() throws Exception {
        final HttpServer server = start(echo());
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Content-Length: 1048576" + CRLF + CRLF + "0123456789");
            awaitTrue("the ten bytes arrived", () -> server.stats().requestBytesBuffered() > 0);
            final long held = server.stats().requestBytesBuffered();
            assertTrue(held <= 1024, "a megabyte announced, ten bytes sent: " + held + " bytes held");
        }
        awaitTrue("given back when the connection closed", () -> server.stats().requestBytesBuffered() == 0);
    }

    @Test
    void spec_9_10_aBodyBeyondTheServersMemoryBoundIs503WithRetryAfterAndTheOthersGoOn() throws Exception {
        final int limit = 64 * 1024;
        final HttpServer server = start(config().maxContentLength(limit).maxBufferedRequestBytes(limit).build(), echo());
        try (RawConnection first = new RawConnection(server.port()); RawConnection second = new RawConnection(server.port())) {
            final String head = "POST /echo HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Content-Length: " + limit + CRLF + CRLF;
            first.send(head + "a".repeat(40 * 1024));
            awaitTrue("the first body is held", () -> server.stats().requestBytesBuffered() >= 40 * 1024,
                    () -> server.stats().toString());
            second.send(head + "b".repeat(40 * 1024));
            final RawConnection.Response refused = second.read();
            assertEquals(503, refused.status(), refused.toString());
            assertNotNull(refused.header("retry-after"));
            assertTrue(second.closedByServer());
            first.send("a".repeat(limit - 40 * 1024));
            final RawConnection.Response done = first.read();
            assertEquals(200, done.status());
            assertEquals(limit, done.body().length(), "the first request is whole");
        }
        assertEquals(1, server.stats().rejectedMemory());
        awaitTrue("every reservation given back", () -> server.stats().requestBytesBuffered() == 0);
    }

    @Test
    void spec_9_10_aBodyThatTricklesPastTheBodyTimeoutIs408AndTheConnectionClosed() throws Exception {
        final HttpServer server = start(config().bodyTimeout(Duration.ofMillis(300)).idleTimeout(Duration.ofSeconds(30)).build(), echo());
        final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.send("POST /echo HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Content-Length: 100000" + CRLF + CRLF);
            // one byte every 20 ms: never idle long enough for the idle timeout, never done
            trickle.scheduleAtFixedRate(() -> {
                try {
                    raw.send("x");
                } catch (final IOException closed) {
                    throw new IllegalStateException(closed); // ends the schedule
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            final RawConnection.Response response = raw.read();
            assertEquals(408, response.status());
            assertTrue(response.body().contains("body"), response.body());
            assertTrue(raw.closedByServer());
        } finally {
            trickle.shutdownNow();
        }
        assertEquals(1, server.stats().protocolErrors());
    }

    /** The fatal-error seams of the server (rule 4.9) are tested in {@code FatalErrorSeamsTest}; a handler's is here. */
    @Test
    void spec_4_9_anOutOfMemoryErrorInAHandlerReachesTheRuntimesFatalErrorHandler() throws Exception {
        final java.util.concurrent.CopyOnWriteArrayList<Throwable> fatal = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.shutdown(Duration.ofSeconds(5));
        runtime = dev.flin.runtime.core.FlinRuntime.create(dev.flin.runtime.core.RuntimeOptions.defaults()
                .withFatalErrorHandler((thread, error) -> fatal.add(error)));
        final HttpServer server = start(Router.builder().get("/oom", (req, ctx) -> {
            throw new OutOfMemoryError("simulated in a handler");
        }).build());
        final java.net.http.HttpResponse<String> response = get(server, "/oom");
        awaitTrue("the fatal error reached the runtime's handler", () -> !fatal.isEmpty());
        assertTrue(fatal.get(0) instanceof OutOfMemoryError, fatal.toString());
        assertTrue(response.statusCode() >= 500, "the request itself still gets an answer: " + response.statusCode());
    }
}
