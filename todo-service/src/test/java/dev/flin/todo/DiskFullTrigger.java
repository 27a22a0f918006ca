package dev.flin.todo;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/**
 * An H2 trigger that fails every row it fires for with SQLState 53100 (disk full), as a database
 * whose disk filled up would: {@link TodoStoreH2Test} installs it on the todo table.
 *
 * <p>Threading: stateless; H2 calls it on the thread of the statement that fires it.
 */
public final class DiskFullTrigger implements Trigger {

    @Override
    public void fire(final Connection connection, final Object[] oldRow, final Object[] newRow) throws SQLException {
        throw new SQLException("No space left on device (simulated by the test's trigger)", "53100");
    }
}
