package dev.flin.todo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Objects;

/**
 * What the {@link TodoStore} does differently per database: making every commit durable before
 * it is acknowledged, and finding out whether the database is read-only.
 *
 * <p><b>Durability</b> is set by the store on every connection it opens, whatever the JDBC URL
 * says:
 * <ul>
 *   <li>H2: {@code SET WRITE_DELAY 0}. With H2's default delay (500 ms) a commit returns while its
 *       changes are still only in memory; a process killed in that window loses commits that were
 *       acknowledged. With 0, {@code MVStore.commit()} runs inside the transaction's commit and
 *       writes the chunk to the file before {@code commit()} returns (H2 2.3.232
 *       {@code TransactionStore.endTransaction}). That survives the process dying, but the write is
 *       not forced to the device: H2 calls {@code FileChannel.force} only on close, when compacting,
 *       and for {@code CHECKPOINT SYNC} ({@code Database.sync} → {@code Store.sync} →
 *       {@code MVStore.sync}). So after each commit that changed data the store also runs
 *       {@code CHECKPOINT SYNC} ({@link #afterWriteCommit}), and only then answers. Both commands
 *       need an admin user of the H2 database; the default user {@code sa} is one.
 *   <li>PostgreSQL: {@code SET synchronous_commit TO on} for the session, so that a commit returns
 *       only after its WAL record is flushed, even where the server or the database defaults to
 *       {@code off}. (Whether the server really syncs, its {@code fsync} setting, is the server
 *       operator's.)
 *   <li>Any other database: its defaults, with a warning in the log.
 * </ul>
 *
 * <p>Threading: immutable; used on the store's thread with the store's connection.
 */
final class DatabaseDialect {

    /** The databases the store knows. */
    enum Engine {
        H2,
        POSTGRESQL,
        OTHER
    }

    private final Engine engine;
    private final String productName;

    private DatabaseDialect(final Engine engine, final String productName) {
        this.engine = engine;
        this.productName = productName;
    }

    /** @return the dialect of the database behind {@code connection} (by its product name) */
    static DatabaseDialect of(final Connection connection) throws SQLException {
        final String product = connection.getMetaData().getDatabaseProductName();
        final String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return new DatabaseDialect(Engine.H2, product);
        }
        if (name.equals("postgresql")) {
            return new DatabaseDialect(Engine.POSTGRESQL, product);
        }
        return new DatabaseDialect(Engine.OTHER, product == null ? "(unknown)" : product);
    }

    /** @return the database */
    Engine engine() {
        return engine;
    }

    /** @return the database's product name, as its driver reports it */
    String productName() {
        return productName;
    }

    /**
     * Makes every later commit on {@code connection} durable before it returns (see the class
     * documentation); commits the connection's open transaction.
     *
     * @throws SQLException if the database refuses, with a message saying what the store needs
     */
    void makeCommitsDurable(final Connection connection) throws SQLException {
        Objects.requireNonNull(connection, "connection");
        final String command = switch (engine) {
            case H2 -> "SET WRITE_DELAY 0";
            case POSTGRESQL -> "SET synchronous_commit TO on";
            case OTHER -> null;
        };
        if (command == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute(command);
            connection.commit();
        } catch (final SQLException e) {
            throw new SQLException("the todo store acknowledges a write only once it is durable, and needs '" + command
                    + "' for that, which " + productName + " refused"
                    + (engine == Engine.H2 ? " (it needs an admin user of the H2 database, such as sa)" : "") + ": "
                    + SqlFailures.shortMessage(e), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /**
     * Forces what the last commit wrote to the device, where the database needs telling (H2:
     * {@code CHECKPOINT SYNC}); call it after each commit that changed data, before answering.
     */
    void afterWriteCommit(final Connection connection) throws SQLException {
        if (engine == Engine.H2) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        }
    }

    /**
     * @return why the database takes no writes on this connection ({@link Connection#isReadOnly()},
     *     an H2 database opened read-only, a PostgreSQL session whose transactions are read-only),
     *     or null if it takes them. Ends the connection's transaction.
     */
    String readOnlyReason(final Connection connection) throws SQLException {
        try {
            if (connection.isReadOnly()) {
                return engine == Engine.H2 ? "the H2 database is open read-only" : "the connection is read-only";
            }
            if (engine == Engine.POSTGRESQL) {
                try (Statement statement = connection.createStatement();
                        ResultSet row = statement.executeQuery("SHOW transaction_read_only")) {
                    if (row.next() && "on".equalsIgnoreCase(row.getString(1))) {
                        return "the database's transactions are read-only (transaction_read_only = on)";
                    }
                }
            }
            return null;
        } finally {
            connection.rollback();
        }
    }

    @Override
    public String toString() {
        return "DatabaseDialect[" + engine + ", " + productName + "]";
    }
}
