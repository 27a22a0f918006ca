package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.ExpiredAsks;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on the demo's default database: an H2 file under the data directory. */
class TodoStoreH2Test extends TodoStoreContractTest {

    @TempDir
    Path dataDir;

    @TempDir
    Path crashImage;

    @Override
    JdbcSettings database() {
        return JdbcSettings.h2File(dataDir);
    }

    /** Shuts the database down under the store: its connection is dead, the file stays. */
    @Override
    void killTheStoresConnection() throws Exception {
        try (Connection other = DriverManager.getConnection(JdbcSettings.h2File(dataDir).url(), "sa", "");
                Statement statement = other.createStatement()) {
            statement.execute("SHUTDOWN");
        }
    }

    @Override
    JdbcSettings makeReadOnly() {
        final JdbcSettings file = JdbcSettings.h2File(dataDir);
        return new JdbcSettings(file.url() + ";ACCESS_MODE_DATA=r", file.user(), file.password());
    }

    @Override
    void makeWritableAgain() {
        // nothing to undo: only the connections opened with makeReadOnly's URL are read-only
    }

    @Override
    void makeWritesFailAsIfTheDiskWereFull(final Connection other) throws Exception {
        try (Statement statement = other.createStatement()) {
            statement.execute("CREATE TRIGGER fail_writes BEFORE INSERT, UPDATE, DELETE ON todo FOR EACH ROW CALL \""
                    + DiskFullTrigger.class.getName() + "\"");
        }
    }

    @Override
    void letWritesSucceedAgain(final Connection other) throws Exception {
        try (Statement statement = other.createStatement()) {
            statement.execute("DROP TRIGGER fail_writes");
        }
    }

    @Test
    void theDatabaseIsAFileInTheDataDirectory() throws Exception {
        database().open().close();
        assertTrue(Files.exists(dataDir.resolve("todos.mv.db")), "the H2 file lives in the data directory");
    }

    /**
     * Acknowledged means written: the moment the store answers, the change is in the database file.
     * A copy of the file taken then, with the store still holding it open, is what a process killed
     * at that moment (kill -9) leaves behind; opened, it has every acknowledged change, and its
     * identity column goes on after the highest id ever handed out, even one whose todo was deleted.
     * (With H2's default write delay, the copy missed the last half second of commits.)
     */
    @Test
    void everyAcknowledgedChangeIsInTheFileWhenItIsAnsweredAndNoIdIsHandedOutTwice() throws Exception {
        final Todo first = todo(r -> new TodoCommand.Create("first", r));
        final long secondId = todo(r -> new TodoCommand.Create("second", r)).id();
        final Todo second = todo(r -> new TodoCommand.Update(secondId, null, true, r));
        final Todo third = todo(r -> new TodoCommand.Create("third", r));
        todo(r -> new TodoCommand.Delete(third.id(), r));

        Files.copy(dataDir.resolve("todos.mv.db"), crashImage.resolve("todos.mv.db"));

        final AgentRuntime afterTheCrash = FlinRuntime.create();
        try {
            final AgentRef<TodoCommand> store = TodoStore.spawn(afterTheCrash, JdbcSettings.h2File(crashImage), Clock.systemUTC(), 8,
                    TodoStore.defaultRestartPolicy(), ExpiredAsks.create());
            final TodoPage kept = store.<TodoPage>ask(r -> new TodoCommand.List(0, 10, r), WAIT).toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(first, second), kept.todos(), "every acknowledged change, and only those");
            final Todo next = store.<Todo>ask(r -> new TodoCommand.Create("after the crash", r), WAIT).toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(next.id() > third.id(), "id " + next.id() + " was handed out before (to the deleted todo " + third.id() + ")");
        } finally {
            afterTheCrash.shutdown(Duration.ofSeconds(10));
        }
    }

    /** Whatever the URL asks for, the store's connection writes each commit at once. */
    @Test
    void theStoreTurnsH2sWriteDelayOffWhateverTheUrlSays() throws Exception {
        final JdbcSettings file = JdbcSettings.h2File(crashImage);
        final JdbcSettings delayed = new JdbcSettings(file.url() + ";WRITE_DELAY=500", file.user(), file.password());
        final AgentRuntime other = FlinRuntime.create();
        try {
            final AgentRef<TodoCommand> store = TodoStore.spawn(other, delayed, Clock.systemUTC(), 8, TodoStore.defaultRestartPolicy(),
                    ExpiredAsks.create());
            store.ask(TodoCommand.Ping::new, WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            try (Connection c = file.open(); Statement s = c.createStatement();
                    ResultSet delay = s.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")) {
                assertTrue(delay.next(), "H2 reports its WRITE_DELAY");
                assertEquals("0", delay.getString(1));
            }
        } finally {
            other.shutdown(Duration.ofSeconds(10));
        }
    }
}
