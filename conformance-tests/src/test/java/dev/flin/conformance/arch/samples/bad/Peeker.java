package dev.flin.conformance.arch.samples.bad;

/** Reads an agent's field from outside the agent (a data race). */
public final class Peeker {
    private Peeker() {
    }

    /**
     * @param agent an agent instance the caller kept
     * @return its state, read from the wrong thread
     */
    public static int peek(final PeekedAgent agent) {
        return agent.handled;
    }
}
