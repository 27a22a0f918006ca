package dev.flin.conformance.http;

import static dev.flin.conformance.http.KitFrameClient.BINARY;
import static dev.flin.conformance.http.KitFrameClient.CLOSE;
import static dev.flin.conformance.http.KitFrameClient.CONTINUATION;
import static dev.flin.conformance.http.KitFrameClient.PING;
import static dev.flin.conformance.http.KitFrameClient.PONG;
import static dev.flin.conformance.http.KitFrameClient.TEXT;
import static dev.flin.conformance.http.KitFrameClient.closePayload;
import static dev.flin.conformance.http.KitFrameClient.frame;
import static dev.flin.conformance.http.KitFrameClient.hex;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.conformance.KitTimeouts;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import org.opentest4j.TestAbortedException;

/**
 * The Autobahn WebSocket test suite's case groups, ported as kit checks of rule 9.14 ("WebSocket
 * frames follow RFC 6455") against the fixture's echo endpoint ({@link HttpFixture#echoWebSocketUri()}):
 * framing (Autobahn sections 1-2), reserved bits and opcodes (3-4), fragmentation (5), UTF-8 (6),
 * close handling (7) and limits (9, scaled to {@link HttpKitLimits#wsMaxFramePayload()}). Extend it
 * once and return your provider, like {@link HttpConformanceKit}:
 *
 * <pre>{@code
 * class MyServerWebSocketCaseVerification extends WebSocketCaseKit {
 *     @Override
 *     public HttpFixtureProvider httpProvider() {
 *         return MyFixture::start;
 *     }
 * }
 * }</pre>
 *
 * Each check starts a fresh fixture with {@link HttpKitLimits#kitDefaults()} and runs one group of
 * Autobahn cases, each case on a connection of its own, written byte by byte with
 * {@link KitFrameClient}. Method names cite the rule and the Autobahn case numbers; failure
 * messages cite the rule and the case. Where Autobahn waits a fixed time (a second between chops,
 * say), the kit waits for the server's answer instead, or writes each part with a flush of its
 * own; no check measures time. Every case checks the end of the connection too: a case that fails
 * the connection expects the server's Close with the status the rule names, nothing else before
 * it but the echoes the case allows, and then the end of the stream; a case that is echoed ends
 * with a closing handshake (the Close answered, then the end of the stream). {@code docs/http.md}
 * lists every ported case.
 *
 * <p>Threading: jqwik runs the checks one at a time; a check uses its connections from its own
 * thread, plus one writer thread in the 9.7/9.8 checks.
 */
public abstract class WebSocketCaseKit {

    private static final int PROTOCOL_ERROR = 1002;
    private static final int INVALID_PAYLOAD = 1007;
    private static final int TOO_BIG = 1009;
    private static final int NORMAL = 1000;
    /** The payload of Autobahn's invalid UTF-8 cases: "κόσμε", a surrogate (ED A0 80), "edited". */
    private static final byte[] KOSME = hexBytes("CE BA E1 BD B9 CF 83 CE BC CE B5");

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

    private KitFrameClient open(final HttpFixture fixture) throws IOException {
        return KitFrameClient.connect(fixture.echoWebSocketUri(), timeouts.awaitSignal());
    }

    private long deadline() {
        return System.nanoTime() + timeouts.awaitSignal().toNanos();
    }

    private static String at(final String autobahnCase) {
        return "rule 9.14, Autobahn " + autobahnCase + ": ";
    }

    private int limit() {
        return limits.wsMaxFramePayload();
    }

    static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] hexBytes(final String hex) {
        final String[] parts = hex.trim().split("\\s+");
        final byte[] bytes = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return bytes;
    }

    private static byte[] concat(final byte[]... parts) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (final byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] repeat(final int b, final int n) {
        final byte[] bytes = new byte[n];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    /** @return {@code n} ASCII letters, varied so that a shifted or truncated echo shows */
    private static byte[] text(final int n) {
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) ('a' + i % 26);
        }
        return bytes;
    }

    /** @return {@code n} bytes of every value, varied */
    private static byte[] binary(final int n) {
        final byte[] bytes = new byte[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = (byte) (i * 7 + 3);
        }
        return bytes;
    }

    /**
     * Reads the next whole data message (a final frame, or a start and its continuations). Any other
     * frame first, or the end of the stream, fails.
     */
    private static byte[] expectMessage(final KitFrameClient c, final int opcode, final String ctx, final long deadline)
            throws IOException {
        KitFrameClient.Frame f = c.next(deadline);
        if (f.opcode() != opcode) {
            fail(ctx + "expected a " + (opcode == TEXT ? "Text" : "Binary") + " message, got " + f.describe());
        }
        final ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.writeBytes(f.payload());
        while (!f.fin()) {
            f = c.next(deadline);
            if (f.opcode() != CONTINUATION) {
                fail(ctx + "expected the continuation of the server's fragmented message, got " + f.describe());
            }
            message.writeBytes(f.payload());
        }
        return message.toByteArray();
    }

    /** Expects the echo of {@code payload} as one message of type {@code opcode}, byte for byte. */
    private void expectEcho(final KitFrameClient c, final int opcode, final byte[] payload, final String ctx)
            throws IOException {
        final byte[] echo = expectMessage(c, opcode, ctx, deadline());
        if (!Arrays.equals(payload, echo)) {
            fail(ctx + "the echo must be the message exactly: sent " + hex(payload) + ", got " + hex(echo));
        }
    }

    private void expectPong(final KitFrameClient c, final byte[] payload, final String ctx) throws IOException {
        final KitFrameClient.Frame f = c.next(deadline());
        if (f.opcode() != PONG || !Arrays.equals(payload, f.payload())) {
            fail(ctx + "a Ping must be answered by a Pong with the same payload " + hex(payload) + " (RFC 6455 5.5.2),"
                    + " got " + f.describe());
        }
    }

    /**
     * Expects the server's Close with one of {@code codes} (-1: a Close without a status), with no
     * frame before it but, at most once each, the echoes listed in {@code mayEcho} (pairs of opcode
     * and payload, in that order), then the end of the stream.
     */
    private void expectClose(final KitFrameClient c, final String ctx, final int[] codes, final Object... mayEcho)
            throws IOException {
        final long deadline = deadline();
        int allowed = 0;
        while (true) {
            final KitFrameClient.Frame f = c.next(deadline);
            if (f.isEnd()) {
                fail(ctx + "the server ended the connection without a Close frame; expected Close " + Arrays.toString(codes));
            }
            if (f.opcode() == CLOSE) {
                if (Arrays.stream(codes).noneMatch(code -> code == f.closeCode())) {
                    fail(ctx + "expected Close " + Arrays.toString(codes) + ", got " + f.describe());
                }
                expectEnd(c, ctx);
                return;
            }
            boolean matched = false;
            if ((f.opcode() == TEXT || f.opcode() == BINARY) && f.fin()) {
                while (allowed + 1 < mayEcho.length && !matched) {
                    matched = (int) mayEcho[allowed] == f.opcode() && Arrays.equals((byte[]) mayEcho[allowed + 1], f.payload());
                    allowed += 2;
                }
            }
            if (!matched) {
                fail(ctx + "expected Close " + Arrays.toString(codes) + (mayEcho.length > 0 ? " (after at most the echo of"
                        + " the valid messages before the fault)" : "") + ", got " + f.describe() + " first");
            }
        }
    }

    private void expectFailure(final KitFrameClient c, final int code, final String ctx, final Object... mayEcho)
            throws IOException {
        expectClose(c, ctx + "the connection must be failed with " + code + ": ", new int[] {code}, mayEcho);
    }

    /**
     * After the server's Close: answers it (RFC 6455 5.5.1) unless this client sent one, then
     * expects the end of the stream with no data frame and no second Close.
     */
    private void expectEnd(final KitFrameClient c, final String ctx) throws IOException {
        c.noteCloseSent(); // from here, pings are not answered
        try {
            c.sendRaw(frame(true, CLOSE, new byte[0]));
        } catch (final IOException alreadyClosed) {
            // the server ended the connection right after its Close: fine
        }
        final long deadline = deadline();
        while (true) {
            final KitFrameClient.Frame f = c.read(deadline);
            if (f.isEnd()) {
                return;
            }
            if (f.opcode() != PING && f.opcode() != PONG) {
                fail(ctx + "nothing may follow the server's Close (RFC 6455 5.5.1) but the end of the stream, got "
                        + f.describe());
            }
        }
    }

    /** The closing handshake at the end of a case that passed: Close 1000 answered, then the end. */
    private void closeNormally(final KitFrameClient c, final String ctx) throws IOException {
        c.sendClose(closePayload(NORMAL, new byte[0]));
        expectClose(c, ctx + "a Close must be answered with a Close (RFC 6455 5.5.1): ", new int[] {NORMAL});
    }

    /** Sends {@code payload} as one message of {@code opcode} and expects it echoed exactly, on a fresh connection. */
    private void echoCase(final HttpFixture fixture, final String id, final int opcode, final byte[] payload,
            final int chop) throws IOException {
        try (KitFrameClient c = open(fixture)) {
            final byte[] wire = frame(true, opcode, payload);
            if (chop > 0) {
                c.sendInChops(wire, chop);
            } else {
                c.sendRaw(wire);
            }
            expectEcho(c, opcode, payload, at(id));
            closeNormally(c, at(id));
        }
    }

    // ====================================================================== 1: framing

    @Example
    public void required_spec_9_14_autobahn_1_1_1_to_1_1_8_textMessagesOfEveryLengthEncodingAreEchoedExactly()
            throws Exception {
        try (HttpFixture fixture = start()) {
            framingCases(fixture, "1.1", TEXT);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_1_2_1_to_1_2_8_binaryMessagesOfEveryLengthEncodingAreEchoedExactly()
            throws Exception {
        try (HttpFixture fixture = start()) {
            framingCases(fixture, "1.2", BINARY);
        }
    }

    /**
     * Lengths 0, 125 (7-bit length), 126, 127, 128 (16-bit), then Autobahn's 65535, 65536 and 65536
     * in chops scaled to the frame limit: limit - 1, the limit, the limit in chops of one byte
     * (Autobahn chops 997 octets; every byte is a harder boundary).
     */
    private void framingCases(final HttpFixture fixture, final String group, final int opcode) throws IOException {
        final int[] lengths = {0, 125, 126, 127, 128, limit() - 1, limit(), limit()};
        for (int i = 0; i < lengths.length; i++) {
            final byte[] payload = opcode == TEXT ? text(lengths[i]) : binary(lengths[i]);
            echoCase(fixture, group + "." + (i + 1) + " (" + lengths[i] + " bytes" + (i == 7 ? " in 1-byte chops" : "")
                    + ")", opcode, payload, i == 7 ? 1 : 0);
        }
    }

    // ====================================================================== 2: pings and pongs

    @Example
    public void required_spec_9_14_autobahn_2_1_to_2_4_and_2_6_pingsAreAnsweredWithTheirPayload() throws Exception {
        final byte[][] payloads = {new byte[0], utf8("Hello, world!"), hexBytes("00 FF FE FD FC FB 00 FF"),
            repeat(0xFE, 125)};
        try (HttpFixture fixture = start()) {
            for (int i = 0; i < payloads.length; i++) {
                final String id = "2." + (i + 1);
                try (KitFrameClient c = open(fixture)) {
                    c.send(PING, payloads[i]);
                    expectPong(c, payloads[i], at(id));
                    closeNormally(c, at(id));
                }
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendInChops(frame(true, PING, repeat(0xFE, 125)), 1);
                expectPong(c, repeat(0xFE, 125), at("2.6 (125-byte ping in 1-byte chops)"));
                closeNormally(c, at("2.6"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_2_5_aPingOver125BytesClosesWith1002() throws Exception {
        try (HttpFixture fixture = start(); KitFrameClient c = open(fixture)) {
            c.send(PING, repeat(0xFE, 126));
            expectFailure(c, PROTOCOL_ERROR, at("2.5 (control frame of 126 bytes, RFC 6455 5.5)"));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_2_7_to_2_9_unsolicitedPongsAreIgnored() throws Exception {
        try (HttpFixture fixture = start()) {
            try (KitFrameClient c = open(fixture)) {
                c.send(PONG, new byte[0]);
                closeNormally(c, at("2.7 (unsolicited empty Pong: nothing may answer it)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(PONG, utf8("unsolicited pong payload"));
                closeNormally(c, at("2.8 (unsolicited Pong with payload: nothing may answer it)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(PONG, utf8("unsolicited pong payload"));
                c.send(PING, utf8("ping payload"));
                expectPong(c, utf8("ping payload"), at("2.9 (the Pong answers the Ping, not the unsolicited Pong)"));
                closeNormally(c, at("2.9"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_2_10_and_2_11_ofTenPingsAtLeastTheLastIsAnswered() throws Exception {
        try (HttpFixture fixture = start()) {
            for (final boolean chopped : new boolean[] {false, true}) {
                final String id = chopped ? "2.11 (ten pings in 1-byte chops)" : "2.10 (ten pings in one write)";
                try (KitFrameClient c = open(fixture)) {
                    final ByteArrayOutputStream wire = new ByteArrayOutputStream();
                    for (int i = 0; i < 10; i++) {
                        wire.writeBytes(frame(true, PING, utf8("payload-" + i)));
                    }
                    if (chopped) {
                        c.sendInChops(wire.toByteArray(), 1);
                    } else {
                        c.sendRaw(wire.toByteArray());
                    }
                    // RFC 6455 5.5.3: a server may answer only the most recent of several pings;
                    // the pongs it sends answer pings in order, and the last ping is answered.
                    final long deadline = deadline();
                    int next = 0;
                    while (next < 10) {
                        final KitFrameClient.Frame f = c.next(deadline);
                        int answered = -1;
                        for (int i = next; i < 10 && f.opcode() == PONG; i++) {
                            if (Arrays.equals(utf8("payload-" + i), f.payload())) {
                                answered = i;
                                break;
                            }
                        }
                        if (answered < 0) {
                            fail(at(id) + "expected a Pong for ping payload-" + next + " or a later one, in order, got "
                                    + f.describe());
                        }
                        next = answered + 1;
                    }
                    closeNormally(c, at(id));
                }
            }
        }
    }

    // ====================================================================== 3: reserved bits

    @Example
    public void required_spec_9_14_autobahn_3_1_to_3_7_reservedBitsWithoutAnExtensionCloseWith1002() throws Exception {
        final byte[] hello = utf8("Hello, world!");
        try (HttpFixture fixture = start()) {
            try (KitFrameClient c = open(fixture)) {
                c.send(true, 1, TEXT, hello);
                expectFailure(c, PROTOCOL_ERROR, at("3.1 (Text with RSV=1)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(TEXT, hello);
                expectEcho(c, TEXT, hello, at("3.2"));
                c.sendRaw(concat(frame(true, 2, TEXT, hello, true), frame(true, PING, new byte[0])));
                expectFailure(c, PROTOCOL_ERROR, at("3.2 (Text with RSV=2 after a valid one; its Ping is not answered)"));
            }
            for (final boolean chopped : new boolean[] {false, true}) {
                final int rsv = chopped ? 4 : 3;
                final String id = chopped ? "3.4 (valid Text, Text with RSV=4, Ping, in 1-byte chops)"
                        : "3.3 (valid Text, Text with RSV=3, Ping, in one write)";
                try (KitFrameClient c = open(fixture)) {
                    final byte[] wire = concat(frame(true, TEXT, hello), frame(true, rsv, TEXT, hello, true),
                            frame(true, PING, new byte[0]));
                    if (chopped) {
                        c.sendInChops(wire, 1);
                    } else {
                        c.sendRaw(wire);
                    }
                    expectFailure(c, PROTOCOL_ERROR, at(id), TEXT, hello);
                }
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(true, 5, BINARY, repeat(0xFF, 8));
                expectFailure(c, PROTOCOL_ERROR, at("3.5 (Binary with RSV=5)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(true, 6, PING, hello);
                expectFailure(c, PROTOCOL_ERROR, at("3.6 (Ping with RSV=6: no Pong)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.send(true, 7, CLOSE, closePayload(NORMAL, new byte[0]));
                c.noteCloseSent();
                expectFailure(c, PROTOCOL_ERROR, at("3.7 (Close with RSV=7)"));
            }
        }
    }

    // ====================================================================== 4: opcodes

    @Example
    public void required_spec_9_14_autobahn_4_1_1_to_4_1_5_reservedDataOpcodesCloseWith1002() throws Exception {
        try (HttpFixture fixture = start()) {
            reservedOpcodeCases(fixture, "4.1", 3);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_4_2_1_to_4_2_5_reservedControlOpcodesCloseWith1002() throws Exception {
        try (HttpFixture fixture = start()) {
            reservedOpcodeCases(fixture, "4.2", 11);
        }
    }

    /**
     * Autobahn's five shapes, opcodes {@code first} to {@code first + 4}: the frame alone, empty and
     * with a payload; after a valid Text and followed by a Ping, empty, with a payload, and in
     * 1-byte chops. The valid Text before may be echoed; the Ping after must not be answered.
     */
    private void reservedOpcodeCases(final HttpFixture fixture, final String group, final int first) throws IOException {
        final byte[] hello = utf8("Hello, world!");
        final byte[] reserved = utf8("reserved opcode payload");
        for (int i = 0; i < 5; i++) {
            final int opcode = first + i;
            final String id = group + "." + (i + 1) + " (opcode " + opcode + ")";
            try (KitFrameClient c = open(fixture)) {
                final byte[] bad = frame(true, opcode, i == 0 || i == 2 ? new byte[0] : reserved);
                final byte[] wire = i < 2 ? bad : concat(frame(true, TEXT, hello), bad, frame(true, PING, new byte[0]));
                if (i == 4) {
                    c.sendInChops(wire, 1);
                } else {
                    c.sendRaw(wire);
                }
                expectFailure(c, PROTOCOL_ERROR, at(id), TEXT, hello);
            }
        }
    }

    // ====================================================================== 5: fragmentation

    @Example
    public void required_spec_9_14_autobahn_5_1_and_5_2_fragmentedControlFramesCloseWith1002() throws Exception {
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {PING, PONG}) {
                final String id = opcode == PING ? "5.1 (Ping in 2 fragments)" : "5.2 (Pong in 2 fragments)";
                try (KitFrameClient c = open(fixture)) {
                    c.sendRaw(concat(frame(false, opcode, utf8("fragment1")), frame(true, CONTINUATION, utf8("fragment2"))));
                    expectFailure(c, PROTOCOL_ERROR, at(id));
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_5_3_to_5_5_aTextInTwoFragmentsIsEchoedAsOneMessage() throws Exception {
        final byte[] one = utf8("fragment1");
        final byte[] two = utf8("fragment2");
        try (HttpFixture fixture = start()) {
            for (int variant = 0; variant < 3; variant++) {
                final String id = switch (variant) {
                    case 0 -> "5.3 (both fragments in one write)";
                    case 1 -> "5.4 (in 1-byte chops)";
                    default -> "5.5 (each fragment in a write of its own)";
                };
                try (KitFrameClient c = open(fixture)) {
                    final byte[] wire = concat(frame(false, TEXT, one), frame(true, CONTINUATION, two));
                    if (variant == 0) {
                        c.sendRaw(wire);
                    } else if (variant == 1) {
                        c.sendInChops(wire, 1);
                    } else {
                        c.sendRaw(frame(false, TEXT, one));
                        c.sendRaw(frame(true, CONTINUATION, two));
                    }
                    expectEcho(c, TEXT, concat(one, two), at(id));
                    closeNormally(c, at(id));
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_5_6_to_5_8_aPingBetweenFragmentsIsAnsweredAndTheMessageEchoed()
            throws Exception {
        final byte[] one = utf8("fragment1");
        final byte[] two = utf8("fragment2");
        final byte[] ping = utf8("ping payload");
        try (HttpFixture fixture = start()) {
            for (int variant = 0; variant < 3; variant++) {
                final String id = switch (variant) {
                    case 0 -> "5.6 (fragment, Ping, fragment in one write)";
                    case 1 -> "5.7 (the same in 1-byte chops)";
                    default -> "5.8 (the Pong awaited before the last fragment)";
                };
                try (KitFrameClient c = open(fixture)) {
                    final byte[] wire = concat(frame(false, TEXT, one), frame(true, PING, ping), frame(true, CONTINUATION, two));
                    if (variant == 0) {
                        c.sendRaw(wire);
                    } else if (variant == 1) {
                        c.sendInChops(wire, 1);
                    } else {
                        c.sendRaw(concat(frame(false, TEXT, one), frame(true, PING, ping)));
                        expectPong(c, ping, at(id) + "a Ping inside a fragmented message is answered at once: ");
                        c.sendRaw(frame(true, CONTINUATION, two));
                    }
                    if (variant < 2) {
                        expectPong(c, ping, at(id));
                    }
                    expectEcho(c, TEXT, concat(one, two), at(id));
                    closeNormally(c, at(id));
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_5_9_to_5_14_aContinuationWithNothingToContinueClosesWith1002()
            throws Exception {
        try (HttpFixture fixture = start()) {
            for (int i = 0; i < 6; i++) {
                final boolean fin = i < 3;
                final String id = "5." + (9 + i) + " (Continuation with FIN=" + (fin ? 1 : 0) + " first, "
                        + (i % 3 == 0 ? "one write" : i % 3 == 1 ? "1-byte chops" : "a write per frame") + ")";
                try (KitFrameClient c = open(fixture)) {
                    final byte[] stray = frame(fin, CONTINUATION, utf8("non-continuation payload"));
                    final byte[] rest = concat(frame(false, TEXT, utf8("Hello, ")), frame(true, CONTINUATION, utf8("World!")));
                    if (i % 3 == 0) {
                        c.sendRaw(concat(stray, rest));
                    } else if (i % 3 == 1) {
                        c.sendInChops(concat(stray, rest), 1);
                    } else {
                        c.sendRaw(stray);
                        c.sendRaw(rest);
                    }
                    expectFailure(c, PROTOCOL_ERROR, at(id));
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_5_15_to_5_18_aNewMessageInsideAFragmentedOneClosesWith1002()
            throws Exception {
        final byte[] f1 = utf8("fragment1");
        final byte[] f2 = utf8("fragment2");
        final byte[] f3 = utf8("fragment3");
        final byte[] f4 = utf8("fragment4");
        try (HttpFixture fixture = start()) {
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(concat(frame(false, TEXT, f1), frame(true, CONTINUATION, f2), frame(false, CONTINUATION, f3),
                        frame(true, TEXT, f4)));
                expectFailure(c, PROTOCOL_ERROR, at("5.15 (a whole fragmented message, then a stray Continuation)"),
                        TEXT, concat(f1, f2));
            }
            for (final boolean strayFin : new boolean[] {false, true}) {
                final String id = strayFin ? "5.17 (twice: Continuation FIN=1, Text FIN=0, Continuation FIN=1)"
                        : "5.16 (twice: Continuation FIN=0, Text FIN=0, Continuation FIN=1)";
                try (KitFrameClient c = open(fixture)) {
                    final byte[] once = concat(frame(strayFin, CONTINUATION, f1), frame(false, TEXT, f2),
                            frame(true, CONTINUATION, f3));
                    c.sendRaw(concat(once, once));
                    expectFailure(c, PROTOCOL_ERROR, at(id));
                }
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(concat(frame(false, TEXT, f1), frame(true, TEXT, f2)));
                expectFailure(c, PROTOCOL_ERROR, at("5.18 (a Text frame where a Continuation must follow)"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_5_19_and_5_20_pingsBetweenFiveFragmentsAreAnsweredInTurn() throws Exception {
        try (HttpFixture fixture = start()) {
            for (final boolean chopped : new boolean[] {false, true}) {
                final String id = chopped ? "5.20 (each step in 1-byte chops)" : "5.19";
                try (KitFrameClient c = open(fixture)) {
                    final ByteArrayOutputStream whole = new ByteArrayOutputStream();
                    for (int i = 1; i <= 5; i++) {
                        final byte[] fragment = utf8("fragment" + i);
                        whole.writeBytes(fragment);
                        final byte[] step = concat(frame(i == 5, i == 1 ? TEXT : CONTINUATION, fragment),
                                i < 5 ? frame(true, PING, utf8("pongme " + i + "!")) : new byte[0]);
                        if (chopped) {
                            c.sendInChops(step, 1);
                        } else {
                            c.sendRaw(step);
                        }
                        if (i < 5) { // Autobahn waits a second here; the kit waits for the Pong
                            expectPong(c, utf8("pongme " + i + "!"), at(id) + "the Ping after fragment " + i + ": ");
                        }
                    }
                    expectEcho(c, TEXT, whole.toByteArray(), at(id));
                    closeNormally(c, at(id));
                }
            }
        }
    }

    // ====================================================================== 6: UTF-8

    /** One UTF-8 case: Autobahn's number, what it is, its bytes, whether they are valid UTF-8. */
    @SuppressWarnings("ArrayRecordComponent") // a fixed test vector, never compared
    private record Utf8Case(String id, String what, byte[] bytes, boolean valid) {
        Utf8Case {
            final int state = utf8State(bytes);
            if ((state == 0) != valid) { // the kit's own tables are checked, so that no case expects the wrong thing
                throw new IllegalStateException("kit table error: Autobahn " + id + " " + hex(bytes) + " is "
                        + (state == 0 ? "valid" : "not valid") + " UTF-8");
            }
        }
    }

    private static Utf8Case valid(final String id, final String what, final String hex) {
        return new Utf8Case(id, what, hexBytes(hex), true);
    }

    private static Utf8Case invalid(final String id, final String what, final String hex) {
        return new Utf8Case(id, what, hexBytes(hex), false);
    }

    /**
     * @return 0 if {@code b} is complete, valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
     *     nothing above U+10FFFF); 1 if it is valid so far but ends inside a sequence; -1 if it is
     *     invalid whatever would follow
     */
    static int utf8State(final byte[] b) {
        int i = 0;
        while (i < b.length) {
            final int c = b[i++] & 0xFF;
            if (c < 0x80) {
                continue;
            }
            int lo = 0x80;
            int hi = 0xBF;
            final int need;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c == 0xE0) {
                need = 2;
                lo = 0xA0;
            } else if (c == 0xED) {
                need = 2;
                hi = 0x9F;
            } else if (c >= 0xE1 && c <= 0xEF) {
                need = 2;
            } else if (c == 0xF0) {
                need = 3;
                lo = 0x90;
            } else if (c == 0xF4) {
                need = 3;
                hi = 0x8F;
            } else if (c >= 0xF1 && c <= 0xF3) {
                need = 3;
            } else {
                return -1;
            }
            for (int k = 0; k < need; k++, i++) {
                if (i >= b.length) {
                    return 1;
                }
                final int d = b[i] & 0xFF;
                if (k == 0 ? d < lo || d > hi : d < 0x80 || d > 0xBF) {
                    return -1;
                }
            }
        }
        return 0;
    }

    /**
     * A valid case is echoed exactly as one frame, and as fragments of one byte each (every
     * sequence split at every byte). An invalid one closes with 1007 as one frame; and, where its
     * bytes are invalid whatever would follow (not only cut short at the end), also when sent as
     * the first fragment of a message that is never finished: the server must fail fast.
     */
    private void utf8Cases(final HttpFixture fixture, final List<Utf8Case> cases) throws IOException {
        for (final Utf8Case u : cases) {
            final String id = u.id() + " (" + u.what() + ", " + hex(u.bytes()) + ")";
            if (u.valid()) {
                echoCase(fixture, id, TEXT, u.bytes(), 0);
                try (KitFrameClient c = open(fixture)) {
                    c.sendRaw(fragmentedAtEveryByte(u.bytes()));
                    expectEcho(c, TEXT, u.bytes(), at(id + " split into 1-byte fragments"));
                    closeNormally(c, at(id));
                }
            } else {
                try (KitFrameClient c = open(fixture)) {
                    c.send(TEXT, u.bytes());
                    expectFailure(c, INVALID_PAYLOAD, at(id + " in one frame"));
                }
                if (utf8State(u.bytes()) < 0) {
                    try (KitFrameClient c = open(fixture)) {
                        c.sendRaw(frame(false, TEXT, u.bytes()));
                        expectFailure(c, INVALID_PAYLOAD, at(id + " as the first fragment, the message never finished"
                                + " (fail fast)"));
                    }
                }
            }
        }
    }

    private static byte[] fragmentedAtEveryByte(final byte[] bytes) {
        if (bytes.length == 0) {
            return frame(true, TEXT, bytes);
        }
        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < bytes.length; i++) {
            wire.writeBytes(frame(i == bytes.length - 1, i == 0 ? TEXT : CONTINUATION, new byte[] {bytes[i]}));
        }
        return wire.toByteArray();
    }

    @Example
    public void required_spec_9_14_autobahn_6_1_1_to_6_1_3_emptyTextMessagesAndFragmentsAreEchoed() throws Exception {
        try (HttpFixture fixture = start()) {
            echoCase(fixture, "6.1.1 (empty Text)", TEXT, new byte[0], 0);
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(concat(frame(false, TEXT, new byte[0]), frame(false, CONTINUATION, new byte[0]),
                        frame(true, CONTINUATION, new byte[0])));
                expectEcho(c, TEXT, new byte[0], at("6.1.2 (three empty fragments)"));
                closeNormally(c, at("6.1.2"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(concat(frame(false, TEXT, new byte[0]), frame(false, CONTINUATION, utf8("middle frame payload")),
                        frame(true, CONTINUATION, new byte[0])));
                expectEcho(c, TEXT, utf8("middle frame payload"), at("6.1.3 (empty, non-empty, empty fragments)"));
                closeNormally(c, at("6.1.3"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_2_and_6_5_validUtf8IsEchoedWholeAndSplitAtEveryByte() throws Exception {
        final byte[] hello = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
        try (HttpFixture fixture = start()) {
            echoCase(fixture, "6.2.1 (Hello-µ@ßöäüàá-UTF-8!! in one frame)", TEXT, hello, 0);
            try (KitFrameClient c = open(fixture)) {
                final byte[] a = utf8("Hello-\u00b5@\u00df\u00f6\u00e4");
                c.sendRaw(concat(frame(false, TEXT, a), frame(true, CONTINUATION, Arrays.copyOfRange(hello, a.length,
                        hello.length))));
                expectEcho(c, TEXT, hello, at("6.2.2 (two fragments, split at a code point)"));
                closeNormally(c, at("6.2.2"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(fragmentedAtEveryByte(hello));
                expectEcho(c, TEXT, hello, at("6.2.3 (a fragment per byte)"));
                closeNormally(c, at("6.2.3"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(fragmentedAtEveryByte(KOSME));
                expectEcho(c, TEXT, KOSME, at("6.2.4 (κόσμε, a fragment per byte)"));
                closeNormally(c, at("6.2.4"));
            }
            utf8Cases(fixture, List.of(
                    new Utf8Case("6.5.1", "hello$world, U+0024", utf8("hello$world"), true),
                    new Utf8Case("6.5.2", "hello¢world, U+00A2", concat(utf8("hello"), hexBytes("C2 A2"), utf8("world")), true),
                    new Utf8Case("6.5.3", "hello€world, U+20AC", concat(utf8("hello"), hexBytes("E2 82 AC"), utf8("world")), true),
                    new Utf8Case("6.5.4", "hello\uD852\uDF62world, U+24B62", concat(utf8("hello"), hexBytes("F0 A4 AD A2"),
                            utf8("world")), true),
                    new Utf8Case("6.5.5", "κόσμε", KOSME, true)));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_3_1_and_6_3_2_invalidUtf8ClosesWith1007() throws Exception {
        final byte[] payload = concat(KOSME, hexBytes("ED A0 80"), utf8("edited"));
        try (HttpFixture fixture = start()) {
            try (KitFrameClient c = open(fixture)) {
                c.send(TEXT, payload);
                expectFailure(c, INVALID_PAYLOAD, at("6.3.1 (κόσμε, a surrogate ED A0 80, edited: one frame)"));
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendRaw(fragmentedAtEveryByte(payload));
                expectFailure(c, INVALID_PAYLOAD, at("6.3.2 (the same, a fragment per byte)"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_4_1_and_6_4_2_invalidUtf8InAFragmentFailsBeforeTheMessageEnds()
            throws Exception {
        try (HttpFixture fixture = start()) {
            final byte[][][] cases = {
                {KOSME, hexBytes("F4 90 80 80"), utf8("edited")},
                {concat(KOSME, hexBytes("F4")), hexBytes("90"), concat(hexBytes("80 80"), utf8("edited"))}};
            for (int i = 0; i < cases.length; i++) {
                final String id = "6.4." + (i + 1) + (i == 0 ? " (κόσμε | F4 90 80 80 | edited)" : " (κόσμε F4 | 90 | 80 80 edited)");
                try (KitFrameClient c = open(fixture)) {
                    c.sendRaw(concat(frame(false, TEXT, cases[i][0]), frame(false, CONTINUATION, cases[i][1])));
                    // Autobahn waits a second before the last fragment; the kit never sends it.
                    expectFailure(c, INVALID_PAYLOAD, at(id + ", the last fragment not sent: fail fast"));
                }
            }
        }
    }

    /**
     * 6.4.3 and 6.4.4 write one frame in three chops, the invalid bytes in the second: a server that
     * fails fast inside a frame closes before the third chop. Autobahn grades a close only after the
     * whole frame arrived NON-STRICT; so does the kit: such a server passes the close (1007 once the
     * frame is complete is required) and the check is then reported skipped, naming the case.
     */
    @Example
    public void required_spec_9_14_autobahn_6_4_3_and_6_4_4_invalidUtf8InsideAFrameFailsTheConnection() throws Exception {
        final List<String> nonStrict = new ArrayList<>();
        try (HttpFixture fixture = start()) {
            final byte[][][] cases = {
                {KOSME, hexBytes("F4 90 80 80"), utf8("edited")},
                {concat(KOSME, hexBytes("F4")), hexBytes("90"), concat(hexBytes("80 80"), utf8("edited"))}};
            for (int i = 0; i < cases.length; i++) {
                final String id = "6.4." + (i + 3) + " (one frame in 3 chops: " + hex(cases[i][0]) + " | " + hex(cases[i][1])
                        + " | rest)";
                final byte[] wire = frame(true, TEXT, concat(cases[i][0], cases[i][1], cases[i][2]));
                final int headerLength = wire.length - cases[i][0].length - cases[i][1].length - cases[i][2].length;
                final int split1 = headerLength + cases[i][0].length;
                final int split2 = split1 + cases[i][1].length;
                try (KitFrameClient c = open(fixture)) {
                    c.sendRaw(Arrays.copyOfRange(wire, 0, split1));
                    c.sendRaw(Arrays.copyOfRange(wire, split1, split2));
                    final KitFrameClient.Frame early = readWithin(c, timeouts.expectNothing());
                    if (early == null) {
                        nonStrict.add(id);
                        c.sendRaw(Arrays.copyOfRange(wire, split2, wire.length));
                        expectFailure(c, INVALID_PAYLOAD, at(id + ", after the whole frame"));
                    } else if (early.opcode() != CLOSE || early.closeCode() != INVALID_PAYLOAD) {
                        fail(at(id) + "expected Close 1007, got " + early.describe());
                    } else {
                        expectEnd(c, at(id));
                    }
                }
            }
        }
        if (!nonStrict.isEmpty()) {
            throw new TestAbortedException("NON-STRICT (as Autobahn grades it): the server failed the connection with"
                    + " 1007 only once the whole frame had arrived, not at the invalid bytes, in " + nonStrict);
        }
    }

    /** @return the next frame if one arrives within {@code window}, else null (the connection stays usable) */
    private static KitFrameClient.Frame readWithin(final KitFrameClient c, final Duration window) throws IOException {
        try {
            return c.next(System.nanoTime() + window.toNanos());
        } catch (final AssertionError nothingInTime) {
            return null;
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_6_1_to_6_6_11_kosmeCutAfterEveryByte() throws Exception {
        final List<Utf8Case> cases = new ArrayList<>();
        for (int n = 1; n <= KOSME.length; n++) {
            final byte[] prefix = Arrays.copyOf(KOSME, n);
            cases.add(new Utf8Case("6.6." + n, "the first " + n + " bytes of κόσμε", prefix, utf8State(prefix) == 0));
        }
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, cases);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_7_6_9_6_11_boundaryCodePointsAreEchoedExactly() throws Exception {
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, List.of(
                    valid("6.7.1", "U+0000", "00"),
                    valid("6.7.2", "U+0080, first 2-byte", "C2 80"),
                    valid("6.7.3", "U+0800, first 3-byte", "E0 A0 80"),
                    valid("6.7.4", "U+10000, first 4-byte", "F0 90 80 80"),
                    valid("6.9.1", "U+007F, last 1-byte", "7F"),
                    valid("6.9.2", "U+07FF, last 2-byte", "DF BF"),
                    valid("6.9.3", "U+FFFF, last 3-byte", "EF BF BF"),
                    valid("6.9.4", "U+10FFFF, last code point", "F4 8F BF BF"),
                    valid("6.11.1", "U+D7FF, before the surrogates", "ED 9F BF"),
                    valid("6.11.2", "U+E000, after the surrogates", "EE 80 80"),
                    valid("6.11.3", "U+FFFD", "EF BF BD"),
                    valid("6.11.4", "U+10FFFF", "F4 8F BF BF")));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_8_6_10_6_11_5_codePointsAboveU10FFFFCloseWith1007() throws Exception {
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, List.of(
                    invalid("6.8.1", "first 5-byte sequence", "F8 88 80 80 80"),
                    invalid("6.8.2", "first 6-byte sequence", "FC 84 80 80 80 80"),
                    invalid("6.10.1", "U+1FFFFF, last 4-byte form", "F7 BF BF BF"),
                    invalid("6.10.2", "last 5-byte sequence", "FB BF BF BF BF"),
                    invalid("6.10.3", "last 6-byte sequence", "FD BF BF BF BF BF"),
                    invalid("6.11.5", "U+110000", "F4 90 80 80")));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_12_to_6_16_malformedSequencesCloseWith1007() throws Exception {
        final StringBuilder continuations = new StringBuilder(); // Autobahn's range: 0x80 to 0xBE
        for (int b = 0x80; b < 0xBF; b++) {
            continuations.append(String.format("%02X ", b));
        }
        final List<Utf8Case> cases = new ArrayList<>(List.of(
                invalid("6.12.1", "first continuation byte", "80"),
                invalid("6.12.2", "last continuation byte", "BF"),
                invalid("6.12.3", "2 continuation bytes", "80 BF"),
                invalid("6.12.4", "3 continuation bytes", "80 BF 80"),
                invalid("6.12.5", "4 continuation bytes", "80 BF 80 BF"),
                invalid("6.12.6", "5 continuation bytes", "80 BF 80 BF 80"),
                invalid("6.12.7", "6 continuation bytes", "80 BF 80 BF 80 BF"),
                invalid("6.12.8", "continuation bytes 80 to BE", continuations.toString())));
        final int[][] starts = {{0xC0, 0xDF}, {0xE0, 0xEF}, {0xF0, 0xF7}, {0xF8, 0xFB}, {0xFC, 0xFD}};
        for (int i = 0; i < starts.length; i++) { // Autobahn's ranges leave out the last start byte of each
            final StringBuilder lonely = new StringBuilder();
            for (int b = starts[i][0]; b < starts[i][1]; b++) {
                lonely.append(String.format("%02X 20 ", b));
            }
            cases.add(invalid("6.13." + (i + 1), "lonely start bytes, each followed by a space", lonely.toString()));
        }
        final String[] missingLast = {"C0", "E0 80", "F0 80 80", "F8 80 80 80", "FC 80 80 80 80", "DF", "EF BF", "F7 BF BF",
            "FB BF BF BF", "FD BF BF BF BF"};
        for (int i = 0; i < missingLast.length; i++) {
            cases.add(invalid("6.14." + (i + 1), "a sequence without its last continuation byte, at the end", missingLast[i]));
        }
        cases.add(invalid("6.15.1", "the sequences of 6.14 concatenated", String.join(" ", missingLast)));
        cases.add(invalid("6.16.1", "impossible byte", "FE"));
        cases.add(invalid("6.16.2", "impossible byte", "FF"));
        cases.add(invalid("6.16.3", "impossible bytes", "FE FE FF FF"));
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, cases);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_17_to_6_19_overlongEncodingsCloseWith1007() throws Exception {
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, List.of(
                    invalid("6.17.1", "'/' overlong in 2 bytes", "C0 AF"),
                    invalid("6.17.2", "'/' overlong in 3 bytes", "E0 80 AF"),
                    invalid("6.17.3", "'/' overlong in 4 bytes", "F0 80 80 AF"),
                    invalid("6.17.4", "'/' overlong in 5 bytes", "F8 80 80 80 AF"),
                    invalid("6.17.5", "'/' overlong in 6 bytes", "FC 80 80 80 80 AF"),
                    invalid("6.18.1", "U+007F overlong in 2 bytes", "C1 BF"),
                    invalid("6.18.2", "U+07FF overlong in 3 bytes", "E0 9F BF"),
                    invalid("6.18.3", "U+FFFF overlong in 4 bytes", "F0 8F BF BF"),
                    invalid("6.18.4", "U+1FFFFF overlong in 5 bytes", "F8 87 BF BF BF"),
                    invalid("6.18.5", "U+3FFFFFF overlong in 6 bytes", "FC 83 BF BF BF BF"),
                    invalid("6.19.1", "NUL overlong in 2 bytes", "C0 80"),
                    invalid("6.19.2", "NUL overlong in 3 bytes", "E0 80 80"),
                    invalid("6.19.3", "NUL overlong in 4 bytes", "F0 80 80 80"),
                    invalid("6.19.4", "NUL overlong in 5 bytes", "F8 80 80 80 80"),
                    invalid("6.19.5", "NUL overlong in 6 bytes", "FC 80 80 80 80 80")));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_20_and_6_21_surrogatesCloseWith1007() throws Exception {
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, List.of(
                    invalid("6.20.1", "U+D800", "ED A0 80"),
                    invalid("6.20.2", "U+DB7F", "ED AD BF"),
                    invalid("6.20.3", "U+DB80", "ED AE 80"),
                    invalid("6.20.4", "U+DBFF", "ED AF BF"),
                    invalid("6.20.5", "U+DC00", "ED B0 80"),
                    invalid("6.20.6", "U+DF80", "ED BE 80"),
                    invalid("6.20.7", "U+DFFF", "ED BF BF"),
                    invalid("6.21.1", "U+D800 U+DC00", "ED A0 80 ED B0 80"),
                    invalid("6.21.2", "U+D800 U+DFFF", "ED A0 80 ED BF BF"),
                    invalid("6.21.3", "U+DB7F U+DC00", "ED AD BF ED B0 80"),
                    invalid("6.21.4", "U+DB7F U+DFFF", "ED AD BF ED BF BF"),
                    invalid("6.21.5", "U+DB80 U+DC00", "ED AE 80 ED B0 80"),
                    invalid("6.21.6", "U+DB80 U+DFFF", "ED AE 80 ED BF BF"),
                    invalid("6.21.7", "U+DBFF U+DC00", "ED AF BF ED B0 80"),
                    invalid("6.21.8", "U+DBFF U+DFFF", "ED AF BF ED BF BF")));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_6_22_and_6_23_noncharactersAndSpecialsAreValid()
            throws Exception {
        final List<Utf8Case> cases = new ArrayList<>();
        int n = 1;
        for (int plane = 0; plane <= 16; plane++) {
            for (final int last : new int[] {0xFFFE, 0xFFFF}) {
                final int cp = (plane << 16) | last;
                cases.add(new Utf8Case("6.22." + n++, String.format("noncharacter U+%04X", cp),
                        new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8), true));
            }
        }
        final String[] specials = {"EF BF B9", "EF BF BA", "EF BF BB", "EF BF BC", "EF BF BD", "EF BF BE", "EF BF BF"};
        for (int i = 0; i < specials.length; i++) {
            cases.add(valid("6.23." + (i + 1), "U+FFF" + "9ABCDEF".charAt(i) + ", a special" + (i == 4 ? " (the replacement"
                    + " character)" : ""), specials[i]));
        }
        try (HttpFixture fixture = start()) {
            utf8Cases(fixture, cases);
        }
    }

    // ====================================================================== 7: close handling

    @Example
    public void required_spec_9_14_autobahn_7_1_1_aMessageIsEchoedThenTheCloseIsAnswered() throws Exception {
        try (HttpFixture fixture = start(); KitFrameClient c = open(fixture)) {
            c.send(TEXT, utf8("Hello World!"));
            expectEcho(c, TEXT, utf8("Hello World!"), at("7.1.1"));
            closeNormally(c, at("7.1.1"));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_1_2_to_7_1_5_whatFollowsTheClientsCloseIsIgnored() throws Exception {
        final byte[] close = frame(true, CLOSE, closePayload(NORMAL, new byte[0]));
        final Object[][] cases = {
            {"7.1.2 (Close, then a second Close)", concat(close, close)},
            {"7.1.3 (Close, then a Ping: no Pong)", concat(close, frame(true, PING, utf8("Hello World!")))},
            {"7.1.4 (Close, then a Text: no echo)", concat(close, frame(true, TEXT, utf8("Hello World!")))},
            {"7.1.5 (Text FIN=0, Close, Continuation: the message is never echoed)", concat(frame(false, TEXT,
                    utf8("fragment1")), close, frame(true, CONTINUATION, utf8("fragment2")))}};
        try (HttpFixture fixture = start()) {
            for (final Object[] kase : cases) {
                try (KitFrameClient c = open(fixture)) {
                    c.sendRaw((byte[]) kase[1]);
                    c.noteCloseSent();
                    expectClose(c, at((String) kase[0]) + "only the answer to the first Close may come: ", new int[] {NORMAL});
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_1_6_scaled_aMessageOfTheLimitThenCloseThenPing() throws Exception {
        final byte[] big = text(limit());
        try (HttpFixture fixture = start(); KitFrameClient c = open(fixture)) {
            c.sendRaw(concat(frame(true, TEXT, big), frame(true, CLOSE, closePayload(NORMAL, new byte[0])),
                    frame(true, PING, utf8("Hello World!"))));
            c.noteCloseSent();
            expectClose(c, at("7.1.6 (scaled: a message of the limit, Close, Ping) the echo may come, the Pong may"
                    + " not: "), new int[] {NORMAL}, TEXT, big);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_3_1_to_7_3_6_closePayloadLengths() throws Exception {
        try (HttpFixture fixture = start()) {
            try (KitFrameClient c = open(fixture)) {
                c.sendClose(new byte[0]);
                expectClose(c, at("7.3.1 (Close without a status)") + "answered with a Close: ", new int[] {-1, NORMAL});
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendClose(new byte[] {0x03});
                expectFailure(c, PROTOCOL_ERROR, at("7.3.2 (Close payload of 1 byte)"));
            }
            final Object[][] answered = {
                {"7.3.3 (1000, no reason)", new byte[0]},
                {"7.3.4 (1000, a reason)", utf8("Hello World!")},
                {"7.3.5 (1000, a reason of 123 bytes: a control frame of 125)", repeat('*', 123)}};
            for (final Object[] kase : answered) {
                try (KitFrameClient c = open(fixture)) {
                    c.sendClose(closePayload(NORMAL, (byte[]) kase[1]));
                    expectClose(c, at((String) kase[0]) + "answered with a Close: ", new int[] {NORMAL});
                }
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendClose(closePayload(NORMAL, repeat('*', 124)));
                expectFailure(c, PROTOCOL_ERROR, at("7.3.6 (1000, a reason of 124 bytes: a control frame of 126)"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_5_1_aCloseReasonThatIsNotUtf8ClosesWith1007() throws Exception {
        try (HttpFixture fixture = start(); KitFrameClient c = open(fixture)) {
            c.sendClose(closePayload(NORMAL, concat(KOSME, hexBytes("ED A0 80"), utf8("edited"))));
            expectFailure(c, INVALID_PAYLOAD, at("7.5.1 (reason: κόσμε, a surrogate, edited)"));
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_7_1_to_7_7_13_validCloseCodesAreAnswered() throws Exception {
        final int[] codes = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        try (HttpFixture fixture = start()) {
            for (int i = 0; i < codes.length; i++) {
                try (KitFrameClient c = open(fixture)) {
                    c.sendClose(closePayload(codes[i], new byte[0]));
                    expectClose(c, at("7.7." + (i + 1) + " (Close " + codes[i] + ")") + "answered with a Close of the same"
                            + " status or 1000: ", new int[] {codes[i], NORMAL});
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_9_1_to_7_9_9_invalidCloseCodesCloseWith1002() throws Exception {
        final int[] codes = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        try (HttpFixture fixture = start()) {
            for (int i = 0; i < codes.length; i++) {
                try (KitFrameClient c = open(fixture)) {
                    c.sendClose(closePayload(codes[i], new byte[0]));
                    expectFailure(c, PROTOCOL_ERROR, at("7.9." + (i + 1) + " (Close " + codes[i] + ")"));
                }
            }
            try (KitFrameClient c = open(fixture)) {
                c.sendClose(closePayload(1015, new byte[0]));
                expectFailure(c, PROTOCOL_ERROR, at("(kit, with 7.9) (Close 1015: RFC 6455 7.4.1, never sent in a Close)"));
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_7_13_1_and_7_13_2_closeCodesBeyondTheRangesAreAnsweredWithAClose()
            throws Exception {
        final int[] codes = {5000, 65535};
        try (HttpFixture fixture = start()) {
            for (int i = 0; i < codes.length; i++) {
                try (KitFrameClient c = open(fixture)) {
                    c.sendClose(closePayload(codes[i], new byte[0]));
                    expectClose(c, at("7.13." + (i + 1) + " (Close " + codes[i] + ", informational in Autobahn)")
                            + "answered with a Close (1002, or the same status, or 1000): ",
                            new int[] {PROTOCOL_ERROR, codes[i], NORMAL});
                }
            }
        }
    }

    // ====================================================================== 9: limits (scaled)

    @Example
    public void required_spec_9_14_autobahn_9_1_and_9_2_scaled_aMessageOfExactlyTheLimitIsEchoed() throws Exception {
        try (HttpFixture fixture = start()) {
            echoCase(fixture, "9.1 (scaled: a Text of the limit, " + limit() + " bytes)", TEXT, text(limit()), 0);
            echoCase(fixture, "9.2 (scaled: a Binary of the limit, " + limit() + " bytes)", BINARY, binary(limit()), 0);
        }
    }

    @Example
    public void required_spec_9_14_autobahn_9_3_and_9_4_scaled_aMessageOfTheLimitInFragmentsIsEchoedAsOne()
            throws Exception {
        final int[] fragmentSizes = {64, 256, 1024, 4096, limit()};
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {TEXT, BINARY}) {
                final byte[] payload = opcode == TEXT ? text(limit()) : binary(limit());
                for (int i = 0; i < fragmentSizes.length; i++) {
                    final String id = (opcode == TEXT ? "9.3." : "9.4.") + (i + 1) + " (scaled: " + limit()
                            + " bytes in fragments of " + fragmentSizes[i] + ")";
                    try (KitFrameClient c = open(fixture)) {
                        final ByteArrayOutputStream wire = new ByteArrayOutputStream();
                        for (int from = 0; from < payload.length; from += fragmentSizes[i]) {
                            final int to = Math.min(payload.length, from + fragmentSizes[i]);
                            wire.writeBytes(frame(to == payload.length, from == 0 ? opcode : CONTINUATION,
                                    Arrays.copyOfRange(payload, from, to)));
                        }
                        c.sendRaw(wire.toByteArray());
                        expectEcho(c, opcode, payload, at(id));
                        closeNormally(c, at(id));
                    }
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_autobahn_9_5_and_9_6_scaled_aMessageOfTheLimitInChopsIsEchoed() throws Exception {
        final int[] chops = {64, 128, 256, 512, 1024, 2048};
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {TEXT, BINARY}) {
                final byte[] payload = opcode == TEXT ? text(limit()) : binary(limit());
                for (int i = 0; i < chops.length; i++) {
                    echoCase(fixture, (opcode == TEXT ? "9.5." : "9.6.") + (i + 1) + " (scaled: " + limit()
                            + " bytes in chops of " + chops[i] + ")", opcode, payload, chops[i]);
                }
            }
        }
    }

    /**
     * Autobahn 9.7.x and 9.8.x send 1000 messages of one size, each after the previous echo (they
     * measure round trips); sizes 0 to 4096 as there. The kit then also writes 1000 small messages
     * back to back from a second thread while it reads, checking order under pipelining.
     */
    @Example
    public void required_spec_9_14_autobahn_9_7_and_9_8_aThousandMessagesAreEchoedInOrder() throws Exception {
        final int[] sizes = {0, 16, 64, 256, 1024, 4096};
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {TEXT, BINARY}) {
                for (int i = 0; i < sizes.length; i++) {
                    final String id = (opcode == TEXT ? "9.7." : "9.8.") + (i + 1) + " (1000 messages of " + sizes[i]
                            + " bytes, each after the previous echo)";
                    try (KitFrameClient c = open(fixture)) {
                        final byte[] base = opcode == TEXT ? text(sizes[i]) : binary(sizes[i]);
                        for (int m = 0; m < 1000; m++) {
                            final byte[] payload = base.clone();
                            if (payload.length >= 4) { // the message's number, so that a repeat or a loss shows
                                System.arraycopy(utf8(String.format("%04d", m)), 0, payload, 0, 4);
                            }
                            c.send(opcode, payload);
                            expectEcho(c, opcode, payload, at(id) + "message " + m + ": ");
                        }
                        closeNormally(c, at(id));
                    }
                }
            }
            pipelined(fixture);
        }
    }

    private void pipelined(final HttpFixture fixture) throws Exception {
        final String id = "(kit, with 9.7) (1000 messages of 16 bytes back to back, read while written)";
        try (KitFrameClient c = open(fixture)) {
            final java.util.concurrent.CompletableFuture<Void> written = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int m = 0; m < 1000; m++) {
                        c.send(TEXT, utf8(String.format("message-%07d", m)));
                    }
                } catch (final IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            for (int m = 0; m < 1000; m++) {
                expectEcho(c, TEXT, utf8(String.format("message-%07d", m)), at(id) + "message " + m + " in order: ");
            }
            written.get(timeouts.awaitSignal().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            closeNormally(c, at(id));
        }
    }

    @Example
    public void required_spec_9_14_limits_scaled_aFrameOneByteOverTheLimitClosesWith1009() throws Exception {
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {TEXT, BINARY}) {
                try (KitFrameClient c = open(fixture)) {
                    c.send(opcode, opcode == TEXT ? text(limit() + 1) : binary(limit() + 1));
                    expectFailure(c, TOO_BIG, at("(kit, beyond 9.1/9.2) (a " + (opcode == TEXT ? "Text" : "Binary")
                            + " frame of the limit + 1 byte, rule 9.7)"));
                }
            }
        }
    }

    @Example
    public void required_spec_9_14_limits_scaled_aMessageOverTheLimitInFragmentsUnderItClosesWith1009()
            throws Exception {
        try (HttpFixture fixture = start()) {
            for (final int opcode : new int[] {TEXT, BINARY}) {
                try (KitFrameClient c = open(fixture)) {
                    final int half = limit() / 2;
                    c.sendRaw(concat(frame(false, opcode, text(half)), frame(false, CONTINUATION, text(half)),
                            frame(true, CONTINUATION, text(1))));
                    expectFailure(c, TOO_BIG, at("(kit, beyond 9.3/9.4) (a " + (opcode == TEXT ? "Text" : "Binary")
                            + " message of the limit + 1 byte in fragments under it, rule 9.7)"));
                }
            }
        }
    }
}
