package dev.flin.runtime.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.core.RuntimeOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry: precedence of the four sources, errors naming flag and source, suggestions, help, printout. */
class SettingsTest {

    private enum Mode { PER_REQUEST, POOL }

    private static final Setting<Integer> PORT = Setting.of("port", SettingType.integer(), 8080, "the port").range(0, 65535);
    private static final Setting<String> HOST = Setting.of("host", SettingType.string(), "127.0.0.1", "the address");
    private static final Setting<Duration> ASK_TIMEOUT = Setting.of("ask-timeout", SettingType.duration(),
            Duration.ofSeconds(5), "ask timeout").range(Duration.ofMillis(1), Duration.ofDays(1));
    private static final Setting<Mode> MODE = Setting.of("handler-mode", SettingType.enumeration(Mode.class),
            Mode.PER_REQUEST, "handlers");
    private static final Setting<Integer> FRAME = Setting.of("max-frame", SettingType.size(), 64 * 1024, "frame");
    private static final Setting<String> DATA_DIR = Setting.of("data-dir", SettingType.string(), "data", "data");
    private static final Setting<String> JDBC_URL = Setting.of("jdbc-url", SettingType.optionalString(), "", "url");
    private static final Setting<String> JDBC_USER = Setting.of("jdbc-user", SettingType.optionalString(), "", "user");
    private static final Setting<String> JDBC_PASSWORD = Setting.of("jdbc-password", SettingType.optionalString(), "",
            "password").secret();

    private static final Settings SETTINGS = Settings.of("test", List.of(
            RuntimeSettings.group(),
            SettingGroup.of("HTTP server", List.of(PORT, HOST, ASK_TIMEOUT, MODE, FRAME)).withLegacyEnvPrefix("FLIN_HTTP_"),
            SettingGroup.of("Service", List.of(DATA_DIR, JDBC_URL, JDBC_USER, JDBC_PASSWORD))));

    private static Configuration parse(final String... args) {
        return SETTINGS.parse(args, Map.of(), Map.of());
    }

    private static String error(final String[] args, final Map<String, String> env, final Map<String, String> props) {
        return assertThrows(SettingsException.class, () -> SETTINGS.parse(args, env, props)).getMessage();
    }

    @Test
    void shouldTakeFlagOverPropertyOverEnvironmentOverFileOverDefault(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("app.properties");
        Files.writeString(file, "port=1001\nhost=file.example\nask-timeout=1s\nhandler-mode=pool\nmax-frame=1k\n");
        final String[] args = {"--config", file.toString(), "--port", "1004"};
        final Map<String, String> env = Map.of("FLIN_PORT", "1003", "FLIN_HOST", "env.example", "FLIN_ASK_TIMEOUT", "3s");
        final Map<String, String> props = Map.of("flin.port", "1002", "flin.host", "prop.example");

        final Configuration c = SETTINGS.parse(args, env, props);

        assertEquals(1004, c.get(PORT));
        assertEquals(new Origin(Source.FLAG, "--port"), c.origin(PORT));
        assertEquals("prop.example", c.get(HOST));
        assertEquals(new Origin(Source.PROPERTY, "flin.host"), c.origin(HOST));
        assertEquals(Duration.ofSeconds(3), c.get(ASK_TIMEOUT));
        assertEquals(new Origin(Source.ENV, "FLIN_ASK_TIMEOUT"), c.origin(ASK_TIMEOUT));
        assertEquals(Mode.POOL, c.get(MODE));
        assertEquals(new Origin(Source.FILE, file.toString()), c.origin(MODE));
        assertEquals(1024, c.get(FRAME));
        assertEquals("data", c.get(DATA_DIR));
        assertEquals(Origin.DEFAULT, c.origin(DATA_DIR));
    }

    @Test
    void shouldReadBothFlagFormsAndLegacyVariablesAfterTheNewOnes() {
        assertEquals(9090, parse("--port=9090").get(PORT));
        assertEquals(9091, parse("--port", "9091").get(PORT));
        assertEquals(7000, SETTINGS.parse(new String[0], Map.of("FLIN_HTTP_PORT", "7000"), Map.of()).get(PORT));
        assertEquals(7001, SETTINGS.parse(new String[0], Map.of("FLIN_HTTP_PORT", "7000", "FLIN_PORT", "7001"), Map.of())
                .get(PORT));
    }

    @Test
    void shouldNameTheFlagAndTheSourceOfEveryBadValue(@TempDir final Path dir) throws IOException {
        assertEquals("env FLIN_PORT (--port): 'abc' is not an integer", error(new String[0], Map.of("FLIN_PORT", "abc"), Map.of()));
        assertEquals("flag --port: 'abc' is not an integer", error(new String[] {"--port", "abc"}, Map.of(), Map.of()));
        assertEquals("property flin.port (--port): must be in [0, 65535], was '70000'",
                error(new String[0], Map.of(), Map.of("flin.port", "70000")));
        assertEquals("flag --ask-timeout: '5' is not a duration (use 250ms, 10s, 2m, 1h or ISO-8601 like PT10S)",
                error(new String[] {"--ask-timeout=5"}, Map.of(), Map.of()));
        assertEquals("flag --handler-mode: 'threads' is not one of per-request, pool",
                error(new String[] {"--handler-mode=threads"}, Map.of(), Map.of()));
        assertEquals("flag --host: the value is empty", error(new String[] {"--host="}, Map.of(), Map.of()));
        assertEquals("flag --port needs a value", error(new String[] {"--port"}, Map.of(), Map.of()));
        assertEquals("unexpected argument '8080': settings are given as --name value or --name=value",
                error(new String[] {"8080"}, Map.of(), Map.of()));

        final Path file = dir.resolve("bad.properties");
        Files.writeString(file, "max-frame=lots\n");
        assertEquals("file " + file + " (--max-frame): 'lots' is not a size",
                error(new String[] {"--config", file.toString()}, Map.of(), Map.of()));
        final String missing = error(new String[] {"--config", dir.resolve("none.properties").toString()}, Map.of(), Map.of());
        assertTrue(missing.startsWith("flag --config: cannot read the properties file '" + dir.resolve("none.properties")),
                missing);
    }

    @Test
    void shouldRejectOverflowingNumbersAndDurations() {
        assertEquals("flag --port: '99999999999' is too large for an integer (at most 2147483647)",
                error(new String[] {"--port", "99999999999"}, Map.of(), Map.of()));
        assertEquals("flag --port: '99999999999999999999' is too large for an integer",
                error(new String[] {"--port", "99999999999999999999"}, Map.of(), Map.of()));
        assertEquals("flag --ask-timeout: '9999999999999999999999s' is too large a duration",
                error(new String[] {"--ask-timeout", "9999999999999999999999s"}, Map.of(), Map.of()));
        assertEquals("flag --ask-timeout: '9223372036854775807h' is too large a duration",
                error(new String[] {"--ask-timeout", "9223372036854775807h"}, Map.of(), Map.of()));
        assertEquals("flag --ask-timeout: must be in [1ms, 1d], was '100000d'",
                error(new String[] {"--ask-timeout", "100000d"}, Map.of(), Map.of()));
        assertEquals("flag --max-frame: '4g' is too large a size (at most 2147483647 bytes)",
                error(new String[] {"--max-frame", "4g"}, Map.of(), Map.of()));
    }

    @Test
    void shouldSuggestTheClosestFlagsAcrossEveryGroup() {
        assertEquals("unknown flag --data-dirr; did you mean --data-dir?; --help lists every flag",
                error(new String[] {"--data-dirr", "x"}, Map.of(), Map.of()));
        assertEquals("unknown flag --jdbc-ulr; did you mean --jdbc-url?; --help lists every flag",
                error(new String[] {"--jdbc-ulr", "x"}, Map.of(), Map.of()));
        assertEquals("unknown flag --jdbc; did you mean --jdbc-url, --jdbc-user, --jdbc-password?; --help lists every flag",
                error(new String[] {"--jdbc", "x"}, Map.of(), Map.of()));
        assertEquals("unknown flag --prot; did you mean --port?; --help lists every flag",
                error(new String[] {"--prot=1"}, Map.of(), Map.of()));
        assertEquals("unknown flag --wokers; did you mean --workers?; --help lists every flag",
                error(new String[] {"--wokers=1"}, Map.of(), Map.of()));
        assertEquals("unknown flag --zzzzzz; --help lists every flag", error(new String[] {"--zzzzzz=1"}, Map.of(), Map.of()));
    }

    @Test
    void shouldSuggestKnownKeysForAnUnknownKeyInTheFile(@TempDir final Path dir) throws IOException {
        final Path file = dir.resolve("app.properties");
        Files.writeString(file, "data-dirr=/tmp\n");
        assertEquals("file " + file + ": unknown key 'data-dirr'; did you mean data-dir?",
                error(new String[] {"--config=" + file}, Map.of(), Map.of()));
    }

    @Test
    void shouldAnswerHelpAndVersionBeforeReadingAnythingElse() {
        assertEquals(Configuration.Request.HELP, parse("--prot", "1", "--help").request());
        assertEquals(Configuration.Request.HELP, parse("-h").request());
        assertEquals(Configuration.Request.VERSION, parse("--version").request());
        assertEquals(Configuration.Request.RUN, parse().request());

        final String help = SETTINGS.help();
        for (final String expected : List.of("Runtime:", "HTTP server:", "Service:", "--workers <integer>",
                "--port <integer>", "the port (default 8080; env FLIN_PORT or FLIN_HTTP_PORT)", "(default data; env FLIN_DATA_DIR)", "--ask-timeout <duration>", "(default 5s; env FLIN_ASK_TIMEOUT or FLIN_HTTP_ASK_TIMEOUT)",
                "--handler-mode <per-request|pool>", "--data-dir <text>", "--jdbc-url", "--jdbc-password <text>",
                "--config <file>", "--help", "--version", "FLIN_PORT", "-Dflin.port")) {
            assertTrue(help.contains(expected), expected + " in\n" + help);
        }
        assertFalse(Version.of(SettingsTest.class).isBlank());
        assertFalse(Version.of(SettingsTest.class).contains("${"), Version.of(SettingsTest.class));
    }

    @Test
    void shouldPrintEveryEffectiveSettingUnderItsFlagAsTyped() {
        final Configuration c = SETTINGS.parse(new String[] {"--ask-timeout", "10s", "--jdbc-password=secret"},
                Map.of("FLIN_HTTP_HANDLER_MODE", "POOL"), Map.of("flin.max-frame", "16k"));
        final List<String> lines = c.lines();
        assertEquals(RuntimeSettings.group().settings().size() + 9, lines.size(), c.printout());
        assertTrue(lines.contains("--ask-timeout=10s (flag --ask-timeout)"), c.printout());
        assertTrue(lines.contains("--port=8080 (default)"), c.printout());
        assertTrue(lines.contains("--handler-mode=POOL (env FLIN_HTTP_HANDLER_MODE)"), c.printout());
        assertTrue(lines.contains("--max-frame=16k (property flin.max-frame)"), c.printout());
        assertTrue(lines.contains("--jdbc-password=**** (flag --jdbc-password)"), c.printout());
        assertTrue(lines.contains("--idle-strategy=backoff (default)"), c.printout());
        assertFalse(c.printout().contains("secret"), c.printout());
        assertFalse(c.printout().contains("PT"), c.printout());
        assertEquals("--ask-timeout=5s (default)", parse().lines().stream().filter(l -> l.startsWith("--ask")).findFirst()
                .orElseThrow());
    }

    @Test
    void shouldMakeRuntimeOptionsFromTheRuntimeGroup() {
        final Configuration c = parse("--mailbox-capacity", "1024", "--batch-size=8", "--workers", "2",
                "--idle-strategy", "busy-spin", "--agent-mdc", "true");
        final RuntimeOptions options = RuntimeSettings.options(c);
        assertEquals(1024, options.defaultMailboxCapacity());
        assertEquals(8, options.batchSize());
        assertTrue(options.agentMdc(), "--agent-mdc true switches the MDC on");
        assertFalse(RuntimeSettings.options(parse()).agentMdc(), "the MDC is off by default");
        assertEquals(RuntimeSettings.Idle.BUSY_SPIN, c.get(RuntimeSettings.IDLE_STRATEGY));
        assertEquals("flag --workers: must be in [1, 1024], was '0'",
                error(new String[] {"--workers=0"}, Map.of(), Map.of()));
    }

    @Test
    void shouldWriteDurationsAndSizesTheShortestExactWay() {
        assertEquals("250ms", SettingType.formatDuration(Duration.ofMillis(250)));
        assertEquals("10s", SettingType.formatDuration(Duration.ofSeconds(10)));
        assertEquals("2m", SettingType.formatDuration(Duration.ofMinutes(2)));
        assertEquals("1h", SettingType.formatDuration(Duration.ofHours(1)));
        assertEquals("1500ms", SettingType.formatDuration(Duration.ofMillis(1500)));
        assertEquals(Duration.ofMillis(1500), SettingType.parseDuration("PT1.5S"));
        assertEquals("64k", SettingType.size().format(65536));
        assertEquals(16 << 20, SettingType.size().parse("16m"));
    }
}
