package dev.flin.todo;

import dev.flin.http.core.HttpSettings;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.RuntimeSettings;
import dev.flin.runtime.core.config.Setting;
import dev.flin.runtime.core.config.SettingGroup;
import dev.flin.runtime.core.config.SettingType;
import dev.flin.runtime.core.config.Settings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The todo service's own settings on the registry of runtime-core, and the registry of the whole
 * service: runtime, HTTP server and service groups, one help text, one printout. Each is also read
 * from {@code FLIN_<NAME>} and, as before, {@code FLIN_TODO_<NAME>}.
 *
 * <p>Threading: stateless; any thread.
 */
public final class TodoSettings {

    private static final TodoOptions D = TodoOptions.defaults();

    /** {@code --data-dir}: where the default H2 database lives. */
    public static final Setting<String> DATA_DIR = Setting.of("data-dir", SettingType.string(), D.dataDir(),
            "where the default H2 database lives, created if missing").defaultShownAs("./data");
    /** {@code --jdbc-url}: another database; empty for H2 under the data directory. */
    public static final Setting<String> JDBC_URL = Setting.of("jdbc-url", SettingType.optionalString(), D.jdbcUrl(),
            "the database; PostgreSQL: jdbc:postgresql://host/db")
            .check(url -> url.isEmpty() || url.startsWith("jdbc:") ? Optional.empty() : Optional.of("must start with 'jdbc:'"))
            .defaultShownAs("jdbc:h2:file:<data dir>/todos");
    /** {@code --jdbc-user}. */
    public static final Setting<String> JDBC_USER = Setting.of("jdbc-user", SettingType.optionalString(), D.jdbcUser(),
            "the database user").defaultShownAs("sa for the default H2, else none");
    /** {@code --jdbc-password}; never printed. */
    public static final Setting<String> JDBC_PASSWORD = Setting.of("jdbc-password", SettingType.optionalString(),
            D.jdbcPassword(), "the database password").secret().defaultShownAs("none");
    /** {@code --store-mailbox}. */
    public static final Setting<Integer> STORE_MAILBOX = Setting.of("store-mailbox", SettingType.integer(),
            D.storeMailboxCapacity(), "requests that may wait for the store, else 503").range(1, 1 << 20);
    /** {@code --reminder-queue}. */
    public static final Setting<Integer> REMINDER_QUEUE = Setting.of("reminder-queue", SettingType.integer(),
            D.reminderQueueCapacity(), "reminders that may wait for the worker, else 503").range(1, 1 << 20);
    /** {@code --reminder-work}. */
    public static final Setting<Integer> REMINDER_WORK = Setting.of("reminder-work", SettingType.integer(),
            D.reminderWorkRounds(), "SHA-256 rounds per reminder").range(0, 100_000_000);
    /** {@code --store-open-timeout}. */
    public static final Setting<Duration> STORE_OPEN_TIMEOUT = Setting.of("store-open-timeout", SettingType.duration(),
            D.storeOpenTimeout(), "how long start-up waits for the store to open the database")
            .range(Duration.ofMillis(1), Duration.ofDays(1));

    /** The longest node name. */
    public static final int MAX_NODE_NAME_LENGTH = 64;
    /** How many changes the change log keeps by default. */
    public static final long DEFAULT_CHANGE_LOG_KEEP = 100_000;
    /** The most changes the change log may be told to keep. */
    public static final long MAX_CHANGE_LOG_KEEP = 1_000_000_000L;

    /** Whether and how the node tells other nodes of its changes. */
    public enum Bridge {
        /** One node: changes are published in this process only. */
        OFF,
        /** Several nodes on one PostgreSQL: LISTEN/NOTIFY and a change log ({@link TodoBridge}). */
        POSTGRES
    }

    /** {@code --node-name}. */
    public static final Setting<String> NODE_NAME = Setting.of("node-name", SettingType.optionalString(), D.nodeName(),
            "this node's name in logs, /api/stats and the changes it commits").check(TodoSettings::checkNodeName)
            .defaultShownAs("<host name>-<pid>");
    /** {@code --bridge}. */
    public static final Setting<Bridge> BRIDGE = Setting.of("bridge", SettingType.enumeration(Bridge.class), Bridge.OFF,
            "postgres: fan every committed change out to all nodes on the same PostgreSQL (needs --jdbc-url)");
    /** {@code --change-log-keep}. */
    public static final Setting<Long> CHANGE_LOG_KEEP = Setting.of("change-log-keep", SettingType.longInteger(),
            D.changeLogKeep(), "with the bridge: the latest changes kept for nodes that reconnect").range(1L,
            MAX_CHANGE_LOG_KEEP);

    private TodoSettings() {
    }

    /**
     * @param name a node name, empty for the default
     * @return what is wrong with it, if anything: at most {@value #MAX_NODE_NAME_LENGTH} of
     *     {@code A-Z a-z 0-9 . _ -}
     */
    static Optional<String> checkNodeName(final String name) {
        if (name.length() > MAX_NODE_NAME_LENGTH) {
            return Optional.of("must be at most " + MAX_NODE_NAME_LENGTH + " characters, was " + name.length());
        }
        if (!name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-'))) {
            return Optional.of("may hold only letters, digits, '.', '_' and '-'");
        }
        return Optional.empty();
    }

    /** @return {@code <host name>-<pid>}, the host name cut to fit {@link #MAX_NODE_NAME_LENGTH} */
    static String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (final java.io.IOException e) {
            host = "node";
        }
        final String pid = "-" + ProcessHandle.current().pid();
        final String clean = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return clean.substring(0, Math.min(clean.length(), MAX_NODE_NAME_LENGTH - pid.length())) + pid;
    }

    /** @return the group {@code Todo service}, also read from the {@code FLIN_TODO_} variables */
    public static SettingGroup group() {
        return SettingGroup.of("Todo service", List.of(DATA_DIR, JDBC_URL, JDBC_USER, JDBC_PASSWORD, STORE_MAILBOX,
                REMINDER_QUEUE, REMINDER_WORK, STORE_OPEN_TIMEOUT, NODE_NAME, BRIDGE, CHANGE_LOG_KEEP)).withLegacyEnvPrefix("FLIN_TODO_");
    }

    /** @return every setting of the service: runtime, HTTP server, todo service */
    public static Settings registry() {
        return Settings.of("java -jar todo-service/target/todo-service.jar",
                List.of(RuntimeSettings.group(), HttpSettings.group(), group()));
    }

    /**
     * @param config settings read by a registry holding {@link #group()}
     * @return the service's options
     */
    public static TodoOptions options(final Configuration config) {
        Objects.requireNonNull(config, "config");
        return new TodoOptions(config.get(DATA_DIR), config.get(JDBC_URL), config.get(JDBC_USER), config.get(JDBC_PASSWORD),
                config.get(STORE_MAILBOX), config.get(REMINDER_QUEUE), config.get(REMINDER_WORK),
                config.get(STORE_OPEN_TIMEOUT), config.get(NODE_NAME), config.get(BRIDGE) == Bridge.POSTGRES,
                config.get(CHANGE_LOG_KEEP));
    }
}
