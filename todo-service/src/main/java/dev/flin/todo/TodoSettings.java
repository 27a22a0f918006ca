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

    private TodoSettings() {
    }

    /** @return the group {@code Todo service}, also read from the {@code FLIN_TODO_} variables */
    public static SettingGroup group() {
        return SettingGroup.of("Todo service", List.of(DATA_DIR, JDBC_URL, JDBC_USER, JDBC_PASSWORD, STORE_MAILBOX,
                REMINDER_QUEUE, REMINDER_WORK, STORE_OPEN_TIMEOUT)).withLegacyEnvPrefix("FLIN_TODO_");
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
                config.get(STORE_OPEN_TIMEOUT));
    }
}
