package dev.flin.bench.threads;

import dev.flin.bench.LatencyRecorder;
import dev.flin.bench.Params;
import dev.flin.bench.Work;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import dev.flin.bench.threads.AgentThreads.Agent;
import dev.flin.bench.threads.AgentThreads.Behaviour;
import dev.flin.bench.threads.AgentThreads.Counter;
import dev.flin.bench.threads.AgentThreads.Tally;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Every scenario with one thread per agent: each agent is a thread (made by the given
 * {@link ThreadFactory}) that loops {@code take()} on its own {@link BlockingQueue} mailbox (made by
 * the given supplier) and handles the messages one at a time; a sender blocks while the mailbox is
 * full. Shared by {@link ThreadWorkloads} (platform threads, bounded {@code ArrayBlockingQueue}) and
 * the JDK 21 virtual-thread workloads (virtual threads, unbounded {@code LinkedBlockingQueue}), so
 * that the two differ only in the kind of thread and of queue.
 *
 * <p>Threading: the benchmark thread creates the agents, sends the driver's messages, waits for the
 * agents' reports and closes; each agent's behaviour runs on its own thread; the producers of
 * {@code manyToOne} are platform threads. Messages are immutable records (or constants, reused for
 * every send); agents reply by address (the {@link Agent} carried in a message or wired before the
 * agent starts) and report the end of an operation to a {@link Tally} the driver awaits.
 *
 * <p>With bounded mailboxes, a cycle of agents all blocked sending to each other's full mailboxes
 * deadlocks; in these topologies an agent's mailbox holds at most one message per other agent (plus
 * the driver's), so that cannot happen below 256 agents in {@code big} (the benchmarks use 120). A
 * send blocked for the whole deadline fails the operation with a {@link java.util.concurrent.TimeoutException}.
 *
 * <p>Open for exactly two subclasses, {@link ThreadWorkloads} and the JDK 21 virtual-thread one,
 * which only choose the threads and mailboxes (they cannot be sealed: they live in two packages of
 * an unnamed module).
 */
@SuppressWarnings("try") // close() may throw InterruptedException, as Workload#close() does
public class ThreadPerAgentWorkloads implements WorkloadFactory {

    /** Each agent's mailbox capacity where the system bounds it, except in the stream scenarios. */
    public static final int MAILBOX_CAPACITY = 256;

    private final String system;
    private final ThreadFactory agentThreads;
    private final IntFunction<? extends BlockingQueue<Object>> mailboxes;

    /**
     * @param system       the system's name, as in {@code BenchSystem#id()}
     * @param agentThreads makes each agent's thread (not started)
     * @param mailboxes    makes each agent's mailbox, given the capacity a bounded one should have
     *                     ({@code defaultCapacity}, or {@link Params#STREAM_MAILBOX_CAPACITY} for the
     *                     counter of oneToOne and manyToOne)
     */
    public ThreadPerAgentWorkloads(final String system, final ThreadFactory agentThreads,
            final IntFunction<? extends BlockingQueue<Object>> mailboxes) {
        this.system = Objects.requireNonNull(system, "system");
        this.agentThreads = Objects.requireNonNull(agentThreads, "agentThreads");
        this.mailboxes = Objects.requireNonNull(mailboxes, "mailboxes");
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        Objects.requireNonNull(params, "params");
        return create("OneToOneTell", Params.STREAM_MAILBOX_CAPACITY, agents -> new OneToOne(agents, params));
    }

    @Override
    public Workload pingPong(final Params.PingPong params, final LatencyRecorder latency) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(latency, "latency");
        return create("PingPong", agents -> new PingPong(agents, params, latency));
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        Objects.requireNonNull(params, "params");
        return create("ManyToOneTell", Params.STREAM_MAILBOX_CAPACITY, agents -> new ManyToOne(agents, params));
    }

    @Override
    public Workload manyPairs(final Params.ManyPairs params) {
        Objects.requireNonNull(params, "params");
        return create("ManyPairsEcho", agents -> new ManyPairs(agents, params));
    }

    @Override
    public Workload spawnMessageStop(final Params.SpawnMessageStop params) {
        Objects.requireNonNull(params, "params");
        return create("SpawnMessageStop", agents -> new SpawnMessageStop(agents, params));
    }

    @Override
    public Workload count(final Params.Count params) {
        Objects.requireNonNull(params, "params");
        return create("SavinaCount", agents -> new Count(agents, params));
    }

    @Override
    public Workload threadRing(final Params.ThreadRing params) {
        Objects.requireNonNull(params, "params");
        return create("SavinaThreadRing", agents -> new ThreadRing(agents, params));
    }

    @Override
    public Workload chameneos(final Params.Chameneos params) {
        Objects.requireNonNull(params, "params");
        return create("SavinaChameneos", agents -> new Chameneos(agents, params));
    }

    /** @throws IllegalArgumentException with fewer than 2 agents: an agent pings any agent but itself */
    @Override
    public Workload big(final Params.Big params) {
        Objects.requireNonNull(params, "params");
        if (params.agents() < 2) {
            throw new IllegalArgumentException("big needs at least 2 agents, was " + params.agents());
        }
        return create("SavinaBig", agents -> new Big(agents, params));
    }

    @Override
    public Workload fjThroughput(final Params.FjThroughput params) {
        Objects.requireNonNull(params, "params");
        return create("SavinaFjThroughput", agents -> new FjThroughput(agents, params));
    }

    @Override
    public AutoCloseable idleAgents(final int count) {
        if (count < 0) {
            throw new IllegalArgumentException("agents must be >= 0, was " + count);
        }
        return create("IdleFootprint", agents -> {
            for (int i = 0; i < count; i++) {
                agents.agent(IDLE);
            }
            return agents;
        });
    }

    /** Sets up a workload, then starts its threads; on failure stops what was started. */
    private <W extends AutoCloseable> W create(final String scenario, final Function<AgentThreads, W> setUp) {
        return create(scenario, MAILBOX_CAPACITY, setUp);
    }

    /** {@link #create(String, Function)} with the capacity bounded mailboxes get in this scenario. */
    private <W extends AutoCloseable> W create(final String scenario, final int capacity,
                                               final Function<AgentThreads, W> setUp) {
        final AgentThreads agents = new AgentThreads(scenario + " on " + system, agentThreads,
                () -> mailboxes.apply(capacity));
        try {
            final W workload = setUp.apply(agents);
            agents.startAll();
            return workload;
        } catch (RuntimeException | Error e) {
            agents.closeAfter(e);
            throw e;
        }
    }

    // ---------------------------------------------------------------------------------- messages

    /** Messages that carry nothing: one instance each, reused for every send. */
    private enum Signal { TICK, PONG, HELLO, OPEN, FADED, WORK }

    /** Asks a counting agent for its count, reported to {@code reply}; the count restarts at zero. */
    private record Report(Tally reply) { }

    /** Asks a counting agent for its count, sent to {@code replyTo} as a {@link Total}; it restarts at zero. */
    private record GetTotal(Agent replyTo) { }

    /** A counting agent's count. */
    private record Total(long value) { }

    /** Starts an operation; the agent reports its count to {@code done} at its end. */
    private record Start(Tally done) { }

    /** Opens a tally for {@code members} and tells each of them to start; the caller awaits it. */
    private static Start startAll(final AgentThreads agents, final Agent[] members)
            throws InterruptedException, TimeoutException {
        final Start start = new Start(agents.tally(members.length));
        for (final Agent member : members) {
            member.tell(start);
        }
        return start;
    }

    /** Answered with {@link Signal#PONG} to {@code replyTo}; each sender reuses its own instance. */
    private record Ping(Agent replyTo) { }

    /** The threadring token: passes still to make, passes made, and where the last holder reports. */
    private record Token(int remaining, long passes, Tally done) { }

    /** A creature's colour. */
    private enum Colour {
        BLUE, RED, YELLOW;

        /** Savina's rule: the same colour when both are equal, otherwise the third colour. */
        Colour complement(final Colour other) {
            if (this == other) {
                return this;
            }
            if (this != BLUE && other != BLUE) {
                return BLUE;
            }
            return this != RED && other != RED ? RED : YELLOW;
        }
    }

    /** A creature asks the mall for a meeting. */
    private record Meet(Agent creature, Colour colour) { }

    /** The mall tells a creature it met a partner of this colour. */
    private record Met(Colour partner) { }

    /** An agent that is never sent a message. */
    private static final Behaviour IDLE = message -> {
        throw AgentThreads.unexpected(message);
    };

    /** Answers every ping with a pong to its sender. */
    private static final Behaviour PONGER = message -> {
        if (!(message instanceof Ping ping)) {
            throw AgentThreads.unexpected(message);
        }
        ping.replyTo().tell(Signal.PONG);
        return true;
    };

    // ---------------------------------------------------------------------------------- behaviours

    /**
     * Counts {@link Signal#TICK}s; answers {@link Report} and {@link GetTotal} with the count and
     * starts again from zero.
     */
    private static final class Counting implements Behaviour {
        private final Counter count;

        Counting(final Counter count) {
            this.count = count;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message == Signal.TICK) {
                count.increment();
            } else if (message instanceof Report report) {
                final long total = count.get();
                count.reset();
                report.reply().report(total);
            } else if (message instanceof GetTotal getTotal) {
                final long total = count.get();
                count.reset();
                getTotal.replyTo().tell(new Total(total));
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }
    }

    /**
     * On {@link Start}, pings its ponger; on each pong, records the round trip's latency (unless
     * given {@link LatencyRecorder#NONE}) and pings again, until {@code roundTrips} round trips.
     */
    private static final class Pinger implements Behaviour {
        private final int roundTrips;
        private final LatencyRecorder latency;
        private final boolean timed;
        private final Counter trips;
        private Agent ponger;
        private Ping ping;
        private Tally done;
        private long sentAt;

        Pinger(final int roundTrips, final LatencyRecorder latency, final Counter trips) {
            this.roundTrips = roundTrips;
            this.latency = latency;
            this.timed = latency != LatencyRecorder.NONE;
            this.trips = trips;
        }

        /** Before the threads start. */
        void wire(final Agent self, final Agent ponger) {
            this.ping = new Ping(self);
            this.ponger = ponger;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message == Signal.PONG) {
                if (timed) {
                    latency.record(System.nanoTime() - sentAt);
                }
                trips.increment();
                if (trips.get() == roundTrips) {
                    done.report(trips.get());
                    done = null;
                } else {
                    ping();
                }
            } else if (message instanceof Start start) {
                done = start.done();
                trips.reset();
                ping();
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }

        private void ping() throws Exception {
            if (timed) {
                sentAt = System.nanoTime();
            }
            ponger.tell(ping);
        }
    }

    /** A pinger and its ponger; the pinger's address is returned. */
    private static Agent pair(final AgentThreads agents, final int roundTrips, final LatencyRecorder latency) {
        final Pinger behaviour = new Pinger(roundTrips, latency, agents.counter());
        final Agent pinger = agents.agent(behaviour);
        behaviour.wire(pinger, agents.agent(PONGER));
        return pinger;
    }

    // ---------------------------------------------------------------------------------- workloads

    /**
     * oneToOne: the benchmark thread tells {@code messages} ticks, then a {@link Report}, to one
     * counting agent (its own thread), which reports its count.
     */
    private static final class OneToOne implements Workload {
        private final AgentThreads agents;
        private final int messages;
        private final Agent counter;

        OneToOne(final AgentThreads agents, final Params.OneToOne params) {
            this.agents = agents;
            this.messages = params.messages();
            this.counter = agents.agent(new Counting(agents.counter()));
        }

        @Override
        public long runOnce() throws Exception {
            final Tally done = agents.tally(1);
            for (int i = 0; i < messages; i++) {
                counter.tell(Signal.TICK);
            }
            counter.tell(new Report(done));
            return agents.await(done);
        }

        @Override
        public long expected() {
            return messages;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * pingPong: the benchmark thread starts the pinger (its own thread), which exchanges
     * {@code roundTrips} ping/pongs with the ponger (its own thread), one at a time, timing each.
     */
    private static final class PingPong implements Workload {
        private final AgentThreads agents;
        private final int roundTrips;
        private final Agent pinger;

        PingPong(final AgentThreads agents, final Params.PingPong params, final LatencyRecorder latency) {
            this.agents = agents;
            this.roundTrips = params.roundTrips();
            this.pinger = pair(agents, roundTrips, latency);
        }

        @Override
        public long runOnce() throws Exception {
            final Tally done = agents.tally(1);
            pinger.tell(new Start(done));
            return agents.await(done);
        }

        @Override
        public long expected() {
            return roundTrips;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * manyToOne: {@code producers} platform threads, released together by a {@link Phaser} at the
     * start of each operation, tell ticks to one counting agent (its own thread); once all are done
     * (the phaser again) the benchmark thread tells it a {@link Report}.
     */
    private static final class ManyToOne implements Workload {
        private final AgentThreads agents;
        private final long expected;
        private final Agent counter;
        /** Parties: the producers and the benchmark thread; two phases per operation, start and end. */
        private final Phaser phaser;

        ManyToOne(final AgentThreads agents, final Params.ManyToOne params) {
            this.agents = agents;
            this.expected = params.expected();
            this.counter = agents.agent(new Counting(agents.counter()));
            this.phaser = new Phaser(params.producers() + 1);
            final int messages = params.messagesPerProducer();
            for (int p = 0; p < params.producers(); p++) {
                agents.platformThread("producer " + p, () -> produce(messages));
            }
        }

        /** On a producer thread, until closed. */
        private void produce(final int messages) throws Exception {
            while (true) {
                phaser.awaitAdvanceInterruptibly(phaser.arrive()); // the start of an operation
                for (int i = 0; i < messages; i++) {
                    counter.tell(Signal.TICK);
                }
                phaser.awaitAdvanceInterruptibly(phaser.arrive()); // every producer is done
            }
        }

        @Override
        public long runOnce() throws Exception {
            final Tally done = agents.tally(1);
            agents.arriveAndAwait(phaser, "the start of every producer");
            agents.arriveAndAwait(phaser, "the end of every producer's sends");
            counter.tell(new Report(done));
            return agents.await(done);
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * manyPairs: {@code pairs} pingers and as many pongers (one thread each), all started by the
     * benchmark thread at once; each pinger reports its round trips.
     */
    private static final class ManyPairs implements Workload {
        private final AgentThreads agents;
        private final long expected;
        private final Agent[] pingers;

        ManyPairs(final AgentThreads agents, final Params.ManyPairs params) {
            this.agents = agents;
            this.expected = params.expected();
            this.pingers = new Agent[params.pairs()];
            for (int i = 0; i < pingers.length; i++) {
                pingers[i] = pair(agents, params.roundTripsPerPair(), LatencyRecorder.NONE);
            }
        }

        @Override
        public long runOnce() throws Exception {
            return agents.await(startAll(agents, pingers).done());
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /** Handles one message, notes it, and stops: its thread ends. */
    private static final class OneShot implements Behaviour {
        /** Written by the agent's thread, read by the benchmark thread after joining it. */
        private boolean handled;

        @Override
        public boolean onMessage(final Object message) {
            if (message != Signal.HELLO) {
                throw AgentThreads.unexpected(message);
            }
            handled = true;
            return false;
        }
    }

    /**
     * spawnMessageStop: the benchmark thread starts {@code agents} new agent threads, tells each one
     * message, then joins every thread; an agent that handled its message ends its thread.
     */
    private static final class SpawnMessageStop implements Workload {
        private final AgentThreads agents;
        private final int count;
        /** The agents of the operation in progress, interrupted by close(); benchmark thread only. */
        private Agent[] inFlight = new Agent[0];

        SpawnMessageStop(final AgentThreads agents, final Params.SpawnMessageStop params) {
            this.agents = agents;
            this.count = params.agents();
        }

        @Override
        public long runOnce() throws Exception {
            final Agent[] spawned = new Agent[count];
            final OneShot[] behaviours = new OneShot[count];
            inFlight = spawned;
            for (int i = 0; i < count; i++) {
                behaviours[i] = new OneShot();
                spawned[i] = agents.detached(behaviours[i]);
                spawned[i].start();
                spawned[i].tell(Signal.HELLO);
            }
            final long deadline = System.nanoTime() + AgentThreads.DEADLINE_NANOS;
            long terminated = 0;
            for (int i = 0; i < count; i++) {
                if (!spawned[i].awaitTermination(deadline)) {
                    throw agents.timeout("agent " + i + " had not terminated after 60 s", terminated);
                }
                if (behaviours[i].handled) {
                    terminated++;
                }
            }
            inFlight = new Agent[0];
            return terminated;
        }

        @Override
        public long expected() {
            return count;
        }

        @Override
        public void close() throws Exception {
            for (final Agent agent : inFlight) {
                if (agent != null) {
                    agent.interrupt();
                }
            }
            final long deadline = System.nanoTime() + AgentThreads.DEADLINE_NANOS;
            for (final Agent agent : inFlight) {
                if (agent != null && !agent.awaitTermination(deadline)) {
                    throw agents.timeout("closing: an agent had not terminated after 60 s", 0);
                }
            }
            agents.close();
        }
    }

    /**
     * The Savina count producer: on {@link Start}, tells {@code increments} ticks and then a
     * {@link GetTotal} to the counter; reports the {@link Total} it gets back.
     */
    private static final class Producer implements Behaviour {
        private final int increments;
        private final Agent counter;
        private GetTotal getTotal;
        private Tally done;

        Producer(final int increments, final Agent counter) {
            this.increments = increments;
            this.counter = counter;
        }

        /** Before the threads start. */
        void wire(final Agent self) {
            this.getTotal = new GetTotal(self);
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message instanceof Start start) {
                done = start.done();
                for (int i = 0; i < increments; i++) {
                    counter.tell(Signal.TICK);
                }
                counter.tell(getTotal);
            } else if (message instanceof Total total) {
                done.report(total.value());
                done = null;
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }
    }

    /**
     * count (Savina): the benchmark thread starts the producer agent (its own thread), which tells
     * the counter agent (its own thread) every increment, asks for the total and reports it.
     */
    private static final class Count implements Workload {
        private final AgentThreads agents;
        private final int increments;
        private final Agent producer;

        Count(final AgentThreads agents, final Params.Count params) {
            this.agents = agents;
            this.increments = params.increments();
            final Producer behaviour = new Producer(increments, agents.agent(new Counting(agents.counter())));
            this.producer = agents.agent(behaviour);
            behaviour.wire(producer);
        }

        @Override
        public long runOnce() throws Exception {
            final Tally done = agents.tally(1);
            producer.tell(new Start(done));
            return agents.await(done);
        }

        @Override
        public long expected() {
            return increments;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /** A threadring member: counts each pass and hands the token on, or reports when none remain. */
    private static final class RingMember implements Behaviour {
        private final Counter passes;
        private Agent next;
        /** The operation of the last token seen: a token of a new one restarts the count. */
        private Tally operation;

        RingMember(final Counter passes) {
            this.passes = passes;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (!(message instanceof Token token)) {
                throw AgentThreads.unexpected(message);
            }
            if (token.done() != operation) {
                operation = token.done();
                passes.reset();
            }
            if (token.remaining() == 0) {
                token.done().report(token.passes());
            } else {
                passes.increment();
                next.tell(new Token(token.remaining() - 1, token.passes() + 1, token.done()));
            }
            return true;
        }
    }

    /**
     * threadRing (Savina): a ring of agents (one thread each); the benchmark thread gives the token
     * to agent 0; the agent that receives it with no passes remaining reports the passes it carries.
     */
    private static final class ThreadRing implements Workload {
        private final AgentThreads agents;
        private final int passes;
        private final Agent first;

        ThreadRing(final AgentThreads agents, final Params.ThreadRing params) {
            this.agents = agents;
            this.passes = params.passes();
            final RingMember[] members = new RingMember[params.agents()];
            final Agent[] ring = new Agent[members.length];
            for (int i = 0; i < ring.length; i++) {
                members[i] = new RingMember(agents.counter());
                ring[i] = agents.agent(members[i]);
            }
            for (int i = 0; i < ring.length; i++) {
                members[i].next = ring[(i + 1) % ring.length];
            }
            this.first = ring[0];
        }

        @Override
        public long runOnce() throws Exception {
            final Tally done = agents.tally(1);
            first.tell(new Token(passes, 0, done));
            return agents.await(done);
        }

        @Override
        public long expected() {
            return passes;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * The chameneos mall: holds one waiting request; pairs it with the next one, counts the meeting
     * and tells both; after {@code meetings} meetings answers every request with
     * {@link Signal#FADED}. {@link Signal#OPEN} starts an operation.
     */
    private static final class Mall implements Behaviour {
        private final int target;
        private final Counter meetings;
        private Meet waiting;

        Mall(final int target, final Counter meetings) {
            this.target = target;
            this.meetings = meetings;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message instanceof Meet meet) {
                if (meetings.get() == target) {
                    meet.creature().tell(Signal.FADED);
                } else if (waiting == null) {
                    waiting = meet;
                } else {
                    meetings.increment();
                    waiting.creature().tell(new Met(meet.colour()));
                    meet.creature().tell(new Met(waiting.colour()));
                    // After the last meeting nothing waits: every later request, one per creature, fades.
                    waiting = null;
                }
            } else if (message == Signal.OPEN) {
                meetings.reset();
                waiting = null;
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }
    }

    /**
     * A chameneos creature: asks the mall for a meeting; on each meeting counts it, takes the
     * complement colour and asks again; when faded, reports its meetings.
     */
    private static final class Creature implements Behaviour {
        private final Colour initial;
        private final Agent mall;
        private Agent self;
        private Colour colour;
        private long met;
        private Tally done;

        Creature(final Colour initial, final Agent mall) {
            this.initial = initial;
            this.mall = mall;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message instanceof Met partner) {
                met++;
                colour = colour.complement(partner.partner());
                mall.tell(new Meet(self, colour));
            } else if (message == Signal.FADED) {
                done.report(met);
                done = null;
            } else if (message instanceof Start start) {
                done = start.done();
                met = 0;
                colour = initial;
                mall.tell(new Meet(self, colour));
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }
    }

    /**
     * chameneos (Savina): one mall agent and {@code creatures} creature agents (one thread each); the
     * benchmark thread opens the mall and starts every creature; each creature reports when faded.
     */
    private static final class Chameneos implements Workload {
        private final AgentThreads agents;
        private final long expected;
        private final Agent mall;
        private final Agent[] creatures;

        Chameneos(final AgentThreads agents, final Params.Chameneos params) {
            this.agents = agents;
            this.expected = params.expected();
            this.mall = agents.agent(new Mall(params.meetings(), agents.counter()));
            this.creatures = new Agent[params.creatures()];
            final Colour[] colours = Colour.values();
            for (int i = 0; i < creatures.length; i++) {
                final Creature creature = new Creature(colours[i % colours.length], mall);
                creatures[i] = agents.agent(creature);
                creature.self = creatures[i];
            }
        }

        @Override
        public long runOnce() throws Exception {
            mall.tell(Signal.OPEN);
            return agents.await(startAll(agents, creatures).done());
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * A Savina big member: pings an agent picked by its own {@link SplittableRandom} (seeded with its
     * index at each start), pings again on each pong until {@code pings} pongs, then reports; answers
     * every ping with a pong.
     */
    private static final class BigMember implements Behaviour {
        private final int index;
        private final int pings;
        private final Counter pongs;
        private Agent[] all;
        private Ping ping;
        private SplittableRandom random;
        private Tally done;

        BigMember(final int index, final int pings, final Counter pongs) {
            this.index = index;
            this.pings = pings;
            this.pongs = pongs;
        }

        @Override
        public boolean onMessage(final Object message) throws Exception {
            if (message instanceof Ping other) {
                other.replyTo().tell(Signal.PONG);
            } else if (message == Signal.PONG) {
                pongs.increment();
                if (pongs.get() == pings) {
                    done.report(pongs.get());
                    done = null;
                } else {
                    ping();
                }
            } else if (message instanceof Start start) {
                done = start.done();
                pongs.reset();
                random = new SplittableRandom(index);
                ping();
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }

        private void ping() throws Exception {
            int target = random.nextInt(all.length - 1);
            if (target >= index) {
                target++;
            }
            all[target].tell(ping);
        }
    }

    /**
     * big (Savina): {@code agents} agents (one thread each) that all know each other; the benchmark
     * thread starts each; each reports its pongs.
     */
    private static final class Big implements Workload {
        private final AgentThreads agents;
        private final long expected;
        private final Agent[] all;

        Big(final AgentThreads agents, final Params.Big params) {
            this.agents = agents;
            this.expected = params.expected();
            this.all = new Agent[params.agents()];
            final BigMember[] members = new BigMember[all.length];
            for (int i = 0; i < all.length; i++) {
                members[i] = new BigMember(i, params.pingsPerAgent(), agents.counter());
                all[i] = agents.agent(members[i]);
            }
            for (int i = 0; i < all.length; i++) {
                members[i].all = all;
                members[i].ping = new Ping(all[i]);
            }
        }

        @Override
        public long runOnce() throws Exception {
            return agents.await(startAll(agents, all).done());
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }

    /**
     * A fjthrput member: folds {@code Work.compute(i)} into its state for its i-th message of the
     * operation (the driver's messages arrive in order, so the agent's own count is i), and reports
     * after {@code messages} messages.
     */
    private static final class FjMember implements Behaviour {
        private final int messages;
        private final Counter processed;
        /** Folded, so that the work cannot be dropped. */
        @SuppressWarnings("UnusedVariable") // written only: a heap store the JIT must keep
        private long state;
        private Tally done;

        FjMember(final int messages, final Counter processed) {
            this.messages = messages;
            this.processed = processed;
        }

        @Override
        public boolean onMessage(final Object message) {
            if (message == Signal.WORK) {
                state ^= Work.compute(processed.get());
                processed.increment();
                if (processed.get() == messages) {
                    done.report(processed.get());
                    done = null;
                }
            } else if (message instanceof Start start) {
                done = start.done();
                processed.reset();
            } else {
                throw AgentThreads.unexpected(message);
            }
            return true;
        }
    }

    /**
     * fjThroughput (Savina): {@code agents} agents (one thread each); the benchmark thread starts
     * each, then tells the agents one message each in turn, {@code messagesPerAgent} rounds.
     */
    private static final class FjThroughput implements Workload {
        private final AgentThreads agents;
        private final long expected;
        private final int messagesPerAgent;
        private final Agent[] all;

        FjThroughput(final AgentThreads agents, final Params.FjThroughput params) {
            this.agents = agents;
            this.expected = params.expected();
            this.messagesPerAgent = params.messagesPerAgent();
            this.all = new Agent[params.agents()];
            for (int i = 0; i < all.length; i++) {
                all[i] = agents.agent(new FjMember(messagesPerAgent, agents.counter()));
            }
        }

        @Override
        public long runOnce() throws Exception {
            final Start start = startAll(agents, all);
            for (int i = 0; i < messagesPerAgent; i++) {
                for (final Agent agent : all) {
                    agent.tell(Signal.WORK);
                }
            }
            return agents.await(start.done());
        }

        @Override
        public long expected() {
            return expected;
        }

        @Override
        public void close() throws Exception {
            agents.close();
        }
    }
}
