package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link HttpServerConfig}: validation, {@code fromArgs} (flags over environment over base) and {@code describe}. */
class HttpServerConfigTest {

    private static final HttpServerConfig BASE = HttpServerConfig.defaults();

    @Test
    void shouldReadFlagsInBothForms() {
        final HttpServerConfig c = HttpServerConfig.fromArgs(BASE,
                new String[] {"--port", "9090", "--max-content-length=2048", "--handler-mode", "pool", "--transport=NIO"},
                Map.of());
        assertEquals(9090, c.port());
        assertEquals(2048, c.maxContentLength());
        assertEquals(HandlerMode.POOL, c.handlerMode());
        assertEquals(Transport.NIO, c.transport());
        assertEquals(BASE.host(), c.host(), "settings not given keep the base value");
    }

    @Test
    void shouldPreferFlagsOverEnvironmentOverBase() {
        final Map<String, String> env = Map.of(
                "FLIN_HTTP_PORT", "7000",
                "FLIN_HTTP_HOST", "0.0.0.0",
                "FLIN_HTTP_IDLE_TIMEOUT", "90s",
                "PATH", "/usr/bin",
                "FLIN_HTTP_SOMETHING_ELSE", "ignored");
        final HttpServerConfig c = HttpServerConfig.fromArgs(BASE, new String[] {"--port", "7001"}, env);
        assertEquals(7001, c.port(), "a flag wins over the environment");
        assertEquals("0.0.0.0", c.host(), "the environment wins over the base");
        assertEquals(Duration.ofSeconds(90), c.idleTimeout());
    }

    @Test
    void shouldParseEveryDurationForm() {
        final HttpServerConfig c = HttpServerConfig.fromArgs(BASE, new String[] {
            "--ask-timeout", "500ms", "--header-timeout", "10s", "--idle-timeout", "2m", "--shutdown-grace", "PT1.5S",
            "--ws-ping-interval", "1h"}, Map.of());
        assertEquals(Duration.ofMillis(500), c.askTimeout());
        assertEquals(Duration.ofSeconds(10), c.headerTimeout());
        assertEquals(Duration.ofMinutes(2), c.idleTimeout());
        assertEquals(Duration.ofMillis(1500), c.shutdownGrace());
        assertEquals(Duration.ofHours(1), c.wsPingInterval());
    }

    @Test
    void shouldAcceptEnumsInAnyCaseWithDashes() {
        assertEquals(HandlerMode.PER_REQUEST,
                HttpServerConfig.fromArgs(BASE, new String[] {"--handler-mode=per-request"}, Map.of()).handlerMode());
        assertEquals(HandlerMode.PER_REQUEST,
                HttpServerConfig.fromArgs(BASE, new String[] {"--handler-mode=PER_REQUEST"}, Map.of()).handlerMode());
    }

    @Test
    void shouldRejectUnknownFlagNamingIt() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--prot", "80"}, Map.of()));
        assertTrue(e.getMessage().contains("--prot"), e.getMessage());
        assertTrue(e.getMessage().contains("--port"), "lists the known flags: " + e.getMessage());
    }

    @Test
    void shouldRejectBadValuesNamingFlagAndValue() {
        final IllegalArgumentException notInt = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--port", "80x"}, Map.of()));
        assertTrue(notInt.getMessage().contains("--port") && notInt.getMessage().contains("80x"), notInt.getMessage());

        final IllegalArgumentException notDuration = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {}, Map.of("FLIN_HTTP_ASK_TIMEOUT", "5")));
        assertTrue(notDuration.getMessage().contains("FLIN_HTTP_ASK_TIMEOUT") && notDuration.getMessage().contains("'5'"),
                notDuration.getMessage());

        final IllegalArgumentException notEnum = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--handler-mode=threads"}, Map.of()));
        assertTrue(notEnum.getMessage().contains("threads") && notEnum.getMessage().contains("per-request"), notEnum.getMessage());

        final IllegalArgumentException outOfRange = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--port=70000"}, Map.of()));
        assertTrue(outOfRange.getMessage().contains("port") && outOfRange.getMessage().contains("70000")
                && outOfRange.getMessage().contains("--port"), outOfRange.getMessage());

        final IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--idle-timeout", "0s"}, Map.of()));
        assertTrue(zero.getMessage().contains("idleTimeout"), zero.getMessage());
    }

    @Test
    void shouldRejectMissingValueAndStrayArguments() {
        final IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"--port"}, Map.of()));
        assertTrue(missing.getMessage().contains("--port needs a value"), missing.getMessage());
        final IllegalArgumentException stray = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.fromArgs(BASE, new String[] {"8080"}, Map.of()));
        assertTrue(stray.getMessage().contains("'8080'"), stray.getMessage());
    }

    @Test
    void shouldDescribeOneLinePerSettingThatParsesBack() {
        final HttpServerConfig c = BASE.toBuilder().port(0).askTimeout(Duration.ofMillis(250)).handlerMode(HandlerMode.POOL).build();
        final String text = c.describe();
        final String[] lines = text.split("\n");
        assertEquals(HttpServerConfig.class.getRecordComponents().length, lines.length, text);
        assertTrue(text.contains("askTimeout = 250ms"), text);
        assertTrue(text.contains("handlerMode = pool"), text);
        assertTrue(text.contains("idleTimeout = 1m"), text);

        // every line turned back into a flag reproduces the configuration
        final String[] args = new String[lines.length];
        for (int i = 0; i < lines.length; i++) {
            final String[] kv = lines[i].split(" = ", 2);
            args[i] = dev.flin.http.internal.ConfigParser.flagName(kv[0]) + "=" + kv[1];
        }
        final HttpServerConfig parsed = HttpServerConfig.fromArgs(HttpServerConfig.defaults().toBuilder().port(1).build(), args, Map.of());
        // allowedHosts is described by the hosts it stands for (the default, empty, stands for the
        // bound address and the loopback names): the same hosts, written out
        assertEquals(c.toBuilder().allowedHosts(c.effectiveAllowedHosts()).build(), parsed);
        assertEquals(c.describe(), parsed.describe());
    }

    @Test
    void shouldRejectInvalidBuilderSettingsNamingThem() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HttpServerConfig.builder().maxPipelinedRequests(0).build());
        assertTrue(e.getMessage().contains("maxPipelinedRequests"), e.getMessage());
        final NullPointerException npe = assertThrows(NullPointerException.class,
                () -> HttpServerConfig.builder().askTimeout(null).build());
        assertTrue(npe.getMessage().contains("askTimeout"), npe.getMessage());
        assertThrows(NullPointerException.class, () -> HttpServerConfig.builder().host(null).build());
    }
}
