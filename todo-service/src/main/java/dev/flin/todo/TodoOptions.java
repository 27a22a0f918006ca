package dev.flin.todo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The todo service's own settings (the HTTP server's are {@link dev.flin.http.HttpServerConfig}).
 * Read them from flags, system properties, environment and a file with {@link TodoSettings}.
 *
 * <table>
 *   <caption>Flags; also {@code -Dflin.<flag>}, {@code FLIN_<FLAG>} or a {@code --config} file</caption>
 *   <tr><th>flag</th><th>environment (also)</th><th>default</th></tr>
 *   <tr><td>{@code --data-dir}</td><td>{@code FLIN_TODO_DATA_DIR}</td><td>{@code ./data}, created if missing</td></tr>
 *   <tr><td>{@code --jdbc-url}</td><td>{@code FLIN_TODO_JDBC_URL}</td><td>{@code jdbc:h2:file:<abs data dir>/todos}</td></tr>
 *   <tr><td>{@code --jdbc-user}</td><td>{@code FLIN_TODO_JDBC_USER}</td><td>{@code sa} for the default H2, else none</td></tr>
 *   <tr><td>{@code --jdbc-password}</td><td>{@code FLIN_TODO_JDBC_PASSWORD}</td><td>none</td></tr>
 *   <tr><td>{@code --store-mailbox}</td><td>{@code FLIN_TODO_STORE_MAILBOX}</td><td>1024</td></tr>
 *   <tr><td>{@code --reminder-queue}</td><td>{@code FLIN_TODO_REMINDER_QUEUE}</td><td>256</td></tr>
 *   <tr><td>{@code --reminder-work}</td><td>{@code FLIN_TODO_REMINDER_WORK}</td><td>5000 (SHA-256 rounds per reminder)</td></tr>
 *   <tr><td>{@code --store-open-timeout}</td><td>{@code FLIN_TODO_STORE_OPEN_TIMEOUT}</td><td>10s</td></tr>
 * </table>
 *
 * <p>Threading: an immutable value. {@link #toString()} never shows the password.
 *
 * @param dataDir where the default H2 database lives (a path; a string because a record of settings
 *     holds only values known to be immutable, and {@code Path} is an interface)
 * @param jdbcUrl the database's JDBC URL; empty for H2 under {@code dataDir}
 * @param jdbcUser the database user; empty for the default ({@code sa} for the default H2)
 * @param jdbcPassword the database password; empty for none
 * @param storeMailboxCapacity requests that may wait for the store before asks are refused (503)
 * @param reminderQueueCapacity reminders that may wait for the worker before {@code remind} answers 503
 * @param reminderWorkRounds the work each reminder does, see {@link ReminderSender}
 * @param storeOpenTimeout how long {@link TodoService#start} waits for the store to open the database
 */
public record TodoOptions(String dataDir, String jdbcUrl, String jdbcUser, String jdbcPassword, int storeMailboxCapacity,
        int reminderQueueCapacity, int reminderWorkRounds, Duration storeOpenTimeout) {

    /** Checks arguments. */
    public TodoOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        if (dataDir.isBlank()) {
            throw new IllegalArgumentException("data-dir must not be blank");
        }
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(jdbcUser, "jdbcUser");
        Objects.requireNonNull(jdbcPassword, "jdbcPassword");
        Objects.requireNonNull(storeOpenTimeout, "storeOpenTimeout");
        if (!jdbcUrl.isEmpty() && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("jdbc-url must start with 'jdbc:', was '" + jdbcUrl + "'");
        }
        requireRange("store-mailbox", storeMailboxCapacity, 1, 1 << 20);
        requireRange("reminder-queue", reminderQueueCapacity, 1, 1 << 20);
        requireRange("reminder-work", reminderWorkRounds, 0, 100_000_000);
        if (storeOpenTimeout.isNegative() || storeOpenTimeout.isZero()) {
            throw new IllegalArgumentException("store-open-timeout must be positive, was " + storeOpenTimeout);
        }
    }

    private static void requireRange(final String name, final int value, final int min, final int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was " + value);
        }
    }

    /** @return the defaults: H2 under {@code ./data} */
    public static TodoOptions defaults() {
        return new TodoOptions("data", "", "", "", 1024, 256, 5000, Duration.ofSeconds(10));
    }

    /** @return a copy with the default H2 database under {@code dir} */
    public TodoOptions withDataDir(final Path dir) {
        return new TodoOptions(dir.toString(), jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity,
                reminderWorkRounds, storeOpenTimeout);
    }

    /** @return a copy using the database at {@code url} */
    public TodoOptions withJdbc(final String url, final String user, final String password) {
        return new TodoOptions(dataDir, url, user, password, storeMailboxCapacity, reminderQueueCapacity, reminderWorkRounds,
                storeOpenTimeout);
    }

    /** @return a copy whose store takes {@code capacity} waiting requests */
    public TodoOptions withStoreMailboxCapacity(final int capacity) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, capacity, reminderQueueCapacity, reminderWorkRounds,
                storeOpenTimeout);
    }

    /** @return a copy whose reminder worker takes {@code capacity} waiting reminders */
    public TodoOptions withReminderQueueCapacity(final int capacity) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, capacity, reminderWorkRounds,
                storeOpenTimeout);
    }

    /** @return a copy whose reminders do {@code rounds} of work each */
    public TodoOptions withReminderWorkRounds(final int rounds) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity, rounds,
                storeOpenTimeout);
    }

    /** @return {@link #dataDir()} as a path */
    public Path dataDirPath() {
        return Path.of(dataDir);
    }

    /** @return whether the database is the default H2 file under {@link #dataDir()} */
    public boolean usesDefaultDatabase() {
        return jdbcUrl.isEmpty();
    }

    /** @return the database the store opens */
    public JdbcSettings jdbc() {
        if (usesDefaultDatabase()) {
            final JdbcSettings h2 = JdbcSettings.h2File(dataDirPath());
            return new JdbcSettings(h2.url(), jdbcUser.isEmpty() ? h2.user() : jdbcUser, jdbcPassword);
        }
        return new JdbcSettings(jdbcUrl, jdbcUser, jdbcPassword);
    }

    @Override
    public String toString() {
        return "TodoOptions[dataDir=" + dataDir + ", jdbc=" + jdbc() + ", storeMailboxCapacity=" + storeMailboxCapacity
                + ", reminderQueueCapacity=" + reminderQueueCapacity + ", reminderWorkRounds=" + reminderWorkRounds
                + ", storeOpenTimeout=" + storeOpenTimeout + "]";
    }
}
