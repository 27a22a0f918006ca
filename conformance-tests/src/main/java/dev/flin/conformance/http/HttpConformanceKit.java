package dev.flin.conformance.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.conformance.KitTimeouts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The kit's checks of section 9 of {@code docs/spec.md} (HTTP and WebSocket), over real sockets
 * against the fixture service of {@link HttpFixture}. Extend it once and return your provider:
 *
 * <pre>{@code
 * class MyServerHttpConformanceVerification extends HttpConformanceKit {
 *     @Override
 *     public HttpFixtureProvider httpProvider() {
 *         return MyFixture::start;
 *     }
 * }
 * }</pre>
 *
 * Each check starts a fresh fixture with {@link HttpKitLimits#kitDefaults()} and closes it after.
 * Method names cite their rule ({@code required_spec_9_M_...}).
 *
 * <p>Threading: jqwik runs the checks one at a time.
 */
public abstract class HttpConformanceKit {

    private static final Pattern NUMBER_FIELD = Pattern.compile("\"(\\w+)\":(\\d+)");

    private final KitTimeouts timeouts = KitTimeouts.fromSystemProperties();
    private final HttpKitLimits limits = HttpKitLimits.kitDefaults();

    /** @return how to start the fixture service of the server under test */
    public abstract HttpFixtureProvider httpProvider();

    // ====================================================================== helpers

    private HttpFixture start() throws Exception {
        final HttpFixture fixture = httpProvider().start(limits);
        assertNotNull(fixture, "the HttpFixtureProvider returned null");
        return fixture;
    }

    private Duration await() {
        return timeouts.awaitSignal();
    }

    private HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(await()).build();
    }

    private HttpResponse<String> get(final HttpClient client, final HttpFixture fixture, final String path) throws Exception {
        return send(client, HttpRequest.newBuilder(fixture.baseUri().resolve(path)).GET());
    }

    private HttpResponse<String> send(final HttpClient client, final HttpRequest.Builder request) throws Exception {
        return client.sendAsync(request.timeout(await()).build(), HttpResponse.BodyHandlers.ofString())
                .get(await().toMillis() * 2, TimeUnit.MILLISECONDS);
    }

    private RawConnection raw(final HttpFixture fixture) throws IOException {
        return RawConnection.open(fixture.baseUri(), await());
    }

    private static String get(final String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    }

    private void awaitTrue(final BooleanSupplier condition, final String what) throws InterruptedException {
        final long deadline = System.nanoTime() + await().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("not within " + await() + ": " + what);
            }
            TimeUnit.MILLISECONDS.sleep(5); // polling interval of a deadline poll, not a wait for concurrency
        }
    }

    private static long numberField(final String json, final String field) {
        final Matcher m = NUMBER_FIELD.matcher(KitWebSocket.compact(json));
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no numeric field '" + field + "' in " + json);
    }

    private void assertClosesAfterResponse(final RawConnection conn) throws IOException {
        assertTrue(conn.awaitClosedByServer(await()), "rule 9.3: the connection must be closed after a framing error");
    }

    private KitWebSocket subscribed(final HttpFixture fixture) throws Exception {
        final KitWebSocket ws = KitWebSocket.connect(fixture.webSocketUri(), await());
        ws.send("{\"op\":\"subscribe\",\"topic\":\"kit\"}");
        final String ack = ws.next(await());
        assertTrue(ack.contains("\"type\":\"subscribed\"") && ack.contains("\"topic\":\"kit\""),
                "rule 9.5: a subscribe is acknowledged with {\"type\":\"subscribed\",\"topic\":\"kit\"}, got " + ack);
        return ws;
    }

    // ====================================================================== 9.1

    @Example
    public void required_spec_9_1_pipelinedResponsesComeInRequestOrder() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write(get("/kit/gate/first") + get("/kit/gate/second") + get("/kit/echo/third"));
            fixture.openGate("second");
            fixture.openGate("first");
            assertEquals("first", conn.readResponse().body(), "rule 9.1: the first pipelined request's answer comes first");
            assertEquals("second", conn.readResponse().body());
            assertEquals("third", conn.readResponse().body());
        }
    }

    /** A pipelined request and the status it must get. */
    public enum Kind {
        ECHO("GET /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 200),
        POST_ECHO("POST /kit/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello", 200),
        NOT_FOUND("GET /kit/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 404),
        WRONG_METHOD("DELETE /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 405),
        FAIL("GET /kit/fail HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 500),
        FULL("GET /kit/full HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 503);

        final String wire;
        final int status;

        Kind(final String wire, final int status) {
            this.wire = wire;
            this.status = status;
        }
    }

    @Provide
    Arbitrary<List<Kind>> pipelines() {
        return Arbitraries.of(Kind.class).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 12)
    public void required_spec_9_1_everyPipelinedRequestGetsExactlyOneResponse(@ForAll("pipelines") final List<Kind> kinds)
            throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            final StringBuilder wire = new StringBuilder();
            kinds.forEach(k -> wire.append(k.wire));
            wire.append(get("/kit/echo/end"));
            conn.write(wire.toString());
            final List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < kinds.size(); i++) {
                statuses.add(conn.readResponse().status());
            }
            assertEquals(kinds.stream().map(k -> k.status).toList(), statuses, "rule 9.1: one response per request, in order");
            assertEquals("end", conn.readResponse().body(), "rule 9.1: no extra response before the last request's");
        }
    }

    // ====================================================================== 9.2

    @Example
    public void required_spec_9_2_aWaitingHandlerHoldsUpNoOtherRequest() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpClient client = client();
            final CompletableFuture<HttpResponse<String>> gated = client.sendAsync(
                    HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/gate/held")).timeout(await()).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitTrue(() -> fixture.waitingAtGate("held") == 1, "the gated request reached its handler");
            for (int i = 0; i < 20; i++) {
                final HttpResponse<String> echo = get(client, fixture, "/kit/echo/n" + i);
                assertEquals(200, echo.statusCode());
                assertEquals("n" + i, echo.body());
            }
            assertFalse(gated.isDone(), "the gated request must still be waiting for its gate");
            assertEquals(1, fixture.waitingAtGate("held"), "and its handler holds it");
            fixture.openGate("held");
            assertEquals("held", gated.get(await().toMillis(), TimeUnit.MILLISECONDS).body());
        }
    }

    // ====================================================================== 9.3

    @Example
    public void required_spec_9_3_unknownRouteIs404AndWrongMethodIs405WithAllow() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpClient client = client();
            assertEquals(404, get(client, fixture, "/kit/nowhere").statusCode());
            final HttpResponse<String> wrong = send(client,
                    HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/echo/x")).DELETE());
            assertEquals(405, wrong.statusCode());
            final String allow = wrong.headers().firstValue("allow").orElse("");
            assertTrue(allow.contains("GET"), "rule 9.3: a 405 names the allowed methods in Allow, got '" + allow + "'");
        }
    }

    @Example
    public void required_spec_9_3_aThrowingHandlerIs500WithACorrelationIdAndNoLeak() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpClient client = client();
            final long failuresBefore = fixture.publishedFailures();
            final HttpResponse<String> failed = get(client, fixture, "/kit/fail");
            assertEquals(500, failed.statusCode());
            final String id = failed.headers().firstValue("x-correlation-id").orElse("");
            assertFalse(id.isBlank(), "rule 9.3: a 500 carries X-Correlation-Id");
            assertTrue(failed.body().contains(id), "rule 9.3: the 500's body names the correlation id " + id + ": " + failed.body());
            assertFalse(failed.body().contains("kit-secret-failure"), "rule 9.3: the exception's message must not leak: " + failed.body());
            assertFalse(failed.body().contains("Exception") || failed.body().contains("\tat "),
                    "rule 9.3: no exception type or stack trace in the body: " + failed.body());
            awaitTrue(() -> fixture.publishedFailures() > failuresBefore, "rule 9.3/4.5: the failure is published");
            assertEquals(200, get(client, fixture, "/kit/echo/after").statusCode(), "other requests are unaffected");
        }
    }

    /** Requests held at a gate while another fails: more than a small handler pool has agents, so the failing request's agent holds some. */
    private static final int HELD_DURING_FAILURE = 8;

    @Example
    public void required_spec_9_3_aFailureLeavesTheRequestsInFlightUnaffected() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpClient client = client();
            final List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < HELD_DURING_FAILURE; i++) {
                held.add(client.sendAsync(HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/gate/others"))
                        .timeout(await()).build(), HttpResponse.BodyHandlers.ofString()));
            }
            awaitTrue(() -> fixture.waitingAtGate("others") == HELD_DURING_FAILURE, "the held requests reached their handlers");
            assertEquals(500, get(client, fixture, "/kit/fail").statusCode());
            for (int i = 0; i < 3; i++) {
                assertEquals(500, get(client, fixture, "/kit/fail").statusCode());
            }
            for (final CompletableFuture<HttpResponse<String>> request : held) {
                assertFalse(request.isDone() && request.join().statusCode() != 200,
                        "rule 9.3: a request in flight was answered by another request's failure: "
                                + (request.isDone() ? request.join().statusCode() + " " + request.join().body() : ""));
            }
            fixture.openGate("others");
            for (final CompletableFuture<HttpResponse<String>> request : held) {
                final HttpResponse<String> answer = request.get(await().toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(200, answer.statusCode(), "rule 9.3: other requests are unaffected by a handler's failure: " + answer.body());
                assertEquals("others", answer.body());
            }
        }
    }

    @Example
    public void required_spec_9_3_aFullMailboxIs503WithRetryAfter() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpResponse<String> full = get(client(), fixture, "/kit/full");
            assertEquals(503, full.statusCode());
            final String retryAfter = full.headers().firstValue("retry-after").orElse("");
            assertTrue(retryAfter.matches("\\d+"), "rule 9.3: a 503 carries Retry-After in seconds, got '" + retryAfter + "'");
        }
    }

    @Example
    public void required_spec_9_3_aHandlerThatNeverAnswersIs504() throws Exception {
        try (HttpFixture fixture = start()) {
            assertEquals(504, get(client(), fixture, "/kit/hang").statusCode());
        }
    }

    @Example
    public void required_spec_9_3_anUnparsableRequestIs400AndTheConnectionCloses() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("GET /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: twelve\r\n\r\n");
            assertEquals(400, conn.readResponse().status());
            assertClosesAfterResponse(conn);
        }
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("this is not http\r\n\r\n");
            assertEquals(400, conn.readResponse().status());
            assertClosesAfterResponse(conn);
        }
    }

    @Example
    public void required_spec_9_3_aRequestLineOverTheLimitIs414() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write(get("/kit/echo/" + "a".repeat(limits.maxInitialLineLength() + 10)));
            assertEquals(414, conn.readResponse().status());
            assertClosesAfterResponse(conn);
        }
    }

    @Example
    public void required_spec_9_3_headersOverTheLimitAre431() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("GET /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(limits.maxHeaderSize() + 10) + "\r\n\r\n");
            assertEquals(431, conn.readResponse().status());
            assertClosesAfterResponse(conn);
        }
    }

    @Example
    public void required_spec_9_3_aBodyOverTheLimitIs413() throws Exception {
        final String big = "c".repeat(limits.maxContentLength() + 1);
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("POST /kit/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + big.length() + "\r\n\r\n" + big);
            assertEquals(413, conn.readResponse().status());
            assertClosesAfterResponse(conn);
        }
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            final String chunk = "d".repeat(1000);
            final StringBuilder wire = new StringBuilder("POST /kit/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i * chunk.length() <= limits.maxContentLength(); i++) {
                wire.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
            }
            wire.append("0\r\n\r\n");
            try {
                conn.write(wire.toString());
            } catch (final IOException closedWhileWriting) {
                // the server may close as soon as it has answered; the answer is still readable
            }
            assertEquals(413, conn.readResponse().status(), "rule 9.3: a chunked body passing the limit is 413");
            assertClosesAfterResponse(conn);
        }
        try (HttpFixture fixture = start()) {
            final String fits = "e".repeat(limits.maxContentLength());
            final HttpResponse<String> ok = send(client(), HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString(fits)));
            assertEquals(200, ok.statusCode(), "a body at the limit is accepted");
            assertEquals(fits, ok.body());
        }
    }

    // ====================================================================== 9.4

    @Example
    public void required_spec_9_4_backgroundJobsAnswerAtOnceAndTheirOutcomeIsObservable() throws Exception {
        try (HttpFixture fixture = start()) {
            final HttpClient client = client();
            final HttpRequest.Builder ok = HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/jobs/ok"))
                    .POST(HttpRequest.BodyPublishers.noBody());
            final HttpRequest.Builder bad = HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/jobs/fail"))
                    .POST(HttpRequest.BodyPublishers.noBody());
            assertEquals(202, send(client, ok).statusCode());
            assertEquals(202, send(client, bad).statusCode());
            awaitTrue(() -> {
                try {
                    final String body = get(client, fixture, "/kit/jobs").body();
                    return numberField(body, "succeeded") >= 1 && numberField(body, "failed") >= 1;
                } catch (final Exception e) {
                    throw new AssertionError(e);
                }
            }, "rule 9.4: one succeeded and one failed job are counted");
        }
    }

    // ====================================================================== 9.5

    @Example
    public void required_spec_9_5_subscriptionsAreAcknowledgedAndEventsArriveInPublishOrder() throws Exception {
        try (HttpFixture fixture = start(); KitWebSocket ws = subscribed(fixture)) {
            assertEquals(1, fixture.subscriberCount(), "the connection's agent is subscribed");
            for (int i = 0; i < 200; i++) {
                fixture.publish("e" + i);
            }
            for (int i = 0; i < 200; i++) {
                final String event = ws.next(await());
                assertTrue(event.contains("\"type\":\"event\"") && event.contains("\"text\":\"e" + i + "\""),
                        "rule 9.5: event e" + i + " expected in publish order, got " + event);
            }
            ws.send("{\"op\":\"unsubscribe\",\"topic\":\"kit\"}");
            assertTrue(ws.next(await()).contains("\"type\":\"unsubscribed\""), "rule 9.5: an unsubscribe is acknowledged");
            assertEquals(0, fixture.subscriberCount(), "after the acknowledgement the subscription is gone");
        }
    }

    @Example
    public void required_spec_9_5_badClientMessagesGetAnErrorFrameAndTheConnectionStays() throws Exception {
        try (HttpFixture fixture = start();
                KitWebSocket ws = KitWebSocket.connect(fixture.webSocketUri(), await())) {
            for (final String bad : List.of("{not json", "{\"op\":\"dance\"}", "{\"op\":\"subscribe\",\"topic\":\"no-such-topic\"}")) {
                ws.send(bad);
                final String reply = ws.next(await());
                assertTrue(reply.contains("\"type\":\"error\""), "rule 9.5: " + bad + " gets an error frame, got " + reply);
            }
            ws.send("{\"op\":\"subscribe\",\"topic\":\"kit\"}");
            assertTrue(ws.next(await()).contains("\"type\":\"subscribed\""), "the connection still works after errors");
        }
    }

    // ====================================================================== 9.6

    @Example
    public void required_spec_9_6_closingRemovesTheSubscriptionsAtOnce() throws Exception {
        try (HttpFixture fixture = start()) {
            final KitWebSocket polite = subscribed(fixture);
            final KitWebSocket abrupt = subscribed(fixture);
            assertEquals(2, fixture.subscriberCount());
            polite.raw().sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "done").get(await().toMillis(), TimeUnit.MILLISECONDS);
            awaitTrue(() -> fixture.subscriberCount() == 1, "rule 9.6: a client close removes its subscription without a publish");
            abrupt.raw().abort();
            awaitTrue(() -> fixture.subscriberCount() == 0, "rule 9.6: a dropped connection removes its subscription");
            polite.close();
        }
    }

    // ====================================================================== 9.7

    @Example
    public void required_spec_9_7_aFrameOverTheLimitClosesWith1009() throws Exception {
        try (HttpFixture fixture = start(); KitWebSocket ws = KitWebSocket.connect(fixture.webSocketUri(), await())) {
            final var unused = ws.raw().sendText("{\"op\":\"subscribe\",\"topic\":\"" + "x".repeat(limits.wsMaxFramePayload()) + "\"}", true);
            assertEquals(1009, ws.closeStatus().get(await().toMillis(), TimeUnit.MILLISECONDS), "rule 9.7: close status");
        }
    }

    @Example
    public void required_spec_9_7_aClientThatDoesNotReadIsDroppedAndOthersGoOn() throws Exception {
        try (HttpFixture fixture = start(); KitWebSocket healthy = subscribed(fixture);
                RawConnection stalled = RawConnection.open(fixture.baseUri(), await(), 4096)) {
            final URI ws = fixture.webSocketUri();
            stalled.write("GET " + ws.getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertEquals(101, stalled.readResponse().status(), "the handshake succeeds");
            stalled.write(maskedText("{\"op\":\"subscribe\",\"topic\":\"kit\"}"));
            awaitTrue(() -> fixture.subscriberCount() == 2, "the stalled client subscribed");
            final String payload = "p".repeat(4000);
            final long deadline = System.nanoTime() + await().toNanos() * 3;
            while (fixture.subscriberCount() == 2 && System.nanoTime() < deadline) {
                fixture.publish(payload);
                Thread.yield();
            }
            assertEquals(1, fixture.subscriberCount(), "rule 9.7: a client that takes nothing is dropped, not buffered for");
            // The healthy subscriber's mailbox may still be full of the flood, and a publish to a full
            // mailbox drops the event (rule 6.6): publish until one arrives, within the deadline.
            final long until = System.nanoTime() + await().toNanos() * 3;
            boolean arrived = false;
            for (int i = 0; !arrived && System.nanoTime() < until; i++) {
                fixture.publish("still-here-" + i);
                try {
                    healthy.nextContaining("still-here", Duration.ofMillis(200));
                    arrived = true;
                } catch (final AssertionError notYet) {
                    // the flood is still draining; publish again
                }
            }
            assertTrue(arrived, "rule 9.7: the other subscriber keeps receiving after the stalled one is dropped");
        }
    }

    @Example
    public void required_spec_9_7_anIdleConnectionIsPingedAndStaysOpen() throws Exception {
        try (HttpFixture fixture = start(); KitWebSocket ws = KitWebSocket.connect(fixture.webSocketUri(), await())) {
            awaitTrue(() -> ws.pings() >= 2, "rule 9.7: the server pings an idle connection");
            assertFalse(ws.closeStatus().isDone(), "a client that answers pings stays connected");
        }
    }

    private static byte[] maskedText(final String text) {
        final byte[] payload = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (payload.length > 125) {
            throw new IllegalArgumentException("kit frames are short");
        }
        final byte[] mask = {1, 2, 3, 4};
        final byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    // ====================================================================== 9.8

    @Example
    public void required_spec_9_8_shutdownFinishesInFlightRequestsAndClosesWebSocketsWith1001() throws Exception {
        try (HttpFixture fixture = start(); KitWebSocket ws = subscribed(fixture)) {
            final CompletableFuture<HttpResponse<String>> inFlight = client().sendAsync(
                    HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/gate/late")).timeout(await().multipliedBy(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            awaitTrue(() -> fixture.waitingAtGate("late") == 1, "the gated request reached its handler");
            final CompletableFuture<Boolean> shutdown = CompletableFuture.supplyAsync(
                    () -> fixture.shutdownGracefully(await().multipliedBy(2)));
            awaitTrue(() -> refusesConnections(fixture), "rule 9.8: a shutting-down server accepts no new connection");
            assertFalse(inFlight.isDone(), "the in-flight request waits for its handler, it is not cut off");
            fixture.openGate("late");
            final HttpResponse<String> answered = inFlight.get(await().toMillis() * 2, TimeUnit.MILLISECONDS);
            assertEquals(200, answered.statusCode(), "rule 9.8: the in-flight request is finished");
            assertTrue(shutdown.get(await().toMillis() * 3, TimeUnit.MILLISECONDS), "every in-flight request finished in the grace");
            assertEquals(1001, ws.closeStatus().get(await().toMillis(), TimeUnit.MILLISECONDS), "rule 9.8: WebSockets close with 1001");
        }
    }

    private static boolean refusesConnections(final HttpFixture fixture) {
        try {
            RawConnection.open(fixture.baseUri(), Duration.ofSeconds(2)).close();
            return false;
        } catch (final ConnectException refused) {
            return true;
        } catch (final IOException other) {
            return true;
        }
    }

    // ====================================================================== 9.9

    @Example
    public void required_spec_9_9_anIdleConnectionIsClosed() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write(get("/kit/echo/once"));
            assertEquals("once", conn.readResponse().body());
            assertTrue(conn.awaitClosedByServer(limits.idleTimeout().plus(await())), "rule 9.9: an idle connection is closed");
        }
    }

    @Example
    public void required_spec_9_9_aClientThatReadsNoneOfItsAnswersIsClosed() throws Exception {
        // 16 MiB of answers into a small receive buffer that the kit never reads: the server's socket
        // fills up and stays full. Whether the connection is still open is probed by writing line
        // breaks (which HTTP/1.1 allows between requests): once the server has closed it, a write fails.
        try (HttpFixture fixture = start(); RawConnection conn = RawConnection.open(fixture.baseUri(), await(), 4096)) {
            conn.write(get("/kit/bytes/524288").repeat(32));
            final long deadline = System.nanoTime() + limits.idleTimeout().plus(await()).toNanos();
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    conn.write("\r\n");
                    LockSupport.parkNanos(50_000_000L); // a probe interval; the deadline decides
                } catch (final IOException refused) {
                    closed = true;
                }
            }
            assertTrue(closed, "rule 9.9: a connection whose client leaves its answers unread for the idle timeout ("
                    + limits.idleTimeout() + ") must be closed");
        }
    }

    @Example
    public void required_spec_9_9_slowHeadersGet408AndTheConnectionCloses() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("GET /kit/echo/slow HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            assertEquals(408, conn.readResponse().status(), "rule 9.9: headers not complete within the header timeout");
            assertClosesAfterResponse(conn);
        }
    }

    // ====================================================================== 9.10

    @Example
    public void required_spec_9_10_aConnectionBeyondMaxConnectionsIsClosedAtOnce() throws Exception {
        try (HttpFixture fixture = start()) {
            final List<RawConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < limits.maxConnections(); i++) {
                    final RawConnection conn = raw(fixture);
                    open.add(conn);
                    conn.write(get("/kit/echo/c" + i));
                    assertEquals("c" + i, conn.readResponse().body(), "connection " + i + " of " + limits.maxConnections()
                            + " is served");
                }
                try (RawConnection extra = raw(fixture)) {
                    try {
                        extra.write(get("/kit/echo/extra"));
                    } catch (final IOException closedAlready) {
                        // closed before the request could be written: that is the rule
                    }
                    assertTrue(extra.awaitClosedByServer(await()), "rule 9.10: with maxConnections ("
                            + limits.maxConnections() + ") open, a new connection must be closed at once, unanswered");
                }
            } finally {
                for (final RawConnection conn : open) {
                    conn.close();
                }
            }
            awaitTrue(() -> {
                try (RawConnection again = raw(fixture)) {
                    again.write(get("/kit/echo/again"));
                    return "again".equals(again.readResponse().body());
                } catch (final IOException notYet) {
                    return false;
                }
            }, "rule 9.10: once connections close there is room again");
        }
    }

    @Example
    public void required_spec_9_10_requestBodiesBeyondTheServersMemoryBoundAre503AndTheOthersComplete() throws Exception {
        // Three bodies of maxContentLength, each one byte short, are more than maxBufferedRequestBytes
        // (twice maxContentLength in the kit): however the server reserves, one of them must be refused.
        final int length = limits.maxContentLength();
        final int bodies = limits.maxBufferedRequestBytes() / length + 1;
        // one reader thread per connection: the common pool may have a single thread, and a read
        // blocked on one connection must not keep the others' answers unread
        final java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(bodies);
        try (HttpFixture fixture = start()) {
            final List<RawConnection> conns = new ArrayList<>();
            final List<CompletableFuture<RawConnection.Response>> answers = new ArrayList<>();
            try {
                for (int i = 0; i < bodies; i++) {
                    final RawConnection conn = RawConnection.open(fixture.baseUri(), await().multipliedBy(3));
                    conns.add(conn);
                    conn.write("POST /kit/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length + "\r\n\r\n"
                            + String.valueOf((char) ('a' + i)).repeat(length - 1));
                    answers.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            return conn.readResponse();
                        } catch (final IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }, readers));
                }
                final RawConnection.Response refused = (RawConnection.Response) CompletableFuture
                        .anyOf(answers.toArray(CompletableFuture[]::new)).get(await().toMillis() * 2, TimeUnit.MILLISECONDS);
                assertEquals(503, refused.status(), "rule 9.10: " + bodies + " bodies of " + (length - 1) + " bytes held at once"
                        + " are more than maxBufferedRequestBytes (" + limits.maxBufferedRequestBytes() + "): one must be 503");
                assertTrue(refused.header("retry-after") != null, "rule 9.10: the 503 carries Retry-After");
                for (int i = 0; i < bodies; i++) {
                    if (!answers.get(i).isDone()) {
                        conns.get(i).write(String.valueOf((char) ('a' + i)));
                    }
                }
                int completed = 0;
                for (int i = 0; i < bodies; i++) {
                    final RawConnection.Response answer = answers.get(i).get(await().toMillis() * 2, TimeUnit.MILLISECONDS);
                    if (answer.status() == 200) {
                        completed++;
                        assertEquals(String.valueOf((char) ('a' + i)).repeat(length), answer.body(), "the body is whole");
                    } else {
                        assertEquals(503, answer.status(), "rule 9.10: a body is either received whole or refused with 503");
                        assertTrue(conns.get(i).awaitClosedByServer(await()), "rule 9.10: a refused body's connection is closed");
                    }
                }
                assertTrue(completed >= 1, "rule 9.10: the bodies that fit are received and answered");
            } finally {
                for (final RawConnection conn : conns) {
                    conn.close();
                }
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Example
    public void required_spec_9_10_aBodyThatTricklesPastTheBodyTimeoutIs408() throws Exception {
        final java.util.concurrent.ScheduledExecutorService trickle = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("POST /kit/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + limits.maxContentLength() + "\r\n\r\n");
            // a byte every 100 ms: never idle for the idle timeout, never complete within the body timeout
            final var unused = trickle.scheduleAtFixedRate(() -> {
                try {
                    conn.write("t");
                } catch (final IOException closed) {
                    throw new java.io.UncheckedIOException(closed); // ends the schedule
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            assertEquals(408, conn.readResponse().status(), "rule 9.10: a body not complete within the body timeout ("
                    + limits.bodyTimeout() + ") is 408, however steadily it trickles");
            assertClosesAfterResponse(conn);
        } finally {
            trickle.shutdownNow();
        }
    }

    @Example
    public void required_spec_9_10_aRequestWhoseClientHadIts504IsNotRun() throws Exception {
        try (HttpFixture fixture = start()) {
            fixture.holdWorker();
            final HttpResponse<String> late = send(client(), HttpRequest.newBuilder(fixture.baseUri().resolve("/kit/work"))
                    .timeout(limits.askTimeout().plus(await())));
            assertEquals(504, late.statusCode(), "the held worker does not answer within the ask timeout");
            fixture.releaseWorker();
            assertEquals("done", get(client(), fixture, "/kit/work").body(), "the released worker runs what is asked in time");
            assertEquals(1, fixture.workerRan(), "rule 9.10: the deadline travels with the handler's ask, and the request"
                    + " whose client was answered 504 is dropped unrun");
        }
    }

    // ====================================================================== 9.11

    @Example
    public void required_spec_9_11_aMissingRepeatedOrForeignHostIs400() throws Exception {
        final List<String> bad = List.of(
                "GET /kit/echo/x HTTP/1.1\r\n\r\n",
                "GET /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n\r\n",
                "GET /kit/echo/x HTTP/1.1\r\nHost: rebound.attacker.example\r\n\r\n",
                "GET /kit/echo/x HTTP/1.1\r\nHost: 127.0.0.1:notaport\r\n\r\n");
        try (HttpFixture fixture = start()) {
            for (final String request : bad) {
                try (RawConnection conn = raw(fixture)) {
                    conn.write(request);
                    assertEquals(400, conn.readResponse().status(), "rule 9.11: " + request.split("\r\n", 2)[1].trim()
                            + " must be 400");
                    assertClosesAfterResponse(conn);
                }
            }
            try (RawConnection conn = raw(fixture)) {
                conn.write("GET /kit/echo/fine HTTP/1.1\r\nHost: localhost:" + fixture.baseUri().getPort() + "\r\n\r\n");
                assertEquals("fine", conn.readResponse().body(), "rule 9.11: localhost is served");
            }
        }
    }

    @Example
    public void required_spec_9_11_anotherSitesPageCanNeitherPostNorOpenAWebSocket() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            final String host = "127.0.0.1:" + fixture.baseUri().getPort();
            final String post = "POST /kit/echo HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n";
            conn.write(post + "Origin: http://attacker.example\r\n\r\nhi");
            assertEquals(403, conn.readResponse().status(), "rule 9.11: a POST from another origin is 403");
            conn.write(post + "Origin: http://" + host + "\r\n\r\nhi");
            assertEquals("hi", conn.readResponse().body(), "rule 9.11: the server's own origin may POST");
            conn.write(post + "\r\nhi");
            assertEquals("hi", conn.readResponse().body(), "rule 9.11: a request without Origin is not refused for it");
        }
        try (HttpFixture fixture = start(); RawConnection ws = raw(fixture)) {
            ws.write("GET " + fixture.webSocketUri().getPath() + " HTTP/1.1\r\nHost: 127.0.0.1:" + fixture.baseUri().getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://attacker.example\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertEquals(403, ws.readResponse().status(), "rule 9.11: a WebSocket handshake from another origin is 403");
        }
    }

    // ====================================================================== 9.12

    @Example
    public void required_spec_9_12_anotherMajorVersionIs505AndResponsesSayHttp11() throws Exception {
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("GET /kit/echo/x HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n");
            final RawConnection.Response response = conn.readResponse();
            assertEquals(505, response.status(), "rule 9.12: HTTP/2.0 over an HTTP/1.1 connection is 505");
            assertEquals("HTTP/1.1", response.version(), "rule 9.12: the status line says HTTP/1.1");
            assertClosesAfterResponse(conn);
        }
        try (HttpFixture fixture = start(); RawConnection conn = raw(fixture)) {
            conn.write("GET /kit/echo/old HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
            final RawConnection.Response response = conn.readResponse();
            assertEquals("old", response.body());
            assertEquals("HTTP/1.1", response.version(), "rule 9.12: an HTTP/1.0 request is answered in HTTP/1.1");
        }
    }

    // ====================================================================== 9.13

    @Example
    public void required_spec_9_13_controlBytesAre400AndEncodedSlashesNeverSeparate() throws Exception {
        try (HttpFixture fixture = start()) {
            try (RawConnection conn = raw(fixture)) {
                conn.write("GET /kit/echo/a\u0001b HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertEquals(400, conn.readResponse().status(), "rule 9.13: a control byte in the target is 400");
            }
            try (RawConnection conn = raw(fixture)) {
                conn.write(get("/kit%2Fecho%2Fx"));
                assertEquals(404, conn.readResponse().status(), "rule 9.13: /kit%2Fecho%2Fx is one segment, not /kit/echo/x");
                conn.write(get("/kit/echo/a%2Fb"));
                assertEquals("a/b", conn.readResponse().body(), "rule 9.13: a segment is decoded after the split");
                conn.write(get("/kit/echo/%2E%2E"));
                assertEquals("..", conn.readResponse().body(), "rule 9.13: an encoded dot is data, not a path step");
            }
        }
    }
}
