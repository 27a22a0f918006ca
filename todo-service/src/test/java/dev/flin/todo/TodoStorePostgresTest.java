package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The store on PostgreSQL, the demo's {@code --jdbc-url} option: a real server, given by
 * {@code FLIN_TEST_PG_URL} (and {@code FLIN_TEST_PG_USER}, {@code FLIN_TEST_PG_PASSWORD}).
 * {@code .ci/run} starts one on loopback and sets them; without them these tests are skipped,
 * and say so.
 */
class TodoStorePostgresTest extends TodoStoreContractTest {

    /** @return the test server's settings, or a skipped test when none is configured */
    static JdbcSettings postgres() {
        final String url = System.getenv("FLIN_TEST_PG_URL");
        Assumptions.assumeTrue(url != null && !url.isBlank(),
                "no PostgreSQL server for tests: set FLIN_TEST_PG_URL (.ci/run starts one and sets it)");
        return new JdbcSettings(url, System.getenv().getOrDefault("FLIN_TEST_PG_USER", ""),
                System.getenv().getOrDefault("FLIN_TEST_PG_PASSWORD", ""));
    }

    /** Drops the table, so that each test starts from an empty database, as on H2. */
    static JdbcSettings emptyPostgres() throws Exception {
        final JdbcSettings pg = postgres();
        try (Connection c = pg.open(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS todo");
        }
        return pg;
    }

    @Override
    JdbcSettings database() throws Exception {
        return emptyPostgres();
    }

    /** Sets the database's default to read-only transactions: connections opened from now on cannot write. */
    @Override
    JdbcSettings makeReadOnly() throws Exception {
        final JdbcSettings pg = postgres();
        try (Connection c = pg.open(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + currentDatabase(c) + " SET default_transaction_read_only = on");
        }
        return pg;
    }

    @Override
    void makeWritableAgain() throws Exception {
        try (Connection c = postgres().open(); Statement s = c.createStatement()) {
            s.execute("SET default_transaction_read_only = off");   // this session was opened read-only
            s.execute("ALTER DATABASE " + currentDatabase(c) + " RESET default_transaction_read_only");
        }
    }

    private static String currentDatabase(final Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet name = s.executeQuery("SELECT current_database()")) {
            name.next();
            return "\"" + name.getString(1).replace("\"", "\"\"") + "\"";
        }
    }

    @Override
    void makeWritesFailAsIfTheDiskWereFull(final Connection other) throws Exception {
        try (Statement s = other.createStatement()) {
            s.execute("CREATE OR REPLACE FUNCTION flin_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                    + " RAISE EXCEPTION 'No space left on device (simulated by the test''s trigger)' USING ERRCODE = '53100';"
                    + " END $$");
            s.execute("CREATE TRIGGER fail_writes BEFORE INSERT OR UPDATE OR DELETE ON todo"
                    + " FOR EACH ROW EXECUTE FUNCTION flin_test_disk_full()");
        }
    }

    @Override
    void letWritesSucceedAgain(final Connection other) throws Exception {
        try (Statement s = other.createStatement()) {
            s.execute("DROP TRIGGER fail_writes ON todo");
        }
    }

    /** Terminates the store's backend, as a server restart would: the store's connection is dead. */
    @Override
    void killTheStoresConnection() throws Exception {
        try (Connection c = postgres().open(); Statement s = c.createStatement();
                ResultSet killed = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            killed.next();
            if (killed.getLong(1) < 1) {
                throw new AssertionError("no connection of the store's was found to terminate");
            }
        }
    }

    /**
     * A commit answers only once its WAL record is flushed, even on a database whose default says
     * otherwise: the store's dialect sets {@code synchronous_commit} on for its session.
     */
    @Test
    void theStoresSessionCommitsSynchronouslyWhateverTheDatabaseDefaultIs() throws Exception {
        final JdbcSettings pg = postgres();
        try (Connection admin = pg.open(); Statement s = admin.createStatement()) {
            s.execute("ALTER DATABASE " + currentDatabase(admin) + " SET synchronous_commit = off");
        }
        try (Connection c = pg.open()) {
            c.setAutoCommit(false);
            assertEquals("off", synchronousCommit(c), "the database's default, for a new session");
            DatabaseDialect.of(c).makeCommitsDurable(c);
            assertEquals("on", synchronousCommit(c));
        } finally {
            try (Connection admin = pg.open(); Statement s = admin.createStatement()) {
                s.execute("ALTER DATABASE " + currentDatabase(admin) + " RESET synchronous_commit");
            }
        }
    }

    private static String synchronousCommit(final Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SHOW synchronous_commit")) {
            row.next();
            return row.getString(1);
        }
    }
}
