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
 *   <tr><td>{@code --node-name}</td><td>{@code FLIN_TODO_NODE_NAME}</td><td>{@code <host name>-<pid>}</td></tr>
 *   <tr><td>{@code --bridge}</td><td>{@code FLIN_TODO_BRIDGE}</td><td>{@code off}; {@code postgres} to fan changes out to every node</td></tr>
 *   <tr><td>{@code --change-log-keep}</td><td>{@code FLIN_TODO_CHANGE_LOG_KEEP}</td><td>100000 changes</td></tr>
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
 * @param nodeName this node's name, in logs, {@code /api/stats} and every change it commits; empty
 *     for {@code <host name>-<pid>}
 * @param bridge whether to run the PostgreSQL topic bridge ({@link TodoBridge}), which several
 *     nodes on one database need to see each other's changes; needs a PostgreSQL {@code jdbcUrl}
 * @param changeLogKeep how many of the latest changes the bridge's change log keeps for nodes that
 *     reconnect
 */
public record TodoOptions(String dataDir, String jdbcUrl, String jdbcUser, String jdbcPassword, int storeMailboxCapacity,
        int reminderQueueCapacity, int reminderWorkRounds, Duration storeOpenTimeout, String nodeName, boolean bridge,
        long changeLogKeep) {

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
        Objects.requireNonNull(nodeName, "nodeName");
        TodoSettings.checkNodeName(nodeName).ifPresent(problem -> {
            throw new IllegalArgumentException("node-name " + problem + ", was '" + nodeName + "'");
        });
        if (changeLogKeep < 1 || changeLogKeep > TodoSettings.MAX_CHANGE_LOG_KEEP) {
            throw new IllegalArgumentException("change-log-keep must be in [1, " + TodoSettings.MAX_CHANGE_LOG_KEEP + "], was "
                    + changeLogKeep);
        }
        if (bridge && !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--bridge postgres needs a PostgreSQL database (--jdbc-url jdbc:postgresql://...),"
                    + " the database is " + (jdbcUrl.isEmpty() ? "the default H2 file" : "'" + jdbcUrl + "'"));
        }
    }

    /** The arguments before the multi-node settings, which keep their defaults. */
    public TodoOptions(final String dataDir, final String jdbcUrl, final String jdbcUser, final String jdbcPassword,
            final int storeMailboxCapacity, final int reminderQueueCapacity, final int reminderWorkRounds,
            final Duration storeOpenTimeout) {
        this(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity, reminderWorkRounds,
                storeOpenTimeout, "", false, TodoSettings.DEFAULT_CHANGE_LOG_KEEP);
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
                reminderWorkRounds, storeOpenTimeout, nodeName, bridge, changeLogKeep);
    }

    /** @return a copy using the database at {@code url} */
    public TodoOptions withJdbc(final String url, final String user, final String password) {
        return new TodoOptions(dataDir, url, user, password, storeMailboxCapacity, reminderQueueCapacity, reminderWorkRounds,
                storeOpenTimeout, nodeName, bridge, changeLogKeep);
    }

    /** @return a copy whose store takes {@code capacity} waiting requests */
    public TodoOptions withStoreMailboxCapacity(final int capacity) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, capacity, reminderQueueCapacity, reminderWorkRounds,
                storeOpenTimeout, nodeName, bridge, changeLogKeep);
    }

    /** @return a copy whose reminder worker takes {@code capacity} waiting reminders */
    public TodoOptions withReminderQueueCapacity(final int capacity) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, capacity, reminderWorkRounds,
                storeOpenTimeout, nodeName, bridge, changeLogKeep);
    }

    /** @return a copy whose reminders do {@code rounds} of work each */
    public TodoOptions withReminderWorkRounds(final int rounds) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity, rounds,
                storeOpenTimeout, nodeName, bridge, changeLogKeep);
    }

    /**
     * @param name the node's name ({@code --node-name}); empty for {@code <host name>-<pid>}
     * @param withBridge whether to run the PostgreSQL bridge ({@code --bridge postgres})
     * @return a copy that runs as that node
     */
    public TodoOptions withNode(final String name, final boolean withBridge) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity,
                reminderWorkRounds, storeOpenTimeout, name, withBridge, changeLogKeep);
    }

    /** @return a copy whose change log keeps the latest {@code changes} */
    public TodoOptions withChangeLogKeep(final long changes) {
        return new TodoOptions(dataDir, jdbcUrl, jdbcUser, jdbcPassword, storeMailboxCapacity, reminderQueueCapacity,
                reminderWorkRounds, storeOpenTimeout, nodeName, bridge, changes);
    }

    /** @return the node's name: {@link #nodeName()}, or {@code <host name>-<pid>} when that is empty */
    public String node() {
        return nodeName.isEmpty() ? TodoSettings.defaultNodeName() : nodeName;
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
                + ", storeOpenTimeout=" + storeOpenTimeout + ", node=" + node() + ", bridge=" + bridge + ", changeLogKeep="
                + changeLogKeep + "]";
    }
}
