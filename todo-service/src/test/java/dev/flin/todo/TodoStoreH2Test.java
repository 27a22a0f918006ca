package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on the demo's default database: an H2 file under the data directory. */
class TodoStoreH2Test extends TodoStoreContractTest {

    @TempDir
    Path dataDir;

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

    @Test
    void theDatabaseIsAFileInTheDataDirectory() throws Exception {
        database().open().close();
        assertTrue(Files.exists(dataDir.resolve("todos.mv.db")), "the H2 file lives in the data directory");
    }
}
