package dev.flin.todo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The todo service's own settings (the HTTP server's are {@link dev.flin.http.HttpServerConfig}).
 * Read flags and environment with {@link #parse}; what it does not know is left for
 * {@code HttpServerConfig.fromArgs}.
 *
 * <table>
 *   <caption>Flags ({@code --flag value} or {@code --flag=value}) over environment over defaults</caption>
 *   <tr><th>flag</th><th>environment</th><th>default</th></tr>
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

    /**
     * The todo flags read out of a command line, and the rest of it.
     *
     * @param options the todo service's settings
     * @param httpArgs the arguments this parser does not know, in order, for {@code HttpServerConfig.fromArgs}
     */
    public record Parsed(TodoOptions options, List<String> httpArgs) {
        /** Checks arguments. */
        public Parsed {
            Objects.requireNonNull(options, "options");
            httpArgs = List.copyOf(httpArgs);
        }

        /** @return {@link #httpArgs()} as an array */
        public String[] httpArgsArray() {
            return httpArgs.toArray(new String[0]);
        }
    }

    /**
     * Takes the todo flags out of {@code args} (flags over {@code env} over {@link #defaults()});
     * everything else is returned untouched.
     *
     * @throws IllegalArgumentException naming the flag or variable and what was wrong with its value
     */
    public static Parsed parse(final String[] args, final Map<String, String> env) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        final TodoOptions d = defaults();
        final Map<String, String> flags = new java.util.HashMap<>();
        final List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            final String arg = Objects.requireNonNull(args[i], "args[" + i + "]");
            final int eq = arg.indexOf('=');
            final String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!FLAGS.contains(name)) {
                rest.add(arg);
                continue;
            }
            final String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(name + " needs a value");
            }
            flags.put(name, value);
        }
        final String dataDir = pick(flags, env, "--data-dir", d.dataDir());
        final String url = pick(flags, env, "--jdbc-url", d.jdbcUrl());
        final String user = pick(flags, env, "--jdbc-user", d.jdbcUser());
        final String password = pick(flags, env, "--jdbc-password", d.jdbcPassword());
        final int storeMailbox = integer(flags, env, "--store-mailbox", d.storeMailboxCapacity());
        final int reminderQueue = integer(flags, env, "--reminder-queue", d.reminderQueueCapacity());
        final int reminderWork = integer(flags, env, "--reminder-work", d.reminderWorkRounds());
        final Duration openTimeout = duration(flags, env, "--store-open-timeout", d.storeOpenTimeout());
        return new Parsed(new TodoOptions(dataDir, url, user, password, storeMailbox, reminderQueue, reminderWork,
                openTimeout), rest);
    }

    private static final List<String> FLAGS = List.of("--data-dir", "--jdbc-url", "--jdbc-user", "--jdbc-password",
            "--store-mailbox", "--reminder-queue", "--reminder-work", "--store-open-timeout");

    /** @return one line per todo flag: the flag, its environment variable and its default, for {@code --help} */
    public static String usage() {
        final TodoOptions d = defaults();
        return String.join("\n",
                usageLine("--data-dir", "./data, created if missing"),
                usageLine("--jdbc-url", "jdbc:h2:file:<data dir>/todos; PostgreSQL: jdbc:postgresql://host/db"),
                usageLine("--jdbc-user", "sa for the default H2, else none"),
                usageLine("--jdbc-password", "none"),
                usageLine("--store-mailbox", String.valueOf(d.storeMailboxCapacity())),
                usageLine("--reminder-queue", String.valueOf(d.reminderQueueCapacity())),
                usageLine("--reminder-work", d.reminderWorkRounds() + " (SHA-256 rounds per reminder)"),
                usageLine("--store-open-timeout", d.storeOpenTimeout().toMillis() % 1000 == 0
                        ? d.storeOpenTimeout().toSeconds() + "s" : d.storeOpenTimeout().toMillis() + "ms"));
    }

    private static String usageLine(final String flag, final String defaultValue) {
        if (!FLAGS.contains(flag)) {
            throw new IllegalStateException("not a todo flag: " + flag);
        }
        return String.format(java.util.Locale.ROOT, "  %-28s %-36s default %s", flag, envName(flag), defaultValue);
    }

    /** @return {@code --data-dir} to {@code FLIN_TODO_DATA_DIR} */
    static String envName(final String flag) {
        return "FLIN_TODO_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
    }

    private static String pick(final Map<String, String> flags, final Map<String, String> env, final String flag,
            final String fallback) {
        final String fromFlag = flags.get(flag);
        if (fromFlag != null) {
            return fromFlag;
        }
        final String fromEnv = env.get(envName(flag));
        return fromEnv != null ? fromEnv : fallback;
    }

    private static String source(final Map<String, String> flags, final String flag) {
        return flags.containsKey(flag) ? flag : envName(flag);
    }

    private static int integer(final Map<String, String> flags, final Map<String, String> env, final String flag,
            final int fallback) {
        final String text = pick(flags, env, flag, null);
        if (text == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(source(flags, flag) + " must be an integer, was '" + text + "'");
        }
    }

    private static Duration duration(final Map<String, String> flags, final Map<String, String> env, final String flag,
            final Duration fallback) {
        final String text = pick(flags, env, flag, null);
        if (text == null) {
            return fallback;
        }
        final String t = text.strip();
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
            } else if (t.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
            }
            return Duration.parse(t);
        } catch (final RuntimeException e) {
            throw new IllegalArgumentException(source(flags, flag) + " must be a duration such as 500ms, 10s, 2m or PT10S, was '"
                    + text + "'");
        }
    }
}
