package dev.flin.http.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HandlerMode;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Transport;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTTP server's settings on the registry: every field has a flag, the old variables still work. */
class HttpSettingsTest {

    private static final Settings SETTINGS = Settings.of("test", List.of(HttpSettings.group()));

    private static HttpServerConfig config(final String[] args, final Map<String, String> env) {
        return HttpSettings.config(SETTINGS.parse(args, env, Map.of()));
    }

    @Test
    void shouldDeclareOneSettingPerConfigFieldWithTheSameDefaults() {
        assertEquals(HttpServerConfig.class.getRecordComponents().length, HttpSettings.group().settings().size());
        assertEquals(HttpServerConfig.defaults(), config(new String[0], Map.of()));
    }

    @Test
    void shouldReadFlagsVariablesOldAndNewAndSizes() {
        final HttpServerConfig c = config(new String[] {"--port", "9090", "--max-content-length=2k", "--handler-mode", "pool",
            "--transport=NIO", "--shutdown-grace", "PT1.5S", "--allowed-hosts", "a.example, b.example"},
                Map.of("FLIN_HTTP_HOST", "0.0.0.0", "FLIN_IDLE_TIMEOUT", "90s", "FLIN_HTTP_SOMETHING_ELSE", "ignored"));
        assertEquals(9090, c.port());
        assertEquals(2048, c.maxContentLength());
        assertEquals(HandlerMode.POOL, c.handlerMode());
        assertEquals(Transport.NIO, c.transport());
        assertEquals(Duration.ofMillis(1500), c.shutdownGrace());
        assertEquals(List.of("a.example", "b.example"), c.allowedHosts());
        assertEquals("0.0.0.0", c.host());
        assertEquals(Duration.ofSeconds(90), c.idleTimeout());
    }

    @Test
    void shouldNameFlagAndSourceOfBadValues() {
        assertEquals("env FLIN_HTTP_ASK_TIMEOUT (--ask-timeout): '5' is not a duration (use 250ms, 10s, 2m, 1h or ISO-8601 like PT10S)",
                assertThrows(IllegalArgumentException.class,
                        () -> config(new String[0], Map.of("FLIN_HTTP_ASK_TIMEOUT", "5"))).getMessage());
        assertEquals("flag --idle-timeout: must be positive and at most 365d, was '0s'",
                assertThrows(IllegalArgumentException.class,
                        () -> config(new String[] {"--idle-timeout", "0s"}, Map.of())).getMessage());
        assertEquals("flag --port: must be in [0, 65535], was '70000'",
                assertThrows(IllegalArgumentException.class, () -> config(new String[] {"--port=70000"}, Map.of())).getMessage());
        final String together = assertThrows(IllegalArgumentException.class,
                () -> config(new String[] {"--max-buffered-request-bytes=1k"}, Map.of())).getMessage();
        assertTrue(together.startsWith("invalid HTTP server settings: maxBufferedRequestBytes must be at least")
                && together.contains("--max-buffered-request-bytes (from flag --max-buffered-request-bytes)")
                && together.contains("--max-content-length (default)"), together);
        final String host = assertThrows(IllegalArgumentException.class,
                () -> config(new String[] {"--allowed-hosts", "http://x"}, Map.of())).getMessage();
        assertTrue(host.contains("--allowed-hosts (from flag --allowed-hosts)"), host);
    }

    @Test
    void shouldPrintDurationsAndSizesAsTyped() {
        final Configuration c = SETTINGS.parse(new String[] {"--ask-timeout=250ms"}, Map.of(), Map.of());
        assertTrue(c.lines().contains("--ask-timeout=250ms (flag --ask-timeout)"), c.printout());
        assertTrue(c.lines().contains("--idle-timeout=1m (default)"), c.printout());
        assertTrue(c.lines().contains("--shutdown-grace=10s (default)"), c.printout());
        assertTrue(c.lines().contains("--ws-max-frame-payload=64k (default)"), c.printout());
        assertTrue(c.lines().contains("--handler-mode=per-request (default)"), c.printout());
    }
}
