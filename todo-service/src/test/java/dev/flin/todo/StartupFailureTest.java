package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up fails fast and says why: a taken port before the database is touched, and database
 * errors that no retry cures at once, each as one line naming the flag to change; a process exits
 * non-zero. "At once" is asserted by what the failure does not contain (no ask timeout, no
 * retries), never by a stopwatch.
 */
class StartupFailureTest {

    @TempDir
    Path dataDir;

    private static ServerSocket takePort() throws Exception {
        final ServerSocket taken = new ServerSocket();
        taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return taken;
    }

    private static void assertOneLineWithoutRetries(final String message) {
        assertFalse(message.contains("\n"), message);
        for (final String retried : List.of("AskTimeout", "within", "restart", "attempts")) {
            assertFalse(message.contains(retried), "no retries behind a failure no retry cures: " + message);
        }
    }

    @Test
    void aTakenPortEndsTheProcessWithOneLineNamingThePortAndTheFlagBeforeTheDatabaseIsOpened() throws Exception {
        try (ServerSocket taken = takePort()) {
            final Path data = dataDir.resolve("data");
            final ServiceProcess service = ServiceProcess.launch(List.of(),
                    List.of("--port", String.valueOf(taken.getLocalPort()), "--data-dir", data.toString()));
            try {
                assertEquals(Optional.empty(), service.awaitPort(), service.describeExit());
                assertEquals(1, service.process().exitValue(), service.describeExit());
                assertEquals(List.of("todo-service: could not start: port " + taken.getLocalPort()
                        + " on 127.0.0.1 is already in use: stop what holds it or choose another with --port"),
                        service.stderr().stream().filter(l -> l.startsWith("todo-service:")).toList(), service.describeExit());
                assertFalse(String.join("\n", service.stderr()).contains("bind(..)"), service.describeExit());
                assertFalse(Files.exists(data), "the database was not touched: " + service.describeExit());
            } finally {
                service.close();
            }
        }
    }

    @Test
    void aTakenPortFailsAnInProcessStartWithTheSameLine() throws Exception {
        try (ServerSocket taken = takePort()) {
            final StartupFailure e = assertThrows(StartupFailure.class, () -> TodoService.start(
                    HttpServerConfig.builder().port(taken.getLocalPort()).build(), TodoOptions.defaults().withDataDir(dataDir)));
            assertEquals("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use: stop what holds it or choose"
                    + " another with --port", e.getMessage());
        }
    }

    @Test
    void anH2FileLockedByAnotherProcessEndsStartUpAtOnceNamingDataDir() throws Exception {
        final JdbcSettings h2 = JdbcSettings.h2File(dataDir);
        try (Connection holder = DriverManager.getConnection(h2.url(), h2.user(), h2.password())) {
            final ServiceProcess service = ServiceProcess.launch(List.of(),
                    List.of("--port", "0", "--data-dir", dataDir.toString()));
            try {
                assertEquals(Optional.empty(), service.awaitPort(), service.describeExit());
                assertEquals(1, service.process().exitValue(), service.describeExit());
                final List<String> lines = service.stderr().stream().filter(l -> l.startsWith("todo-service:")).toList();
                assertEquals(1, lines.size(), service.describeExit());
                final String line = lines.get(0);
                assertTrue(line.startsWith("todo-service: could not start: the database " + h2.url()
                        + " is in use by another process"), line);
                assertTrue(line.endsWith(": stop it or choose another --data-dir"), line);
                assertOneLineWithoutRetries(line);
                assertFalse(String.join("\n", service.stderr()).contains("todo store could not open"),
                        "the store never tried: " + service.describeExit());
            } finally {
                service.close();
            }
        }
    }

    @Test
    void aUrlNoDriverAcceptsNamesJdbcUrl() {
        final StartupFailure e = assertThrows(StartupFailure.class, () -> TodoService.start(
                HttpServerConfig.builder().port(0).build(), TodoOptions.defaults().withJdbc("jdbc:nosuchdb://db/todos", "", "")));
        assertEquals("no JDBC driver accepts the URL 'jdbc:nosuchdb://db/todos' (this build has H2 and PostgreSQL):"
                + " fix --jdbc-url", e.getMessage());
    }

    @Test
    void aMalformedH2UrlNamesJdbcUrl() {
        final String url = "jdbc:h2:file:" + dataDir.resolve("todos") + ";NO_SUCH_SETTING=1";
        final StartupFailure e = assertThrows(StartupFailure.class, () -> TodoService.start(
                HttpServerConfig.builder().port(0).build(), TodoOptions.defaults().withJdbc(url, "sa", "")));
        assertTrue(e.getMessage().startsWith("the JDBC URL '" + url + "' does not name a database this build can open"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(": fix --jdbc-url"), e.getMessage());
        assertOneLineWithoutRetries(e.getMessage());
    }

    @Test
    void wrongCredentialsNameJdbcUserAndPassword() throws Exception {
        final JdbcSettings h2 = JdbcSettings.h2File(dataDir);
        try (Connection created = DriverManager.getConnection(h2.url(), "sa", "right")) {
            assertTrue(created.isValid(1));
        }
        final StartupFailure e = assertThrows(StartupFailure.class, () -> TodoService.start(
                HttpServerConfig.builder().port(0).build(), TodoOptions.defaults().withJdbc(h2.url(), "sa", "wrong")));
        assertTrue(e.getMessage().startsWith("the database " + h2.url() + " refused the user 'sa'"), e.getMessage());
        assertTrue(e.getMessage().endsWith(": fix --jdbc-user or --jdbc-password"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong"), "the password is not shown: " + e.getMessage());
        assertOneLineWithoutRetries(e.getMessage());
    }

    @Test
    void theLongLivedAgentsHaveNames() {
        try (TodoService service = TodoService.start(HttpServerConfig.builder().port(0).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderWorkRounds(0))) {
            assertEquals(Optional.of(service.store().id()), service.runtime().lookup("todo-store"));
            assertEquals(Optional.of(service.reminders().id()), service.runtime().lookup("todo-reminders"));
        }
    }

    @Test
    void versionAndHelpPrintAndExitWithZero() throws Exception {
        final ServiceProcess version = ServiceProcess.launch(List.of(), List.of("--version"));
        try {
            assertEquals(Optional.empty(), version.awaitPort(), version.describeExit());
            assertEquals(0, version.process().exitValue(), version.describeExit());
            assertEquals(1, version.stdout().size(), version.describeExit());
            assertTrue(version.stdout().get(0).matches("todo-service \\d+\\.\\d+\\.\\d+.*"), version.describeExit());
        } finally {
            version.close();
        }
        final ServiceProcess help = ServiceProcess.launch(List.of(), List.of("--data-dirr", "x", "--help"));
        try {
            assertEquals(Optional.empty(), help.awaitPort(), help.describeExit());
            assertEquals(0, help.process().exitValue(), help.describeExit());
            final String text = String.join("\n", help.stdout());
            for (final String flag : List.of("--workers", "--port", "--data-dir", "--jdbc-url", "--config", "--version")) {
                assertTrue(text.contains(flag), flag + " in " + text);
            }
        } finally {
            help.close();
        }
        final ServiceProcess typo = ServiceProcess.launch(List.of(), List.of("--data-dirr", "x"));
        try {
            assertEquals(Optional.empty(), typo.awaitPort(), typo.describeExit());
            assertEquals(2, typo.process().exitValue(), typo.describeExit());
            assertEquals(List.of("todo-service: unknown flag --data-dirr; did you mean --data-dir?; --help lists every flag"),
                    typo.stderr(), typo.describeExit());
        } finally {
            typo.close();
        }
    }
}
