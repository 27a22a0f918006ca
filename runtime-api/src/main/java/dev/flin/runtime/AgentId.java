package dev.flin.runtime;

/**
 * The identity of one spawned agent. Ids are assigned by the runtime at spawn and are never reused
 * by that runtime (rule 3.8), so a stale id can only ever answer {@link AgentNotFoundException}.
 *
 * <p>Threading: an immutable value; safe to share between any threads.
 *
 * @param value a positive number, unique within one runtime
 */
public record AgentId(long value) implements Comparable<AgentId> {

    /**
     * Checks the value is positive.
     *
     * @param value a positive number, unique within one runtime
     */
    public AgentId {
        if (value <= 0) {
            throw new IllegalArgumentException("agent id must be positive, was " + value);
        }
    }

    @Override
    public int compareTo(final AgentId other) {
        return Long.compare(value, other.value);
    }

    @Override
    public String toString() {
        return "agent-" + value;
    }
}
