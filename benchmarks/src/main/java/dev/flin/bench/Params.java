package dev.flin.bench;

/**
 * The parameters of each scenario, and the count of work units each one must produce.
 *
 * <p>Each record is one scenario's whole configuration; {@code expected()} is what
 * {@link Workload#runOnce()} must return. The benchmarks fix the standard sizes; the build's smoke
 * test runs every scenario with tiny ones.
 */
public final class Params {

    /**
     * The mailbox of the agent that counts in {@code OneToOneTell} and {@code ManyToOneTell}, on
     * every system that bounds its mailboxes (FLIN, platform threads' {@code ArrayBlockingQueue}), and
     * the raw Disruptor's ring: one size for all, so that the rows compare the machinery around the
     * ring, not the ring's size. (With FLIN's default of 256 the sender of OneToOneTell found the
     * mailbox full so often that it ran in lockstep with the agent, one freed slot at a time: 30 M
     * against 8-13 M messages/s on the default pool, on 2 cores.)
     */
    public static final int STREAM_MAILBOX_CAPACITY = 1024;

    private Params() {
    }

    private static int positive(final int value, final String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, was " + value);
        }
        return value;
    }

    /**
     * One sender thread tells {@code messages} messages to one agent; the agent counts them.
     *
     * @param messages messages per operation
     */
    public record OneToOne(int messages) {
        public OneToOne {
            positive(messages, "messages");
        }

        /** @return messages the agent must have processed */
        public long expected() {
            return messages;
        }
    }

    /**
     * A pinger agent and a ponger agent exchange {@code roundTrips} ping/pong pairs, one at a time.
     *
     * @param roundTrips round trips per operation
     */
    public record PingPong(int roundTrips) {
        public PingPong {
            positive(roundTrips, "roundTrips");
        }

        /** @return round trips the pinger must have completed */
        public long expected() {
            return roundTrips;
        }
    }

    /**
     * {@code producers} threads each tell {@code messagesPerProducer} messages to one agent.
     *
     * @param producers           producer threads
     * @param messagesPerProducer messages each producer sends per operation
     */
    public record ManyToOne(int producers, int messagesPerProducer) {
        public ManyToOne {
            positive(producers, "producers");
            positive(messagesPerProducer, "messagesPerProducer");
        }

        /** @return messages the agent must have processed */
        public long expected() {
            return (long) producers * messagesPerProducer;
        }
    }

    /**
     * {@code pairs} pairs of agents, each pair exchanging {@code roundTripsPerPair} ping/pong round
     * trips, all pairs at once (many more agents than cores).
     *
     * @param pairs             pairs of agents
     * @param roundTripsPerPair round trips per pair per operation
     */
    public record ManyPairs(int pairs, int roundTripsPerPair) {
        public ManyPairs {
            positive(pairs, "pairs");
            positive(roundTripsPerPair, "roundTripsPerPair");
        }

        /** @return round trips completed over all pairs */
        public long expected() {
            return (long) pairs * roundTripsPerPair;
        }
    }

    /**
     * {@code agents} times: spawn an agent, deliver one message to it, and it stops itself after
     * handling it. The operation ends when every one of them has terminated.
     *
     * @param agents agents per operation
     */
    public record SpawnMessageStop(int agents) {
        public SpawnMessageStop {
            positive(agents, "agents");
        }

        /** @return agents that handled their message and terminated */
        public long expected() {
            return agents;
        }
    }

    /**
     * Savina "count": a producer agent sends {@code increments} increment messages to a counter
     * agent, then asks it for the total.
     *
     * @param increments increments per operation
     */
    public record Count(int increments) {
        public Count {
            positive(increments, "increments");
        }

        /** @return the counter's total as reported back to the producer */
        public long expected() {
            return increments;
        }
    }

    /**
     * Savina "threadring": {@code agents} agents in a ring pass one token {@code passes} times.
     *
     * @param agents agents in the ring
     * @param passes passes of the token per operation
     */
    public record ThreadRing(int agents, int passes) {
        public ThreadRing {
            positive(agents, "agents");
            positive(passes, "passes");
        }

        /** @return passes counted by the agents */
        public long expected() {
            return passes;
        }
    }

    /**
     * Savina "chameneos": {@code creatures} creature agents meet through one broker (the mall)
     * until {@code meetings} meetings have happened.
     *
     * @param creatures creature agents
     * @param meetings  meetings per operation
     */
    public record Chameneos(int creatures, int meetings) {
        public Chameneos {
            positive(creatures, "creatures");
            positive(meetings, "meetings");
            if (creatures < 2) {
                throw new IllegalArgumentException("creatures must be >= 2, was " + creatures);
            }
        }

        /** @return the sum of the meetings every creature took part in (each meeting counts twice) */
        public long expected() {
            return 2L * meetings;
        }
    }

    /**
     * Savina "big": {@code agents} agents each send {@code pingsPerAgent} pings, one at a time, to
     * agents picked at random (seeded), and wait for each pong before the next ping.
     *
     * @param agents        agents
     * @param pingsPerAgent pings each agent sends per operation
     */
    public record Big(int agents, int pingsPerAgent) {
        public Big {
            positive(agents, "agents");
            positive(pingsPerAgent, "pingsPerAgent");
        }

        /** @return pongs received over all agents */
        public long expected() {
            return (long) agents * pingsPerAgent;
        }
    }

    /**
     * Savina "fjthrput": the driver sends {@code messagesPerAgent} messages to each of
     * {@code agents} agents; each message does the same small computation,
     * {@link Work#compute(long)}.
     *
     * @param agents           agents
     * @param messagesPerAgent messages per agent per operation
     */
    public record FjThroughput(int agents, int messagesPerAgent) {
        public FjThroughput {
            positive(agents, "agents");
            positive(messagesPerAgent, "messagesPerAgent");
        }

        /** @return messages processed over all agents */
        public long expected() {
            return (long) agents * messagesPerAgent;
        }
    }
}
