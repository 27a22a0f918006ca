package dev.flin.todo;

import dev.flin.http.HttpServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What start-up checks before it spawns anything, so that a mistake ends it at once with one line
 * naming the cause and the flag to change, instead of a stack trace or seconds of retries:
 *
 * <ul>
 *   <li>the HTTP port is free, checked before the database is touched ({@code --port});
 *   <li>the database opens, or fails for a reason that a retry may cure (a connection refused, a
 *       server starting); a reason no retry cures ends start-up: no JDBC driver for the URL or a
 *       malformed URL ({@code --jdbc-url}), wrong credentials ({@code --jdbc-user},
 *       {@code --jdbc-password}), an H2 file locked by another process or written by another H2
 *       version ({@code --data-dir}, or {@code --jdbc-url} for a database given by URL).
 * </ul>
 *
 * <p>Threading: stateless; called by {@link TodoService#start} on its caller's thread.
 */
final class StartupChecks {

    private static final Logger LOG = LoggerFactory.getLogger(StartupChecks.class);

    private StartupChecks() {
    }

    /**
     * Binds the configured address and port and lets go of it at once (port 0 is always free).
     *
     * @throws StartupFailure naming the port and {@code --port} if it is taken
     */
    static void requirePortFree(final HttpServerConfig config) {
        if (config.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (final BindException e) {
            throw portInUse(config, e);
        } catch (final IOException e) {
            throw new StartupFailure("cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                    + "): check --host and --port", e);
        }
    }

    /**
     * @param config the server's configuration
     * @param e what binding threw
     * @return the failure to throw if {@code e} says the port is taken; {@code e} itself otherwise
     */
    static RuntimeException bindFailure(final HttpServerConfig config, final UncheckedIOException e) {
        final String text = String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
        if (e.getCause() instanceof BindException || text.contains("Address already in use") || text.contains("error(-98)")) {
            return portInUse(config, e);
        }
        return e;
    }

    private static StartupFailure portInUse(final HttpServerConfig config, final Exception e) {
        return new StartupFailure("port " + config.port() + " on " + config.host()
                + " is already in use: stop what holds it or choose another with --port", e);
    }

    /**
     * Opens the database once and closes it again.
     *
     * @throws StartupFailure naming the cause and the flag if it fails for a reason no retry cures,
     *     or if nodes with the bridge share the database and this one was started without it
     *     ({@code --bridge}); other failures are logged and left to the store's restarts
     */
    static void requireDatabaseOpens(final TodoOptions options) {
        final JdbcSettings jdbc = options.jdbc();
        try {
            DriverManager.getDriver(jdbc.url());
        } catch (final SQLException e) {
            throw new StartupFailure("no JDBC driver accepts the URL '" + jdbc.url() + "' (this build has H2 and PostgreSQL):"
                    + " fix --jdbc-url", e);
        }
        try (Connection connection = jdbc.open()) {
            LOG.debug("start-up check: {} opens ({})", jdbc.url(), connection.getMetaData().getDatabaseProductName());
            if (!options.bridge() && usedByBridgedNodes(connection)) {
                throw new StartupFailure("the database " + jdbc.url() + " has the bridge's change log (todo_change_seq): nodes"
                        + " that share it run --bridge postgres, and a node without it would write changes they never hear of"
                        + " and hear none of theirs: start it with --bridge postgres", null);
            }
        } catch (final SQLException e) {
            final Optional<String> fatal = permanent(e, options);
            if (fatal.isPresent()) {
                throw new StartupFailure(fatal.get(), e);
            }
            LOG.warn("start-up check: {} did not open ({}); the store retries", jdbc.url(), SqlFailures.shortMessage(e));
        }
    }

    /** @return whether a PostgreSQL database holds the change log of nodes that run the bridge */
    private static boolean usedByBridgedNodes(final Connection connection) throws SQLException {
        if (DatabaseDialect.of(connection).engine() != DatabaseDialect.Engine.POSTGRESQL) {
            return false;
        }
        try (java.sql.Statement s = connection.createStatement();
                java.sql.ResultSet row = s.executeQuery("SELECT to_regclass('todo_change_seq') IS NOT NULL")) {
            return row.next() && row.getBoolean(1);
        }
    }

    /**
     * @return a line naming the cause and the flag if {@code e} is a failure to open that no retry
     *     cures; empty if a retry might
     */
    static Optional<String> permanent(final SQLException e, final TodoOptions options) {
        final String state = SqlFailures.sqlState(e);
        final String url = options.jdbc().url();
        final String why = " (" + SqlFailures.shortMessage(e) + ", SQLState " + state + ")";
        final String where = options.usesDefaultDatabase() ? "--data-dir" : "--jdbc-url";
        if (state.startsWith("28")) {
            return Optional.of("the database " + url + " refused the user '" + options.jdbc().user() + "'" + why
                    + ": fix --jdbc-user or --jdbc-password");
        }
        switch (state.toUpperCase(Locale.ROOT)) {
            case "90020": // H2: DATABASE_ALREADY_OPEN, the file is locked by another process
                return Optional.of("the database " + url + " is in use by another process" + why
                        + ": stop it or choose another " + where);
            case "90048", "90030": // H2: file of another H2 version; file corrupted
                return Optional.of("the database file of " + url + " cannot be read by this H2" + why + ": choose another " + where);
            case "90046", "90113", "90066", "90011", "90146", "90149", "3D000":
                // H2: URL format error, unsupported or duplicate setting, implicitly relative path,
                // database not found; PostgreSQL: no such database
                return Optional.of("the JDBC URL '" + url + "' does not name a database this build can open" + why
                        + ": fix " + where);
            default:
                return Optional.empty();
        }
    }
}
