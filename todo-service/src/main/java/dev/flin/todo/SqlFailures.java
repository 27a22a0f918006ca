package dev.flin.todo;

import java.sql.SQLException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * What a database error means for the {@link TodoStore}, decided by its SQLState (the standard
 * classes of SQL:2016 and PostgreSQL, and H2's own codes, which H2 uses as SQLStates):
 *
 * <ul>
 *   <li>class 22 (data exception): the request's data cannot be stored: {@link Kind#DATA}, 400;
 *   <li>class 23 (integrity constraint violation): the request conflicts with what is stored:
 *       {@link Kind#CONSTRAINT}, 409;
 *   <li>class 08 (connection exception), or any other error after which the connection is no
 *       longer valid: {@link Kind#CONNECTION_LOST}, the only kind that fails the store so that its
 *       restart policy opens a new connection;
 *   <li>anything else (a read-only database, PostgreSQL's 25006 or H2's 90097; a full disk; an I/O
 *       error): {@link Kind#UNAVAILABLE}, 503. Restarting would not help: the next connection would
 *       meet the same database.
 * </ul>
 *
 * The reasons are written for clients: they name the problem and never carry the SQL text that
 * some drivers (H2) put in their messages.
 *
 * <p>Threading: stateless; any thread. The connection check it is given is called on the caller's
 * thread (the store's), at most once.
 */
final class SqlFailures {

    /** What the store does with a failure. */
    enum Kind {
        /** The request's data cannot be stored (SQLState class 22): 400; the store goes on. */
        DATA(400),
        /** The request breaks an integrity constraint (SQLState class 23): 409; the store goes on. */
        CONSTRAINT(409),
        /** The connection is gone: the request fails (500) and the store fails, to be restarted with a new connection. */
        CONNECTION_LOST(500),
        /** The database cannot do it now (read-only, disk full, ...): 503; the store goes on. */
        UNAVAILABLE(503);

        private final int status;

        Kind(final int status) {
            this.status = status;
        }

        /** @return the HTTP status a request failing this way answers */
        int status() {
            return status;
        }
    }

    /**
     * One classified failure.
     *
     * @param kind what it means
     * @param sqlState the SQLState found, or {@code "(none)"}
     * @param reason a short reason for clients, without SQL text
     */
    record Failure(Kind kind, String sqlState, String reason) {
        /** Checks arguments. */
        Failure {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(sqlState, "sqlState");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private static final int MAX_REASON = 160;

    private SqlFailures() {
    }

    /**
     * @param e the database's error
     * @param connectionValid whether the connection still works; asked only when the SQLState does
     *     not settle it (not class 22, 23 or 08)
     * @return what the error means
     */
    static Failure classify(final SQLException e, final BooleanSupplier connectionValid) {
        Objects.requireNonNull(e, "e");
        Objects.requireNonNull(connectionValid, "connectionValid");
        final String state = sqlState(e);
        if (state.startsWith("22")) {
            return new Failure(Kind.DATA, state, dataReason(state));
        }
        if (state.startsWith("23")) {
            return new Failure(Kind.CONSTRAINT, state, constraintReason(state));
        }
        if (state.startsWith("08")) {
            return new Failure(Kind.CONNECTION_LOST, state, "the connection to the database was lost (SQLState " + state + ")");
        }
        if (!connectionValid.getAsBoolean()) {
            return new Failure(Kind.CONNECTION_LOST, state, "the connection to the database is no longer valid after: "
                    + shortMessage(e) + " (SQLState " + state + ")");
        }
        return new Failure(Kind.UNAVAILABLE, state, unavailableReason(state, e));
    }

    /** @return the first SQLState in the exception, its chained exceptions and its causes; {@code "(none)"} if none has one */
    static String sqlState(final SQLException e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 16; depth++) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null && !sql.getSQLState().isBlank()) {
                    return sql.getSQLState().strip().toUpperCase(Locale.ROOT);
                }
                t = sql.getNextException() != null ? sql.getNextException() : sql.getCause();
            } else {
                t = t.getCause();
            }
        }
        return "(none)";
    }

    private static String dataReason(final String state) {
        final String what = switch (state) {
            case "22001" -> "a value is too long for its column";
            case "22021", "22P05" -> "a value has a character the database cannot store";
            case "22003" -> "a number is out of range";
            case "22007", "22008" -> "a date or time is not valid";
            case "22004" -> "a value is missing";
            default -> "the database cannot store a value as given";
        };
        return what + " (SQLState " + state + ")";
    }

    private static String constraintReason(final String state) {
        final String what = switch (state) {
            case "23505" -> "a value that must be unique is already taken";
            case "23502" -> "a required value is missing";
            case "23503" -> "a value refers to something that does not exist";
            case "23513", "23514" -> "a value breaks a check of the database";
            default -> "the change breaks an integrity constraint of the database";
        };
        return what + " (SQLState " + state + ")";
    }

    private static String unavailableReason(final String state, final SQLException e) {
        final String what = switch (state) {
            case "25006", "90097" -> "the database is read-only";
            case "53100" -> "the database's disk is full";
            case "53200" -> "the database is out of memory";
            case "57P03" -> "the database is starting up or shutting down";
            default -> shortMessage(e);
        };
        return what + " (SQLState " + state + ")";
    }

    /**
     * @return the exception's message cut to one short line: without the SQL statement H2 appends
     *     ({@code "; SQL statement: ..."}), H2's {@code [90097-232]} code suffix and PostgreSQL's
     *     {@code "ERROR: "} prefix; at most {@value #MAX_REASON} characters
     */
    static String shortMessage(final SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        final int sql = message.indexOf("; SQL statement:");
        if (sql >= 0) {
            message = message.substring(0, sql);
        }
        final int newline = message.indexOf('\n');
        if (newline >= 0) {
            message = message.substring(0, newline);
        }
        message = message.replaceFirst("\\s*\\[\\d+-\\d+]\\s*$", "").replaceFirst("^ERROR:\\s*", "").strip();
        if (message.isEmpty()) {
            message = e.getClass().getSimpleName();
        }
        return message.length() <= MAX_REASON ? message : message.substring(0, MAX_REASON) + "...";
    }
}
