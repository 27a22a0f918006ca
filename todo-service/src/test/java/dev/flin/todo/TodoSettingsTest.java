package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.core.HttpSettings;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.RuntimeSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's registry: its own flags next to the runtime's and the server's, one help text, one printout. */
class TodoSettingsTest {

    private static Configuration parse(final String[] args, final Map<String, String> env) {
        return TodoSettings.registry().parse(args, env, Map.of());
    }

    private static String error(final String... args) {
        return assertThrows(IllegalArgumentException.class, () -> {
            final Configuration c = parse(args, Map.of());
            TodoSettings.options(c);
        }).getMessage();
    }

    @Test
    void defaultsAreAnH2FileUnderDataWithUserSa() {
        final TodoOptions options = TodoSettings.options(parse(new String[0], Map.of()));
        assertEquals(TodoOptions.defaults(), options);
        final JdbcSettings jdbc = options.jdbc();
        assertEquals("jdbc:h2:file:" + Path.of("data").toAbsolutePath().normalize().resolve("todos"), jdbc.url());
        assertEquals("sa", jdbc.user());
    }

    @Test
    void readsEveryGroupFromOneCommandLine() {
        final Configuration c = parse(new String[] {
            "--port", "0", "--data-dir", "/tmp/x", "--host=0.0.0.0", "--reminder-work=7", "--store-open-timeout", "250ms",
            "--workers", "2"}, Map.of());
        final TodoOptions options = TodoSettings.options(c);
        final HttpServerConfig http = HttpSettings.config(c);
        assertEquals(0, http.port());
        assertEquals("0.0.0.0", http.host());
        assertEquals(Path.of("/tmp/x"), options.dataDirPath());
        assertEquals(7, options.reminderWorkRounds());
        assertEquals(Duration.ofMillis(250), options.storeOpenTimeout());
        assertEquals("jdbc:h2:file:/tmp/x/todos", options.jdbc().url());
    }

    @Test
    void flagsWinOverTheEnvironmentOldAndNewNames() {
        final Map<String, String> env = Map.of("FLIN_TODO_JDBC_URL", "jdbc:postgresql://db/todo",
                "FLIN_JDBC_USER", "todo", "FLIN_TODO_JDBC_PASSWORD", "secret", "FLIN_TODO_STORE_MAILBOX", "9");
        final TodoOptions fromEnv = TodoSettings.options(parse(new String[0], env));
        assertEquals(new JdbcSettings("jdbc:postgresql://db/todo", "todo", "secret"), fromEnv.jdbc());
        assertEquals(9, fromEnv.storeMailboxCapacity());
        assertFalse(fromEnv.toString().contains("secret"), "the password is never printed: " + fromEnv);

        final TodoOptions flags = TodoSettings.options(parse(new String[] {"--jdbc-url", "jdbc:h2:mem:x", "--store-mailbox=3"},
                env));
        assertEquals("jdbc:h2:mem:x", flags.jdbc().url());
        assertEquals(3, flags.storeMailboxCapacity());
    }

    @Test
    void badValuesNameTheFlagAndTheSource() {
        assertEquals("flag --data-dir needs a value", error("--data-dir"));
        assertEquals("flag --store-mailbox: 'many' is not an integer", error("--store-mailbox=many"));
        assertEquals("env FLIN_TODO_REMINDER_QUEUE (--reminder-queue): 'x' is not an integer",
                assertThrows(IllegalArgumentException.class,
                        () -> parse(new String[0], Map.of("FLIN_TODO_REMINDER_QUEUE", "x"))).getMessage());
        assertEquals("flag --store-mailbox: must be in [1, 1048576], was '0'", error("--store-mailbox", "0"));
        assertEquals("flag --jdbc-url: must start with 'jdbc:', was 'postgres://db'", error("--jdbc-url", "postgres://db"));
        assertTrue(error("--store-open-timeout=soon").startsWith("flag --store-open-timeout: 'soon' is not a duration"));
    }

    @Test
    void unknownFlagsGetTheClosestFlagsOfEveryGroup() {
        assertEquals("unknown flag --data-dirr; did you mean --data-dir?; --help lists every flag", error("--data-dirr", "x"));
        assertEquals("unknown flag --jdbc-usr; did you mean --jdbc-user?; --help lists every flag",
                error("--jdbc-usr", "x"));
        assertEquals("unknown flag --jdbc; did you mean --jdbc-url, --jdbc-user, --jdbc-password?; --help lists every flag",
                error("--jdbc", "x"));
        assertEquals("unknown flag --prot; did you mean --port?; --help lists every flag", error("--prot", "1"));
    }

    @Test
    void theBridgeNeedsPostgresqlAndNodeNamesAreShortAndPlain() {
        assertEquals("--bridge postgres needs a PostgreSQL database (--jdbc-url jdbc:postgresql://...), the database is the"
                + " default H2 file", error("--bridge", "postgres"));
        assertEquals("--bridge postgres needs a PostgreSQL database (--jdbc-url jdbc:postgresql://...), the database is"
                + " 'jdbc:h2:mem:x'", error("--bridge", "postgres", "--jdbc-url", "jdbc:h2:mem:x"));
        assertTrue(error("--bridge", "on").contains("'on' is not one of off, postgres"), error("--bridge", "on"));
        assertTrue(error("--node-name", "a b").contains("may hold only letters, digits, '.', '_' and '-'"),
                error("--node-name", "a b"));
        assertTrue(error("--node-name", "x".repeat(65)).contains("at most 64 characters, was 65"),
                error("--node-name", "x".repeat(65)));
        assertTrue(error("--change-log-keep", "0").contains("--change-log-keep"), error("--change-log-keep", "0"));
        assertTrue(error("--change-log-keep", "99999999999999999999").contains("--change-log-keep"),
                error("--change-log-keep", "99999999999999999999"));

        final TodoOptions node = TodoSettings.options(parse(new String[] {"--bridge", "postgres", "--node-name", "node-a.1",
            "--jdbc-url", "jdbc:postgresql://db/todo", "--change-log-keep", "500"}, Map.of()));
        assertTrue(node.bridge());
        assertEquals("node-a.1", node.node());
        assertEquals(500L, node.changeLogKeep());
        final TodoOptions single = TodoSettings.options(parse(new String[0], Map.of()));
        assertFalse(single.bridge(), "one node, no bridge, by default");
        assertTrue(single.node().endsWith("-" + ProcessHandle.current().pid()), single.node());
    }

    @Test
    void helpListsEveryGroupAndThePrintoutEverySetting() {
        final String help = TodoSettings.registry().help();
        for (final String expected : List.of("Runtime:", "HTTP server:", "Todo service:", "--data-dir", "--jdbc-url",
                "--jdbc-user", "--jdbc-password", "--store-open-timeout <duration>", "(default 10s; env FLIN_STORE_OPEN_TIMEOUT or FLIN_TODO_STORE_OPEN_TIMEOUT)", "--port", "--workers",
                "--version", "--config <file>")) {
            assertTrue(help.contains(expected), expected + " in\n" + help);
        }
        final Configuration c = parse(new String[] {"--jdbc-password", "hunter2", "--ask-timeout=2s"}, Map.of());
        final List<String> lines = c.lines();
        assertEquals(RuntimeSettings.group().settings().size() + HttpServerConfig.class.getRecordComponents().length + 11,
                lines.size(), c.printout());
        assertTrue(lines.contains("--store-open-timeout=10s (default)"), c.printout());
        assertTrue(lines.contains("--ask-timeout=2s (flag --ask-timeout)"), c.printout());
        assertTrue(lines.contains("--data-dir=data (default)"), c.printout());
        assertTrue(lines.contains("--jdbc-password=**** (flag --jdbc-password)"), c.printout());
        assertFalse(c.printout().contains("hunter2"), c.printout());
        assertFalse(c.printout().contains("PT"), c.printout());
    }
}
