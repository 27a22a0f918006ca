package dev.flin.todo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

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
}
