package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Chooses, at spawn, the dispatcher an agent runs on (rule 1.7), and owns the threads it adds
 * beside the runtime's dispatcher:
 * <ul>
 *   <li>{@code DEFAULT}: the runtime's dispatcher.</li>
 *   <li>{@code PINNED}: a {@link PinnedAgentThread} of the agent's own, named {@code flin-pinned-}
 *       and the agent's name (or id); it ends when the agent terminates ({@link #released}).</li>
 *   <li>{@code BLOCKING}: one dispatcher shared by the runtime's blocking agents, made at the first
 *       such spawn. On JDK 24 and later, virtual threads ({@link VirtualThreadDispatcher}); before,
 *       a {@link BlockingThreadPool} of at most {@value #MAX_BLOCKING_THREADS} platform threads
 *       whose idle threads retire after {@value #BLOCKING_KEEP_ALIVE_SECONDS} s. Why not virtual
 *       threads on 21 to 23: there a virtual thread that blocks inside {@code synchronized} (JDBC
 *       drivers and connection pools do) stays pinned to its carrier, and as many blocked agents as
 *       there are carriers (one per core) stop every virtual thread of the JVM. JDK 24 (JEP 491)
 *       unmounts them there too.</li>
 * </ul>
 * If the runtime's dispatcher {@linkplain Dispatcher#confinesAgents confines agents}, every agent
 * runs on it, whatever its selector.
 *
 * <p>Shutdown (rule 8.7) joins every thread made here within the runtime's bound: a pinned thread
 * made while shutdown runs is refused at spawn (the spawn is refused anyway, rule 8.6).
 *
 * <p>Threading: {@link #forSpawn} and {@link #released} from any thread; {@link #stop}, then
 * {@link #awaitExit}, once, from the thread that shuts the runtime down. The registry of live pinned threads is concurrent;
 * the blocking dispatcher is made once under this object's lock.
 */
public final class AgentDispatchers {

    /** The bound of the platform-thread pool for blocking agents (JDK before 24). */
    public static final int MAX_BLOCKING_THREADS = 256;
    /** How long an idle platform thread of that pool waits before it retires. */
    public static final int BLOCKING_KEEP_ALIVE_SECONDS = 30;

    private final Dispatcher shared;
    private final boolean virtualBlocking;
    /** Pinned threads whose loop has not ended, to close at shutdown. */
    private final Set<PinnedAgentThread> pinned = ConcurrentHashMap.newKeySet();
    /** Every pinned thread not yet seen dead, to join at shutdown. */
    private final RuntimeThreads pinnedThreads = new RuntimeThreads();
    private volatile PlacedDispatcher blocking;
    private volatile boolean stopped;

    /**
     * @param shared the runtime's dispatcher
     */
    public AgentDispatchers(final Dispatcher shared) {
        this(shared, virtualThreadsUnpinned());
    }

    /**
     * @param shared          the runtime's dispatcher
     * @param virtualBlocking whether {@code BLOCKING} agents run on virtual threads (else on platform threads)
     */
    AgentDispatchers(final Dispatcher shared, final boolean virtualBlocking) {
        this.shared = Objects.requireNonNull(shared, "shared");
        this.virtualBlocking = virtualBlocking;
    }

    /**
     * @return whether this JDK's virtual threads unmount when they block inside {@code synchronized}:
     *     JDK 24 and later (JEP 491)
     */
    public static boolean virtualThreadsUnpinned() {
        return Runtime.version().feature() >= 24;
    }

    /**
     * At spawn: the dispatcher the new agent runs on.
     *
     * @param selector from the spawn options
     * @param id       the agent's id
     * @param name     the agent's name, or null
     * @return the dispatcher
     * @throws RuntimeStoppedException if the runtime is shutting down (rule 8.6)
     */
    Dispatcher forSpawn(final DispatcherSelector selector, final AgentId id, final String name) {
        Objects.requireNonNull(selector, "selector");
        if (shared.confinesAgents() || selector == DispatcherSelector.DEFAULT) {
            return shared;
        }
        if (selector == DispatcherSelector.PINNED) {
            return pinnedThread(id, name);
        }
        if (selector == DispatcherSelector.BLOCKING) {
            return blocking();
        }
        throw new IllegalArgumentException("unknown dispatcher selector " + selector);
    }

    private Dispatcher pinnedThread(final AgentId id, final String name) {
        final String threadName = "flin-pinned-" + (name != null ? name : id.toString());
        final PinnedAgentThread[] self = new PinnedAgentThread[1];
        final PinnedAgentThread thread = new PinnedAgentThread(shared, threadName, () -> pinned.remove(self[0]));
        self[0] = thread;
        pinned.add(thread); // then read "stopped": Dekker pair with stop(), which writes it, then iterates
        pinnedThreads.add(thread.thread());
        if (stopped) {
            pinned.remove(thread);
            pinnedThreads.remove(thread.thread());
            throw new RuntimeStoppedException("spawn");
        }
        thread.start();
        return thread;
    }

    private Dispatcher blocking() {
        PlacedDispatcher existing = blocking;
        if (existing != null) {
            return existing;
        }
        synchronized (this) {
            existing = blocking;
            if (existing == null) {
                if (stopped) {
                    throw new RuntimeStoppedException("spawn");
                }
                existing = virtualBlocking ? new VirtualThreadDispatcher(shared, "flin-blocking-")
                        : new BlockingThreadPool(shared, "flin-blocking-", MAX_BLOCKING_THREADS,
                        TimeUnit.SECONDS.toNanos(BLOCKING_KEEP_ALIVE_SECONDS));
                blocking = existing;
            }
            return existing;
        }
    }

    /**
     * The agent that ran on {@code dispatcher} terminated (called on its agent thread, from its
     * last run): a pinned thread ends once that run returns.
     *
     * @param dispatcher what {@link #forSpawn} gave the agent
     */
    void released(final Dispatcher dispatcher) {
        if (dispatcher instanceof PinnedAgentThread thread) {
            thread.close();
        }
    }

    /** @return the pinned threads alive now; for tests and diagnostics */
    int pinnedThreadCount() {
        return pinnedThreads.aliveCount();
    }

    /**
     * Shutdown, first half: no pinned thread or blocking task starts from now on; pinned threads are
     * told to end (normally gone already, their agents terminated) and idle blocking threads woken.
     * Returns at once, so that these threads end while the runtime's dispatcher is shut down.
     */
    public void stop() {
        final PlacedDispatcher pool;
        synchronized (this) {
            stopped = true;
            pool = blocking;
        }
        for (final PinnedAgentThread thread : pinned) {
            thread.close();
        }
        if (pool != null) {
            pool.stop();
        }
    }

    /**
     * Shutdown, second half (after {@link #stop}): joins every thread made here until the deadline;
     * interrupts and leaves those still in a callback then (rule 8.7).
     *
     * @param deadline on {@link System#nanoTime()}
     * @return whether every thread exited
     */
    public boolean awaitExit(final long deadline) {
        boolean exited = pinnedThreads.joinAll(deadline);
        final PlacedDispatcher pool = blocking;
        if (pool != null) {
            exited &= pool.awaitExit(deadline);
        }
        return exited;
    }
}
