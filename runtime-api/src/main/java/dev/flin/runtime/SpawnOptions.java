package dev.flin.runtime;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How to spawn one agent: an optional unique name (rule 8.2), a mailbox capacity (rule 2.1), a
 * restart policy (rule 4.2) and where its callbacks run (rule 1.7).
 *
 * <p>Threading: an immutable value; the {@code with...} methods return copies.
 *
 * @param name            a unique name, or null for none
 * @param mailboxCapacity the bound of the mailbox, or 0 for the runtime's default; an
 *                        implementation may round it up (the effective value is
 *                        {@link AgentRegistry#mailboxCapacity})
 * @param restartPolicy   what to do on failure
 * @param dispatcher      where the agent's callbacks run (rule 1.7); {@link DispatcherSelector#DEFAULT}
 *                        unless chosen
 */
public record SpawnOptions(@Nullable String name, int mailboxCapacity, RestartPolicy restartPolicy, DispatcherSelector dispatcher) {

    private static final SpawnOptions DEFAULTS = new SpawnOptions(null, 0, RestartPolicy.never(), DispatcherSelector.DEFAULT);

    /**
     * Checks arguments.
     *
     * @throws NullPointerException if {@code restartPolicy} or {@code dispatcher} is null
     *
     * @param name            a unique name, or null for none
     * @param mailboxCapacity the bound of the mailbox, or 0 for the runtime's default; an implementation may
     *     round it up (the effective value is {@link AgentRegistry#mailboxCapacity})
     * @param restartPolicy   what to do on failure
     * @param dispatcher      where the agent's callbacks run (rule 1.7); {@link DispatcherSelector#DEFAULT}
     *     unless chosen
     */
    public SpawnOptions {
        Objects.requireNonNull(restartPolicy, "restartPolicy");
        Objects.requireNonNull(dispatcher, "dispatcher (use DispatcherSelector.DEFAULT for the runtime's own)");
        if (mailboxCapacity < 0) {
            throw new IllegalArgumentException("mailboxCapacity must be >= 0 (0 = default), was " + mailboxCapacity);
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("agent name must not be blank");
        }
    }

    /**
     * The options as they were before dispatchers could be chosen: on {@link DispatcherSelector#DEFAULT}.
     *
     * @param name            a unique name, or null for none
     * @param mailboxCapacity the bound of the mailbox, or 0 for the runtime's default
     * @param restartPolicy   what to do on failure
     */
    public SpawnOptions(final @Nullable String name, final int mailboxCapacity, final RestartPolicy restartPolicy) {
        this(name, mailboxCapacity, restartPolicy, DispatcherSelector.DEFAULT);
    }

    /**
     * @return no name, the default capacity, {@link RestartPolicy#never()}, {@link DispatcherSelector#DEFAULT}
     */
    public static SpawnOptions defaults() {
        return DEFAULTS;
    }

    /**
     * @param newName a unique, non-blank name
     * @return a copy with that name
     */
    public SpawnOptions withName(final String newName) {
        return new SpawnOptions(Objects.requireNonNull(newName, "name"), mailboxCapacity, restartPolicy, dispatcher);
    }

    /**
     * @param capacity the mailbox bound, at least 1
     * @return a copy with that capacity
     */
    public SpawnOptions withMailboxCapacity(final int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("mailbox capacity must be >= 1, was " + capacity);
        }
        return new SpawnOptions(name, capacity, restartPolicy, dispatcher);
    }

    /**
     * @param policy the restart policy
     * @return a copy with that policy
     */
    public SpawnOptions withRestartPolicy(final RestartPolicy policy) {
        return new SpawnOptions(name, mailboxCapacity, policy, dispatcher);
    }

    /**
     * Places the agent (rule 1.7): {@link DispatcherSelector#PINNED} for a thread of its own,
     * {@link DispatcherSelector#BLOCKING} for an agent whose callbacks block.
     *
     * @param selector where the agent's callbacks run
     * @return a copy with that placement
     * @throws NullPointerException if {@code selector} is null
     */
    public SpawnOptions withDispatcher(final DispatcherSelector selector) {
        return new SpawnOptions(name, mailboxCapacity, restartPolicy, Objects.requireNonNull(selector,
                "dispatcher (use DispatcherSelector.DEFAULT for the runtime's own)"));
    }

    /**
     * @return the name, if one was given
     */
    public Optional<String> optionalName() {
        return Optional.ofNullable(name);
    }
}
