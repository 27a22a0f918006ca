package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's own flags: taken out of the command line, over the environment, the rest left for the HTTP server. */
class TodoOptionsTest {

    @Test
    void defaultsAreAnH2FileUnderDataWithUserSa() {
        final TodoOptions.Parsed parsed = TodoOptions.parse(new String[0], Map.of());
        assertEquals(TodoOptions.defaults(), parsed.options());
        assertEquals(List.of(), parsed.httpArgs());
        final JdbcSettings jdbc = parsed.options().jdbc();
        assertEquals("jdbc:h2:file:" + Path.of("data").toAbsolutePath().normalize().resolve("todos"), jdbc.url());
        assertEquals("sa", jdbc.user());
        assertTrue(parsed.options().usesDefaultDatabase());
    }

    @Test
    void takesItsFlagsInBothFormsAndLeavesTheRestInOrder() {
        final TodoOptions.Parsed parsed = TodoOptions.parse(new String[] {
            "--port", "0", "--data-dir", "/tmp/x", "--host=0.0.0.0", "--reminder-work=7", "--store-open-timeout", "250ms"},
                Map.of());
        assertEquals(List.of("--port", "0", "--host=0.0.0.0"), parsed.httpArgs());
        assertEquals(Path.of("/tmp/x"), parsed.options().dataDirPath());
        assertEquals(7, parsed.options().reminderWorkRounds());
        assertEquals(Duration.ofMillis(250), parsed.options().storeOpenTimeout());
        assertEquals("jdbc:h2:file:/tmp/x/todos", parsed.options().jdbc().url());
    }

    @Test
    void flagsWinOverTheEnvironmentWhichWinsOverDefaults() {
        final Map<String, String> env = Map.of("FLIN_TODO_JDBC_URL", "jdbc:postgresql://db/todo",
                "FLIN_TODO_JDBC_USER", "todo", "FLIN_TODO_JDBC_PASSWORD", "secret", "FLIN_TODO_STORE_MAILBOX", "9");
        final TodoOptions fromEnv = TodoOptions.parse(new String[0], env).options();
        assertFalse(fromEnv.usesDefaultDatabase());
        assertEquals(new JdbcSettings("jdbc:postgresql://db/todo", "todo", "secret"), fromEnv.jdbc());
        assertEquals(9, fromEnv.storeMailboxCapacity());
        assertFalse(fromEnv.toString().contains("secret"), "the password is never printed: " + fromEnv);

        final TodoOptions flags = TodoOptions.parse(new String[] {"--jdbc-url", "jdbc:h2:mem:x", "--store-mailbox=3"}, env)
                .options();
        assertEquals("jdbc:h2:mem:x", flags.jdbc().url());
        assertEquals(3, flags.storeMailboxCapacity());
    }

    @Test
    void badValuesNameTheFlagOrVariable() {
        assertEquals("--data-dir needs a value",
                assertThrows(IllegalArgumentException.class, () -> TodoOptions.parse(new String[] {"--data-dir"}, Map.of()))
                        .getMessage());
        assertEquals("--store-mailbox must be an integer, was 'many'",
                assertThrows(IllegalArgumentException.class,
                        () -> TodoOptions.parse(new String[] {"--store-mailbox=many"}, Map.of())).getMessage());
        assertEquals("FLIN_TODO_REMINDER_QUEUE must be an integer, was 'x'",
                assertThrows(IllegalArgumentException.class,
                        () -> TodoOptions.parse(new String[0], Map.of("FLIN_TODO_REMINDER_QUEUE", "x"))).getMessage());
        assertEquals("store-mailbox must be in [1, 1048576], was 0",
                assertThrows(IllegalArgumentException.class,
                        () -> TodoOptions.parse(new String[] {"--store-mailbox", "0"}, Map.of())).getMessage());
        assertEquals("jdbc-url must start with 'jdbc:', was 'postgres://db'",
                assertThrows(IllegalArgumentException.class,
                        () -> TodoOptions.parse(new String[] {"--jdbc-url", "postgres://db"}, Map.of())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> TodoOptions.parse(new String[] {"--store-open-timeout=soon"}, Map.of())).getMessage()
                .startsWith("--store-open-timeout must be a duration"));
    }
}
