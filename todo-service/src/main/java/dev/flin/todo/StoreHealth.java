package dev.flin.todo;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@link TodoStore}'s answer to {@link TodoCommand.Ping}: its connection works, and whether it
 * can write.
 *
 * <p>Threading: an immutable value (rule 1.5).
 *
 * @param database the database's product name, e.g. {@code H2} or {@code PostgreSQL}
 * @param problem why the store cannot write (the database is read-only, or the last write failed
 *     and none has succeeded since), or null if it can
 */
public record StoreHealth(String database, String problem) {

    /** Checks arguments. */
    public StoreHealth {
        Objects.requireNonNull(database, "database");
    }

    /** @return whether the store can read and write */
    public boolean up() {
        return problem == null;
    }

    /** @return {@link #problem()}, if any */
    public Optional<String> problemIfAny() {
        return Optional.ofNullable(problem);
    }
}
