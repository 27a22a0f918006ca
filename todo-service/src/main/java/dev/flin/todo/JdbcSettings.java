package dev.flin.todo;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;

/**
 * Where the {@link TodoStore} keeps its todos: a JDBC URL and credentials. The URL may name any
 * database whose driver is on the class path and that runs the store's schema (H2 and PostgreSQL
 * are; both drivers ship with the service).
 *
 * <p>Threading: an immutable value. {@link #toString()} never shows the password.
 *
 * @param url the JDBC URL, e.g. {@code jdbc:h2:file:/var/lib/todo/todos} or {@code jdbc:postgresql://db/todo}
 * @param user the user, empty for the driver's default
 * @param password the password, empty for none
 */
public record JdbcSettings(String url, String user, String password) {

    /** Checks arguments. */
    public JdbcSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!url.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with 'jdbc:', was '" + url + "'");
        }
    }

    /**
     * @param dataDir the data directory; made absolute
     * @return an H2 database in the file {@code todos.mv.db} under {@code dataDir}, user {@code sa}
     */
    public static JdbcSettings h2File(final Path dataDir) {
        final Path file = dataDir.toAbsolutePath().normalize().resolve("todos");
        return new JdbcSettings("jdbc:h2:file:" + file, "sa", "");
    }

    /**
     * Opens a connection; only the {@link TodoStore} agent calls this, and owns what it returns.
     *
     * @throws SQLException the database's reason it could not be opened
     */
    Connection open() throws SQLException {
        return open(java.util.Map.of());
    }

    /**
     * Opens a connection with extra driver properties (such as PostgreSQL's {@code ApplicationName});
     * the caller owns it.
     *
     * @throws SQLException the database's reason it could not be opened
     */
    Connection open(final java.util.Map<String, String> extra) throws SQLException {
        final Properties properties = new Properties();
        properties.putAll(extra);
        if (!user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (!password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    @Override
    public String toString() {
        return "JdbcSettings[url=" + url + ", user=" + user + ", password=" + (password.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
