package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The classification of database errors by SQLState, over synthetic exceptions as the drivers throw them. */
class SqlFailuresTest {

    private static final BooleanSupplier VALID = () -> true;
    private static final BooleanSupplier LOST = () -> false;

    private static SqlFailures.Failure classify(final String message, final String state, final BooleanSupplier valid) {
        return SqlFailures.classify(new SQLException(message, state), valid);
    }

    @Test
    void dataExceptionsAre400AndDoNotAskAboutTheConnection() {
        final SqlFailures.Failure tooLong = SqlFailures.classify(new SQLException(
                "Value too long for column \"TITLE CHARACTER VARYING(200)\": \"'secret title' (201)\"; SQL statement:\n"
                        + "INSERT INTO todo (title) VALUES (?) [22001-232]", "22001"), neverAsked());
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.DATA, "22001", "a value is too long for its column (SQLState 22001)"),
                tooLong);
        assertEquals(400, tooLong.kind().status());
        assertEquals(SqlFailures.Kind.DATA, SqlFailures.classify(
                new SQLException("ERROR: invalid byte sequence for encoding \"UTF8\": 0x00", "22021"), neverAsked()).kind());
    }

    @Test
    void integrityConstraintViolationsAre409() {
        final SqlFailures.Failure duplicate = SqlFailures.classify(new SQLException(
                "ERROR: duplicate key value violates unique constraint \"todo_pkey\"\n  Detail: Key (id)=(7) already exists.",
                "23505"), neverAsked());
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.CONSTRAINT, "23505",
                "a value that must be unique is already taken (SQLState 23505)"), duplicate);
        assertEquals(409, duplicate.kind().status());
    }

    @Test
    void connectionExceptionsAreALostConnectionWhateverTheConnectionCheckSays() {
        final SqlFailures.Failure lost = SqlFailures.classify(
                new SQLException("An I/O error occurred while sending to the backend.", "08006"), neverAsked());
        assertEquals(SqlFailures.Kind.CONNECTION_LOST, lost.kind());
        assertEquals("the connection to the database was lost (SQLState 08006)", lost.reason());
    }

    @Test
    void aReadOnlyDatabaseIs503WithAShortReasonOnPostgresqlAndH2() {
        final SqlFailures.Failure postgres = classify("ERROR: cannot execute INSERT in a read-only transaction", "25006", VALID);
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.UNAVAILABLE, "25006", "the database is read-only (SQLState 25006)"),
                postgres);
        assertEquals(503, postgres.kind().status());
        final SqlFailures.Failure h2 = classify("The database is read only; SQL statement:\nINSERT INTO todo (title) VALUES (?)"
                + " [90097-232]", "90097", VALID);
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.UNAVAILABLE, "90097", "the database is read-only (SQLState 90097)"), h2);
    }

    @Test
    void anyOtherErrorIs503ItsMessageWithoutTheSqlUnlessTheConnectionIsGone() {
        final SqlFailures.Failure other = classify("General error: \"java.io.IOException: No space left on device\"; SQL statement:\n"
                + "INSERT INTO todo (title, completed) VALUES (?, ?) [50000-232]", "HY000", VALID);
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.UNAVAILABLE, "HY000",
                "General error: \"java.io.IOException: No space left on device\" (SQLState HY000)"), other);
        assertFalse(other.reason().contains("INSERT"), other.reason());

        final SqlFailures.Failure closed = classify("Database is already closed [90121-232]", "90121", LOST);
        assertEquals(SqlFailures.Kind.CONNECTION_LOST, closed.kind(), "an error after which the connection no longer works");
        assertTrue(closed.reason().contains("Database is already closed"), closed.reason());
        assertEquals(SqlFailures.Kind.CONNECTION_LOST, classify("terminating connection due to administrator command", "57P01", LOST)
                .kind());
        assertEquals(SqlFailures.Kind.UNAVAILABLE, classify("could not extend file: No space left on device", "53100", VALID).kind());
    }

    @Test
    void theConnectionIsCheckedAtMostOnceAndOnlyWhenTheStateDoesNotSettleIt() {
        final AtomicInteger checks = new AtomicInteger();
        SqlFailures.classify(new SQLException("x", "HY000"), () -> checks.incrementAndGet() > 0);
        assertEquals(1, checks.get());
        SqlFailures.classify(new SQLException("x", "23505"), () -> checks.incrementAndGet() > 0);
        SqlFailures.classify(new SQLException("x", "08003"), () -> checks.incrementAndGet() > 0);
        assertEquals(1, checks.get());
    }

    @Test
    void theStateIsFoundInChainedExceptionsAndCausesAndIsOtherwiseUnknown() {
        final BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", null, 0, new int[0], null);
        batch.setNextException(new SQLException("ERROR: value too long for type character varying(200)", "22001"));
        assertEquals("22001", SqlFailures.sqlState(batch));
        assertEquals("23505", SqlFailures.sqlState(new SQLException("wrapped", null, new SQLException("cause", "23505"))));
        final SqlFailures.Failure unknown = SqlFailures.classify(new SQLException("no state at all"), VALID);
        assertEquals(new SqlFailures.Failure(SqlFailures.Kind.UNAVAILABLE, "(none)", "no state at all (SQLState (none))"), unknown);
    }

    @Test
    void longMessagesAreCut() {
        final String reason = classify("x".repeat(500), "HY000", VALID).reason();
        assertTrue(reason.length() < 200, reason);
    }

    private static BooleanSupplier neverAsked() {
        return () -> {
            throw new AssertionError("the SQLState settles it: the connection need not be checked");
        };
    }
}
