package dev.flin.todo;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topic bridge of a node that shares its PostgreSQL database with other nodes: it listens on
 * {@link ChangeLog#CHANNEL} and publishes every committed change of every node, its own included,
 * on the node's {@link TodoTopics#TODO} topic, once each, in the database's commit order (the
 * change log's sequence order). With the bridge running, the node's {@link TodoStore} does not
 * publish itself (it logs and notifies inside each write's transaction, {@link ChangeLog#append});
 * so the node's WebSocket clients see the same changes in the same order as every other node's.
 *
 * <p><b>Listening</b>: its own connection, in auto-commit, {@code LISTEN flin_todo_changes}; the
 * agent then polls {@code PGConnection.getNotifications} for at most {@value #POLL_MILLIS} ms per
 * message and sends itself the next poll, so a stop request waits for one poll at most. After
 * {@link #QUIET} without a notification it runs {@code SELECT 1}, so a connection that died
 * without a word is found out.
 *
 * <p><b>Nothing missed</b>: it knows the last sequence number it published. A notification with
 * an older number is skipped (a duplicate); one that skips numbers, and every reconnection, make it
 * read the log from the last number on ({@link ChangeLog#readAfter}) and publish what it missed
 * (counted as resynchronised). Numbers missing from the log (pruned while the bridge was away) are
 * counted as dropped and logged: a loss the operator can see in {@code /api/stats}. A notification
 * without its entity (it did not fit the payload limit) is read from the log by its number.
 *
 * <p><b>Failures</b>: a lost connection (an I/O error, the backend terminated) closes it and
 * reconnects with backoff, {@value #MIN_BACKOFF_MILLIS} ms doubling up to 5 s, for ever. Anything
 * else fails the agent, and its restart policy makes a fresh one that carries on from the last
 * number ({@link BridgeStats} outlives instances).
 *
 * <p>Threading: the runtime calls it on its agent thread only (rule 1.1); it runs on the blocking
 * dispatcher (rule 1.7), since JDBC blocks.
 */
final class TodoBridge implements Agent<TodoBridge.Signal> {

    /** The bridge's name in the registry. */
    static final String NAME = "todo-bridge";

    /** The bridge's own messages. */
    enum Signal {
        /** Wait for notifications once, then send the next poll. */
        POLL,
        /** Try to (re)connect. */
        RECONNECT
    }

    static final int POLL_MILLIS = 250;
    static final long MIN_BACKOFF_MILLIS = 50;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    static final Duration QUIET = Duration.ofSeconds(5);
    /** How long a read on the listening connection may take before the connection counts as lost. */
    static final int NETWORK_TIMEOUT_MILLIS = 15_000;
    private static final int CATCH_UP_BATCH = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(TodoBridge.class);

    private final JdbcSettings jdbc;
    private final ChangeLog log;
    private final BridgeStats stats;
    private AgentRuntime runtime;
    private Connection connection;
    private PGConnection listener;
    /** The last sequence number published or known dropped; -1 until the first connection. */
    private long last;
    private int failures;
    private long heardAt;

    private TodoBridge(final JdbcSettings jdbc, final ChangeLog log, final BridgeStats stats) {
        this.jdbc = jdbc;
        this.log = log;
        this.stats = stats;
        this.last = stats.lastSequence();
    }

    /**
     * Spawns the bridge, named {@value #NAME}, on the blocking dispatcher, restarted after any
     * failure other than a lost connection.
     *
     * @param runtime where it lives
     * @param jdbc the shared PostgreSQL database
     * @param log reads the notifications' payloads
     * @param stats its figures
     * @return its ref
     */
    static AgentRef<Signal> spawn(final AgentRuntime runtime, final JdbcSettings jdbc, final ChangeLog log,
            final BridgeStats stats) {
        Objects.requireNonNull(jdbc, "jdbc");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(stats, "stats");
        return runtime.spawn(Signal.class, () -> new TodoBridge(jdbc, log, stats), SpawnOptions.defaults()
                .withName(NAME).withMailboxCapacity(16)
                .withRestartPolicy(RestartPolicy.always(Backoff.exponential(Duration.ofMillis(MIN_BACKOFF_MILLIS), MAX_BACKOFF)))
                .withDispatcher(DispatcherSelector.BLOCKING));
    }

    @Override
    public void onStart(final AgentContext<Signal> context) {
        runtime = context.runtime();
        connect(context);
    }

    @Override
    public void onMessage(final Signal message, final AgentContext<Signal> context) {
        switch (message) {
            case POLL -> poll(context);
            case RECONNECT -> connect(context);
        }
    }

    @Override
    public void onStop(final AgentContext<Signal> context) {
        close();
    }

    private void connect(final AgentContext<Signal> context) {
        if (connection != null) {
            return;
        }
        try {
            final Connection opened = jdbc.open(Map.of("ApplicationName", "flin-bridge-" + log.node()));
            connection = opened;
            opened.setAutoCommit(true);
            opened.setNetworkTimeout(Runnable::run, NETWORK_TIMEOUT_MILLIS);
            listener = opened.unwrap(PGConnection.class);
            try (Statement s = opened.createStatement()) {
                s.execute("LISTEN " + ChangeLog.CHANNEL);
            }
            // Listening before reading: a change committed from here on is either read now or notified later.
            final boolean first = last < 0;
            final long resynchronisedBefore = stats.resynchronised();
            if (first) {
                last = ChangeLog.lastSequence(opened);
                stats.startedAt(last);
            } else {
                catchUp();
            }
            stats.connected();
            heardAt = System.nanoTime();
            if (first) {
                LOG.info("bridge of node {} listening on {} from change {}", log.node(), ChangeLog.CHANNEL, last);
            } else {
                LOG.info("bridge of node {} reconnected after {} failed attempts; caught up {} changes, now at {}",
                        log.node(), failures, stats.resynchronised() - resynchronisedBefore, last);
            }
            failures = 0;
            pollAgain(context);
        } catch (final SQLException e) {
            lost(context, e);
        }
    }

    private void poll(final AgentContext<Signal> context) {
        if (connection == null) {
            return;
        }
        try {
            final PGNotification[] notifications = listener.getNotifications(POLL_MILLIS);
            final long now = System.nanoTime();
            if (notifications != null && notifications.length > 0) {
                heardAt = now;
                for (final PGNotification notification : notifications) {
                    if (ChangeLog.CHANNEL.equals(notification.getName())) {
                        received(notification.getParameter());
                    }
                }
            } else if (now - heardAt > QUIET.toNanos()) {
                try (Statement s = connection.createStatement()) {
                    s.execute("SELECT 1");
                }
                heardAt = now;
            }
            pollAgain(context);
        } catch (final SQLException e) {
            lost(context, e);
        }
    }

    /** Sends itself the next poll; not once its stop was requested (the runtime refuses it then, rule 2.5). */
    private static void pollAgain(final AgentContext<Signal> context) {
        try {
            context.self().tell(Signal.POLL);
        } catch (final AgentNotFoundException | RuntimeStoppedException stopping) {
            LOG.debug("bridge stops polling: {}", stopping.getMessage());
        }
    }

    private void received(final String payload) throws SQLException {
        stats.notification();
        final ChangeNotice notice;
        try {
            notice = log.parse(payload);
        } catch (final RuntimeException malformed) {
            // not one of ours, or from a node of another version: the log says what happened
            LOG.warn("bridge of node {} could not read a notification ({}); reading the change log instead: {}", log.node(),
                    malformed.getMessage(), payload.length() > 200 ? payload.substring(0, 200) + "..." : payload);
            catchUp();
            return;
        }
        if (notice.seq() <= last) {
            stats.duplicate();
            return;
        }
        if (notice.seq() > last + 1) {
            catchUp();   // reads this one too
            return;
        }
        EntityChanged change = notice.toChangeOrNull();
        if (change == null) {
            change = ChangeLog.read(connection, notice.seq());
            stats.readFromLog();
            if (change == null) {
                dropped(notice.seq() - last, notice.seq());
                return;
            }
        }
        publish(change);
    }

    /** Publishes every change in the log after {@link #last}, counting the numbers that are missing. */
    private void catchUp() throws SQLException {
        while (true) {
            final List<EntityChanged> changes = ChangeLog.readAfter(connection, last, CATCH_UP_BATCH);
            for (final EntityChanged change : changes) {
                if (change.sequence() > last + 1) {
                    dropped(change.sequence() - last - 1, change.sequence() - 1);
                }
                publish(change);
                stats.countResynchronised();
            }
            if (changes.size() < CATCH_UP_BATCH) {
                return;
            }
        }
    }

    private void dropped(final long count, final long upTo) {
        LOG.warn("bridge of node {}: changes {} to {} are no longer in the change log; {} change(s) dropped (clients of this"
                + " node should reload)", log.node(), upTo - count + 1, upTo, count);
        stats.dropped(count, upTo);
        last = upTo;
    }

    private void publish(final EntityChanged change) {
        try {
            // The topic is the runtime's, not an agent's state (rule 6.1); publish never blocks (rule 6.2).
            runtime.publish(TodoTopics.TODO, change);
        } catch (final RuntimeStoppedException stopping) {
            LOG.debug("not publishing change {}: the runtime is shutting down", change.sequence());
        }
        last = change.sequence();
        stats.published(last);
    }

    private void lost(final AgentContext<Signal> context, final SQLException e) {
        close();
        stats.disconnected();
        failures++;
        final long delay = Math.min(MAX_BACKOFF.toMillis(), MIN_BACKOFF_MILLIS << Math.min(failures - 1, 16));
        if (failures == 1) {
            LOG.warn("bridge of node {} lost its connection to {} ({}); reconnecting", log.node(), jdbc.url(),
                    SqlFailures.shortMessage(e));
        } else {
            LOG.debug("bridge of node {}: reconnect attempt {} failed: {}", log.node(), failures, SqlFailures.shortMessage(e));
        }
        context.timers().startSingle(Signal.RECONNECT, Signal.RECONNECT, Duration.ofMillis(delay));
    }

    private void close() {
        final Connection closing = connection;
        connection = null;
        listener = null;
        if (closing != null) {
            try {
                closing.close();
            } catch (final SQLException e) {
                LOG.debug("closing the bridge's connection failed: {}", e.toString());
            }
        }
    }
}
