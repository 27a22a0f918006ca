package dev.flin.bench.footprint;

import dev.flin.bench.BenchSystem;
import dev.flin.bench.WorkloadFactory;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Objects;

/**
 * Measures the heap one idle agent holds on one system: {@code IdleFootprint <system> <agents>}.
 *
 * <p>Meant to run alone in a fresh JVM with a fixed heap and a stop-the-world collector (the
 * baseline report starts it with {@code -Xms4g -Xmx4g -XX:+UseParallelGC}), so that
 * {@link System#gc()} is a full collection and the used heap after it is the live data. It keeps
 * one idle agent alive and reads the settled used heap, closes it, then keeps {@code agents} idle
 * agents alive and reads it again: the difference over {@code agents - 1} is the heap per agent,
 * with the runtime's own fixed cost (started for each call) and the loaded classes cancelled out.
 * Native memory (thread stacks, direct buffers) is not on the heap and is not counted.
 *
 * <p>Prints one line on standard output, {@code bytesPerAgent=<double> agents=<n> system=<id>},
 * details on standard error, and exits with 0; on failure prints the exception and exits with 1
 * (2 for bad arguments). Exits explicitly so that a runtime that leaves a thread behind cannot keep
 * the JVM alive.
 *
 * <p>Threading: everything runs on the main thread; the agents run wherever their system runs them.
 */
public final class IdleFootprint {

    /** Full collections at most, while waiting for the used heap to settle. */
    private static final int MAX_GC_ROUNDS = 20;
    /** Two consecutive readings this close count as settled. */
    private static final long SETTLED_BYTES = 64 * 1024;

    private IdleFootprint() {
    }

    /**
     * @param args {@code <system> <agents>}
     */
    public static void main(final String[] args) {
        if (args.length != 2) {
            System.err.println("usage: IdleFootprint <system> <agents>   (agents >= 2)");
            System.exit(2);
            return;
        }
        final String system = args[0];
        final int agents;
        try {
            agents = Integer.parseInt(args[1]);
            if (agents < 2) {
                throw new NumberFormatException("must be >= 2");
            }
        } catch (NumberFormatException e) {
            System.err.println("agents must be a whole number >= 2, was '" + args[1] + "'");
            System.exit(2);
            return;
        }
        int status = 0;
        try {
            final double bytesPerAgent = measure(BenchSystem.byId(system).factory(), agents);
            System.out.println(line(bytesPerAgent, agents, system));
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * @param bytesPerAgent heap bytes per idle agent
     * @param agents        agents measured
     * @param system        the system's id
     * @return the machine-readable result line
     */
    public static String line(final double bytesPerAgent, final int agents, final String system) {
        return "bytesPerAgent=" + bytesPerAgent + " agents=" + agents + " system=" + Objects.requireNonNull(system, "system");
    }

    /**
     * @param factory the system's workloads
     * @param agents  idle agents to measure, at least 2
     * @return heap bytes per idle agent
     * @throws Exception when the agents cannot be started or stopped
     */
    public static double measure(final WorkloadFactory factory, final int agents) throws Exception {
        Objects.requireNonNull(factory, "factory");
        if (agents < 2) {
            throw new IllegalArgumentException("agents must be >= 2, was " + agents);
        }
        final long before = settledUsedHeap();
        final long withOne;
        final AutoCloseable one = factory.idleAgents(1);
        try {
            withOne = settledUsedHeap();
        } finally {
            Reference.reachabilityFence(one);
            one.close();
        }
        final long withMany;
        final AutoCloseable many = factory.idleAgents(agents);
        try {
            withMany = settledUsedHeap();
        } finally {
            Reference.reachabilityFence(many);
            many.close();
        }
        final double perAgent = (withMany - withOne) / (double) (agents - 1);
        System.err.printf(Locale.ROOT, "%s: used heap %,d B at start, %,d B with 1 idle agent, %,d B with %,d: %.1f B per agent%n",
                factory.system(), before, withOne, withMany, agents, perAgent);
        return perAgent;
    }

    /**
     * @return the live heap once full collections no longer change it (or after
     *         {@value #MAX_GC_ROUNDS} of them)
     */
    static long settledUsedHeap() {
        long previous = -1;
        for (int round = 0; round < MAX_GC_ROUNDS; round++) {
            System.gc();
            final long used = heapAfterLastCollection();
            if (previous >= 0 && Math.abs(used - previous) <= SETTLED_BYTES) {
                return used;
            }
            previous = used;
        }
        return previous;
    }

    /**
     * The heap in use just after the last collection of each heap pool, summed. Reading the used
     * heap a moment after {@link System#gc()} instead would count the thread-local allocation
     * buffers handed out since, which are tens of megabytes of a large eden: noise far above what a
     * thousand agents hold.
     *
     * @return bytes
     */
    private static long heapAfterLastCollection() {
        long used = 0;
        for (final MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() != MemoryType.HEAP) {
                continue;
            }
            final MemoryUsage afterGc = pool.getCollectionUsage();
            used += (afterGc != null ? afterGc : pool.getUsage()).getUsed();
        }
        return used;
    }
}
