package dev.flin.todo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A fresh PostgreSQL database for one multi-node test, on the test server of
 * {@link TodoStorePostgresTest#postgres()} (skipped without one): owned by a role of its own that
 * the nodes log in as, so that a test can refuse the nodes new connections
 * ({@link #refuseNewConnections}) while the test's own superuser session goes on. {@link #close}
 * drops both.
 *
 * <p>Threading: one test thread.
 */
final class SharedDatabase implements AutoCloseable {

    static final String NODE_PASSWORD = "node-password";

    private final JdbcSettings admin;
    private final String name;
    private final String role;
    private final JdbcSettings nodes;

    private SharedDatabase(final JdbcSettings admin, final String name, final String role, final JdbcSettings nodes) {
        this.admin = admin;
        this.name = name;
        this.role = role;
        this.nodes = nodes;
    }

    /** Creates the role and the database it owns. */
    static SharedDatabase create() throws SQLException {
        final JdbcSettings admin = TodoStorePostgresTest.postgres();
        final String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        final String name = "flin_nodes_" + suffix;
        final String role = "flin_node_" + suffix;
        try (Connection c = admin.open(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + NODE_PASSWORD + "'");
            s.execute("CREATE DATABASE " + name + " OWNER " + role);
        }
        final String url = admin.url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
        return new SharedDatabase(admin, name, role, new JdbcSettings(url, role, NODE_PASSWORD));
    }

    /** @return what the nodes connect with */
    JdbcSettings nodes() {
        return nodes;
    }

    /** @return the flags of a node on this database */
    List<String> nodeArgs(final String node) {
        return new ArrayList<>(List.of("--port", "0", "--jdbc-url", nodes.url(), "--jdbc-user", nodes.user(),
                "--jdbc-password", nodes.password(), "--node-name", node, "--bridge", "postgres", "--reminder-work", "0",
                "--store-open-timeout", "60s"));
    }

    /** @return a superuser connection to this database */
    Connection open() throws SQLException {
        return new JdbcSettings(nodes.url(), admin.user(), admin.password()).open();
    }

    /** From now on the nodes' role cannot log in; sessions already open go on. */
    void refuseNewConnections() throws SQLException {
        try (Connection c = admin.open(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " NOLOGIN");
        }
    }

    /** The nodes' role can log in again. */
    void allowNewConnections() throws SQLException {
        try (Connection c = admin.open(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " LOGIN");
        }
    }

    /** @return how many backends with that application name were terminated */
    int terminateBackends(final String applicationName) throws SQLException {
        try (Connection c = admin.open(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
                        + "' AND application_name = '" + applicationName.replace("'", "''") + "'")) {
            int terminated = 0;
            while (rows.next()) {
                terminated += rows.getBoolean(1) ? 1 : 0;
            }
            return terminated;
        }
    }

    /** A logged change: what every node's clients must see, in this order. */
    record Logged(long seq, long id, String change, long version, String node) {
    }

    /** @return the change log, in sequence order */
    List<Logged> changeLog() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT seq, todo_id, change, version, node FROM todo_change ORDER BY seq")) {
            final List<Logged> log = new ArrayList<>();
            while (rows.next()) {
                log.add(new Logged(rows.getLong(1), rows.getLong(2), rows.getString(3), rows.getLong(4), rows.getString(5)));
            }
            return log;
        }
    }

    /** A stored todo, as a client's view should end. */
    record Row(long id, String title, boolean completed, long version) {
    }

    /** @return every todo, by id */
    List<Row> todos() throws SQLException {
        try (Connection c = open(); Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("SELECT id, title, completed, version FROM todo ORDER BY id")) {
            final List<Row> todos = new ArrayList<>();
            while (rows.next()) {
                todos.add(new Row(rows.getLong(1), rows.getString(2), rows.getBoolean(3), rows.getLong(4)));
            }
            return todos;
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = admin.open(); Statement s = c.createStatement()) {
            s.execute("ALTER ROLE " + role + " LOGIN");
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("DROP ROLE IF EXISTS " + role);
        }
    }

    @Override
    public String toString() {
        return "SharedDatabase[" + name.toLowerCase(Locale.ROOT) + " as " + role + "]";
    }
}
