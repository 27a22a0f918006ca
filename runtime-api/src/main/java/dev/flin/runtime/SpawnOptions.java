package dev.flin.runtime;

import java.util.Objects;
import java.util.Optional;

/**
 * How to spawn one agent: an optional unique name (rule 8.2), a mailbox capacity (rule 2.1) and a
 * restart policy (rule 4.2).
 *
 * <p>Threading: an immutable value; the {@code with...} methods return copies.
 *
 * @param name            a unique name, or null for none
 * @param mailboxCapacity the bound of the mailbox, or 0 for the runtime's default; an
 *                        implementation may round it up (the effective value is
 *                        {@link AgentRegistry#mailboxCapacity})
 * @param restartPolicy   what to do on failure
 */
public record SpawnOptions(String name, int mailboxCapacity, RestartPolicy restartPolicy) {

    private static final SpawnOptions DEFAULTS = new SpawnOptions(null, 0, RestartPolicy.never());

    /** Checks arguments. */
    public SpawnOptions {
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        if (mailboxCapacity < 0) {
            throw new IllegalArgumentException("mailboxCapacity must be >= 0 (0 = default), was " + mailboxCapacity);
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("agent name must not be blank");
        }
    }

    /**
     * @return no name, the default capacity, {@link RestartPolicy#never()}
     */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param newName a unique, non-blank name
     * @return a copy with that name
     */
    public SpawnOptions withName(final String newName) {
        return new SpawnOptions(Objects.requireNonNull(newName, "name"), mailboxCapacity, restartPolicy);
    }

    /**
     * @param capacity the mailbox bound, at least 1
     * @return a copy with that capacity
     */
    public SpawnOptions withMailboxCapacity(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be >= 1, was " + capacity);
        }
        return new SpawnOptions(name, capacity, restartPolicy);
    }

    /**
     * @param policy the restart policy
     * @return a copy with that policy
     */
    public SpawnOptions withRestartPolicy(final RestartPolicy policy) {
        return new SpawnOptions(name, mailboxCapacity, policy);
    }

    /**
     * @return the name, if one was given
     */
    public Optional<String> optionalName() {
        return Optional.ofNullable(name);
    }
}
