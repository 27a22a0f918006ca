package dev.flin.bench.pekko;

/**
 * IdleFootprint on Pekko: {@code agents} anonymous actors with an empty behavior, children of the
 * guardian, spawned in batches and never sent a message. Closing terminates the actor system, which
 * stops them all, and waits until it has terminated.
 *
 * <pre>
 * benchmark thread --SpawnIdle(batch)--&gt; guardian --spawns--&gt; idle actor x agents
 * </pre>
 *
 * <p>Threading: the guardian spawns on the default dispatcher; the idle actors never run.
 */
final class IdleAgents implements AutoCloseable {

    private static final String SCENARIO = "IdleFootprint";
    /** Actors spawned per request to the guardian. */
    private static final int BATCH = 10_000;

    private final PekkoSystem system;

    private IdleAgents(final PekkoSystem system, final int agents) throws Exception {
        this.system = system;
        int spawned = 0;
        while (spawned < agents) {
            spawned += system.spawnIdle(Math.min(BATCH, agents - spawned));
        }
    }

    /**
     * @param agents idle actors to keep alive, at least 1
     * @return a handle that stops them all
     * @throws IllegalArgumentException when {@code agents} is less than 1
     */
    static AutoCloseable start(final int agents) {
        if (agents < 1) {
            throw new IllegalArgumentException("agents must be >= 1, was " + agents);
        }
        return PekkoSystem.build(SCENARIO, system -> new IdleAgents(system, agents));
    }

    @Override
    public void close() throws Exception {
        system.close();
    }
}
