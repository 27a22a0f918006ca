package dev.flin.bench;

import dev.flin.bench.disruptor.DisruptorWorkloads;
import dev.flin.bench.flin.FlinPlacedWorkloads;
import dev.flin.bench.flin.FlinWorkloads;
import dev.flin.bench.pekko.PekkoWorkloads;
import dev.flin.bench.threads.ThreadWorkloads;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The systems compared, by the names the benchmarks' {@code system} parameter takes.
 *
 * <p>Ours runs once per idle strategy it offers, so every figure says which strategy it used.
 */
public enum BenchSystem {
    /** FLIN, default worker pool (one worker per core), spin-yield-park backoff (the default). */
    FLIN_BACKOFF("flin-backoff"),
    /** FLIN, default worker pool, idle workers yield. */
    FLIN_YIELDING("flin-yielding"),
    /** FLIN, default worker pool, idle workers busy-spin. */
    FLIN_BUSYSPIN("flin-busyspin"),
    /** FLIN, default worker pool, idle workers park until woken. */
    FLIN_PARKING("flin-parking"),
    /**
     * FLIN, default worker pool (spin-yield-park), the measured agent on {@code PINNED}: a thread of
     * its own (rule 1.7). One-to-one and many-to-one scenarios only.
     */
    FLIN_PINNED("flin-pinned"),
    /**
     * FLIN, default worker pool (spin-yield-park), the measured agent on {@code BLOCKING}: virtual
     * threads on JDK 24+, a platform pool before (rule 1.7). One-to-one and many-to-one scenarios only.
     */
    FLIN_BLOCKING("flin-blocking"),
    /** Apache Pekko typed actors, default dispatcher and mailbox. */
    PEKKO("pekko"),
    /** One JDK platform thread per agent, {@code ArrayBlockingQueue} mailboxes. */
    THREADS("threads"),
    /** One virtual thread per agent (JDK 21+), {@code LinkedBlockingQueue} mailboxes. */
    VTHREADS("vthreads"),
    /** The raw LMAX Disruptor: rings and event processors, no agent layer. */
    DISRUPTOR("disruptor");

    /** The class that implements {@link #VTHREADS}, compiled only on JDK 21+. */
    private static final String VIRTUAL_THREADS_CLASS = "dev.flin.bench.vthreads.VirtualThreadWorkloads";

    private final String id;

    BenchSystem(final String id) {
        this.id = id;
    }

    /** @return the name used in benchmark parameters and reports */
    public String id() {
        return id;
    }

    /**
     * @return whether the system places its measured agent off the default dispatcher, and so runs
     *     only the one-to-one and many-to-one scenarios
     */
    public boolean isPlaced() {
        return this == FLIN_PINNED || this == FLIN_BLOCKING;
    }

    /** @return whether this is one of ours */
    public boolean isFlin() {
        return id.startsWith("flin-");
    }

    /**
     * @return the idle strategy of a FLIN system (a new instance)
     * @throws IllegalArgumentException if this is not one of the FLIN systems
     */
    public IdleStrategy flinIdleStrategy() {
        return switch (this) {
            case FLIN_BACKOFF, FLIN_PINNED, FLIN_BLOCKING -> Dispatchers.defaultIdleStrategy();
            case FLIN_YIELDING -> IdleStrategy.yielding();
            case FLIN_BUSYSPIN -> IdleStrategy.busySpin();
            case FLIN_PARKING -> IdleStrategy.parking();
            default -> throw new IllegalArgumentException(id + " is not a FLIN system: it has no idle strategy");
        };
    }

    /**
     * @return a new factory for this system's workloads
     * @throws UnsupportedScenarioException when the system cannot run on this JVM
     */
    public WorkloadFactory factory() {
        switch (this) {
            case FLIN_BACKOFF:
            case FLIN_YIELDING:
            case FLIN_BUSYSPIN:
            case FLIN_PARKING:
                return new FlinWorkloads(id, flinIdleStrategy());
            case FLIN_PINNED:
                return new FlinPlacedWorkloads(id, flinIdleStrategy(), DispatcherSelector.PINNED);
            case FLIN_BLOCKING:
                return new FlinPlacedWorkloads(id, flinIdleStrategy(), DispatcherSelector.BLOCKING);
            case PEKKO:
                return new PekkoWorkloads();
            case THREADS:
                return new ThreadWorkloads();
            case DISRUPTOR:
                return new DisruptorWorkloads();
            case VTHREADS:
                return virtualThreads();
            default:
                throw new AssertionError(this);
        }
    }

    /** @return whether this system can run on this JVM and build */
    public boolean isAvailable() {
        if (this != VTHREADS) {
            return true;
        }
        try {
            virtualThreads();
            return true;
        } catch (UnsupportedScenarioException e) {
            return false;
        }
    }

    private WorkloadFactory virtualThreads() {
        if (Runtime.version().feature() < 21) {
            throw new UnsupportedScenarioException(id, "any scenario",
                    "virtual threads need JDK 21 or newer, this is " + Runtime.version());
        }
        try {
            return Class.forName(VIRTUAL_THREADS_CLASS).asSubclass(WorkloadFactory.class).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedScenarioException(id, "any scenario",
                    "this build has no " + VIRTUAL_THREADS_CLASS + " (build the benchmarks on JDK 21+ to include it)");
        }
    }

    /**
     * @param id a name as in {@link #id()}
     * @return the system
     * @throws IllegalArgumentException naming the known systems when there is none by that name
     */
    public static BenchSystem byId(final String id) {
        for (final BenchSystem system : values()) {
            if (system.id.equals(id)) {
                return system;
            }
        }
        throw new IllegalArgumentException("unknown system '" + id + "', known: "
                + Arrays.stream(values()).map(BenchSystem::id).collect(Collectors.joining(", ")));
    }

    /**
     * The factory for a benchmark's {@code system} parameter: a system's name, or the name of one of
     * the worker-pool FLIN systems with an observability suffix ({@code flin-backoff+micrometer};
     * the modes are those of {@code dev.flin.bench.flin.FlinObservability}, checked when the runtime
     * is made).
     *
     * @param name the parameter
     * @return a new factory
     * @throws IllegalArgumentException for an unknown system, or a suffix on another system
     */
    public static WorkloadFactory factoryFor(final String name) {
        final int plus = name.indexOf('+');
        if (plus < 0) {
            return byId(name).factory();
        }
        final BenchSystem base = byId(name.substring(0, plus));
        if (!base.isFlin() || base.isPlaced()) {
            throw new IllegalArgumentException("an observability suffix applies to the worker-pool FLIN systems only: " + name);
        }
        return new FlinWorkloads(name, base.flinIdleStrategy());
    }

    /** @return the systems available on this JVM and build */
    public static List<BenchSystem> available() {
        return Arrays.stream(values()).filter(BenchSystem::isAvailable).collect(Collectors.toList());
    }
}
