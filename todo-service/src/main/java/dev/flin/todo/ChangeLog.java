package dev.flin.todo;

import dev.flin.http.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The todo service's change log on PostgreSQL, which lets several nodes on one database tell each
 * other of every committed change ({@link TodoBridge}).
 *
 * <p><b>Writing</b> ({@link #append}, by the {@link TodoStore} inside each write's transaction,
 * after the row change): {@code UPDATE todo_change_seq SET seq = seq + 1 RETURNING seq} takes the
 * next sequence number. That row's lock is held until the transaction ends, so the writers of all
 * nodes take numbers one after another, each only once the previous holder committed or rolled
 * back: the numbers are gapless (a rollback undoes its increment) and in commit order. Then the
 * change is inserted into {@code todo_change} (the entity's columns as of the change), and
 * {@code pg_notify} queues a {@link ChangeNotice} on {@value #CHANNEL}. PostgreSQL delivers a
 * notification only once its transaction commits, and those of different transactions in commit
 * order; so only committed changes travel, in sequence order.
 *
 * <p><b>The payload limit</b>: a NOTIFY payload must be shorter than 8000 bytes. A notice that
 * would not fit under {@link #notifyLimitBytes} leaves the entity out; the receiver reads the change
 * from the log by its sequence number ({@link #read}).
 *
 * <p><b>Retention</b>: every {@value #PRUNE_EVERY} appends (by default) the store deletes the changes more than
 * {@code keep} numbers old. A node whose listening connection was away for longer than that finds
 * numbers missing when it catches up, and counts them as dropped.
 *
 * <p>Threading: {@link #append} on the store's agent thread only (its prune countdown is plain
 * state, handed from one store instance to the next by the runtime's restart, rule 4.4); the rest
 * from any thread, each caller with its own connection.
 */
final class ChangeLog {

    /** The notification channel. */
    static final String CHANNEL = "flin_todo_changes";

    /** PostgreSQL refuses payloads of 8000 bytes or more; leave room. */
    static final int DEFAULT_NOTIFY_LIMIT_BYTES = 7900;

    /** Appends between two prunes, by default. */
    static final int PRUNE_EVERY = 1024;

    /** Any constant: serialises the schema set-up of nodes starting together on an empty database. */
    private static final long SCHEMA_LOCK = 0x666c696e_746f646fL;

    private static final String CHANGE_COLUMNS = "seq, todo_id, change, node, title, completed, created_at, updated_at, version";

    private final String node;
    private final long keep;
    private final int notifyLimitBytes;
    private final int pruneEvery;
    private final Json json = Json.create();
    private int appendsUntilPrune;

    /**
     * @param node this node's name, recorded with each change
     * @param keep how many of the latest changes to keep, at least 1
     * @param notifyLimitBytes the largest payload sent whole, in UTF-8 bytes
     */
    ChangeLog(final String node, final long keep, final int notifyLimitBytes) {
        this(node, keep, notifyLimitBytes, PRUNE_EVERY);
    }

    /**
     * @param node this node's name, recorded with each change
     * @param keep how many of the latest changes to keep, at least 1
     * @param notifyLimitBytes the largest payload sent whole, in UTF-8 bytes
     * @param pruneEvery appends between two prunes, at least 1
     */
    ChangeLog(final String node, final long keep, final int notifyLimitBytes, final int pruneEvery) {
        this.node = Objects.requireNonNull(node, "node");
        if (pruneEvery < 1) {
            throw new IllegalArgumentException("pruneEvery is at least 1, was " + pruneEvery);
        }
        this.pruneEvery = pruneEvery;
        this.appendsUntilPrune = pruneEvery;
        if (keep < 1) {
            throw new IllegalArgumentException("the change log keeps at least 1 change, keep was " + keep);
        }
        if (notifyLimitBytes < 1 || notifyLimitBytes >= 8000) {
            throw new IllegalArgumentException("a NOTIFY payload is 1 to 7999 bytes, the limit was " + notifyLimitBytes);
        }
        this.keep = keep;
        this.notifyLimitBytes = notifyLimitBytes;
    }

    /** @return this node's name */
    String node() {
        return node;
    }

    /**
     * Creates the log's tables if missing; the caller holds {@link #lockSchema} (PostgreSQL's
     * {@code CREATE TABLE IF NOT EXISTS} races with itself) and commits.
     */
    static void createSchema(final Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS todo_change_seq (id INT PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL)");
            s.execute("INSERT INTO todo_change_seq (id, seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
            s.execute("CREATE TABLE IF NOT EXISTS todo_change (seq BIGINT PRIMARY KEY, todo_id BIGINT NOT NULL,"
                    + " change VARCHAR(16) NOT NULL, node VARCHAR(" + TodoSettings.MAX_NODE_NAME_LENGTH + ") NOT NULL,"
                    + " title VARCHAR(" + TodoValidation.MAX_TITLE_LENGTH + ") NOT NULL, completed BOOLEAN NOT NULL,"
                    + " created_at TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " version BIGINT NOT NULL, committed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())");
        }
    }

    /**
     * Takes the schema lock, a transaction-scoped advisory lock, for the rest of the caller's
     * transaction: nodes starting together on an empty database set up the schema one at a time.
     */
    static void lockSchema(final Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        }
    }

    /**
     * Logs the change and queues its notification, in the caller's open transaction; the caller
     * commits (and only then do other nodes hear of it).
     *
     * @return the change as every node will publish it, with its sequence number
     */
    EntityChanged append(final Connection c, final EntityChanged.Change change, final Todo todo) throws SQLException {
        final long seq;
        try (Statement s = c.createStatement();
                ResultSet row = s.executeQuery("UPDATE todo_change_seq SET seq = seq + 1 WHERE id = 1 RETURNING seq")) {
            if (!row.next()) {
                throw new SQLException("the change log's sequence row (todo_change_seq, id 1) is missing");
            }
            seq = row.getLong(1);
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO todo_change (" + CHANGE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setLong(1, seq);
            insert.setLong(2, todo.id());
            insert.setString(3, change.name());
            insert.setString(4, node);
            insert.setString(5, todo.title());
            insert.setBoolean(6, todo.completed());
            insert.setObject(7, OffsetDateTime.ofInstant(todo.createdAt(), ZoneOffset.UTC));
            insert.setObject(8, OffsetDateTime.ofInstant(todo.updatedAt(), ZoneOffset.UTC));
            insert.setLong(9, todo.version());
            insert.executeUpdate();
        }
        final EntityChanged changed = new EntityChanged(TodoTopics.TODO_ENTITY, change, todo, seq, node);
        try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, payload(changed));
            notify.execute();
        }
        if (--appendsUntilPrune == 0) {
            appendsUntilPrune = pruneEvery;
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM todo_change WHERE seq <= ?")) {
                prune.setLong(1, seq - keep);
                prune.executeUpdate();
            }
        }
        return changed;
    }

    /** @return the notice of {@code changed} as JSON, without the entity if the whole would not fit */
    String payload(final EntityChanged changed) {
        final String whole = json.write(ChangeNotice.of(changed, true));
        if (whole.getBytes(StandardCharsets.UTF_8).length <= notifyLimitBytes) {
            return whole;
        }
        return json.write(ChangeNotice.of(changed, false));
    }

    /** @return the notice in a notification's payload */
    ChangeNotice parse(final String payload) {
        return json.read(payload.getBytes(StandardCharsets.UTF_8), ChangeNotice.class);
    }

    /** @return the sequence number of the last change committed (0 before the first) */
    static long lastSequence(final Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet row = s.executeQuery("SELECT seq FROM todo_change_seq WHERE id = 1")) {
            if (!row.next()) {
                throw new SQLException("the change log's sequence row (todo_change_seq, id 1) is missing");
            }
            return row.getLong(1);
        }
    }

    /** @return the changes after {@code after}, in sequence order, at most {@code limit} */
    static List<EntityChanged> readAfter(final Connection c, final long after, final int limit) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT " + CHANGE_COLUMNS + " FROM todo_change WHERE seq > ? ORDER BY seq LIMIT ?")) {
            select.setLong(1, after);
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                final List<EntityChanged> changes = new ArrayList<>();
                while (rows.next()) {
                    changes.add(toChange(rows));
                }
                return changes;
            }
        }
    }

    /** @return the change with that sequence number, or null if the log no longer has it */
    static EntityChanged read(final Connection c, final long seq) throws SQLException {
        try (PreparedStatement select = c.prepareStatement("SELECT " + CHANGE_COLUMNS + " FROM todo_change WHERE seq = ?")) {
            select.setLong(1, seq);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? toChange(rows) : null;
            }
        }
    }

    private static EntityChanged toChange(final ResultSet row) throws SQLException {
        final Todo todo = new Todo(row.getLong("todo_id"), row.getString("title"), row.getBoolean("completed"),
                row.getObject("created_at", OffsetDateTime.class).toInstant(),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(), row.getLong("version"));
        return new EntityChanged(TodoTopics.TODO_ENTITY, EntityChanged.Change.valueOf(row.getString("change")), todo,
                row.getLong("seq"), row.getString("node"));
    }
}
