package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.Signal;
import dev.flin.runtime.TerminationCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Death watch of one agent, its owner (rule 4.7), both ways: the agents that watch it and get
 * {@link Signal.Terminated} when it terminates, and the agents it watches itself. One per
 * {@link AgentCell}, created at the first watch in either direction, or at the owner's termination
 * if nobody watched before: an agent outside death watch carries none while it lives.
 *
 * <p>Threading, by side:
 * <ul>
 *   <li><b>Watched side</b> ({@link #addWatcher}, {@link #removeWatcher}): any thread, the watchers'
 *       agent threads in practice. {@code watchers} is a concurrent set created on first use (CAS);
 *       {@code watchersClosed} is volatile, written once by {@link #closeAndSignal}.</li>
 *   <li><b>Watching side</b> ({@link #watch}, {@link #unwatch}, {@link #takeTerminated},
 *       {@link #unwatchAll}) and {@link #closeAndSignal}: the owner's agent thread only;
 *       {@code watching} is plain for that reason (rule 1.2).</li>
 * </ul>
 *
 * <h2>A watcher registering as the owner terminates</h2>
 * <pre>
 * watcher:    watchers.add(w)         ...  read watchersClosed   (volatile write in the set, then volatile read)
 * terminator: watchersClosed = true   ...  iterate watchers      (volatile write, then volatile reads)
 * </pre>
 * A Dekker pair: either the watcher sees the flag (and signals itself, if it can still take itself
 * out of the set), or the terminator's iteration sees the watcher. Both sides remove before they
 * signal, so exactly one of them does: one signal per watch, never none. The flag is written after
 * the owner left the registry, so a watcher signalled here finds the owner gone (rule 8.1); one
 * that asks the registry later finds no cell and signals itself with {@code UNKNOWN}.
 */
final class DeathWatch {

    private static final VarHandle WATCHERS;

    static {
        try {
            WATCHERS = MethodHandles.lookup().findVarHandle(DeathWatch.class, "watchers", Set.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AgentCell<?> owner;
    /** Who watches the owner; created at the first watcher. Any thread. */
    private volatile Set<AgentCell<?>> watchers;
    /** Written once, by the owner's termination after it left the registry. Any thread reads it. */
    private volatile boolean watchersClosed;
    /** Whom the owner watches. The owner's agent thread only. */
    private Set<AgentId> watching;

    DeathWatch(final AgentCell<?> owner) {
        this.owner = owner;
    }

    // ---- the watched side: any thread

    /** Any thread: register a watcher; if the owner already terminated, signal it at once. */
    void addWatcher(final AgentCell<?> watcher) {
        Set<AgentCell<?>> set = watchers;
        if (set == null) {
            final Set<AgentCell<?>> fresh = ConcurrentHashMap.newKeySet();
            set = WATCHERS.compareAndSet(this, null, fresh) ? fresh : watchers;
        }
        // The add (volatile write) before the read of watchersClosed: the watcher's half of the pair.
        if (set.add(watcher) && watchersClosed && set.remove(watcher)) {
            watcher.enqueueSignal(new Signal.Terminated(owner.id, owner.stopCauseOrUnknown()));
        }
    }

    /** Any thread: forget a watcher (it unwatched, or it is terminating). */
    void removeWatcher(final AgentCell<?> watcher) {
        final Set<AgentCell<?>> set = watchers;
        if (set != null) {
            set.remove(watcher);
        }
    }

    /**
     * The owner's agent thread, once, at the very end of its termination, after it left the
     * registry: from here a new watcher is signalled at once; each watcher registered so far gets
     * {@link Signal.Terminated} now. The terminator's half of the pair.
     */
    @SuppressWarnings("ModifyCollectionInEnhancedForLoop") // a concurrent set: its iterator tolerates removal
    void closeAndSignal() {
        watchersClosed = true;
        final Set<AgentCell<?>> set = watchers;
        if (set != null) {
            final Signal.Terminated signal = new Signal.Terminated(owner.id, owner.stopCauseOrUnknown());
            for (final AgentCell<?> watcher : set) {
                if (set.remove(watcher)) {
                    watcher.enqueueSignal(signal);
                }
            }
        }
    }

    // ---- the watching side: the owner's agent thread

    /**
     * Watches {@code target}: registers the owner with it, or, if it is not in the registry
     * (terminated or never existed), signals the owner at once with {@code UNKNOWN}. Watching twice
     * has no further effect.
     */
    void watch(final AgentId target) {
        if (watching == null) {
            watching = new HashSet<>();
        }
        if (!watching.add(target)) {
            return;
        }
        final AgentCell<?> cell = owner.runtime().cell(target);
        if (cell == null) {
            owner.enqueueSignal(new Signal.Terminated(target, TerminationCause.UNKNOWN));
        } else {
            cell.deathWatch().addWatcher(owner);
        }
    }

    /** Stops watching {@code target}; a signal already queued is dropped at delivery ({@link #takeTerminated}). */
    void unwatch(final AgentId target) {
        if (watching != null && watching.remove(target)) {
            removeFrom(target);
        }
    }

    /**
     * At delivery of a {@link Signal.Terminated}: whether the owner still watches its agent, and if
     * so, stop watching it (a watch is signalled once).
     *
     * @param target the terminated agent the signal names
     * @return true if the signal is to be delivered
     */
    boolean takeTerminated(final AgentId target) {
        return watching != null && watching.remove(target);
    }

    /** The owner's termination: leaves every agent it watches, so none of them signals it later. */
    void unwatchAll() {
        if (watching != null) {
            for (final AgentId target : watching) {
                removeFrom(target);
            }
            watching.clear();
        }
    }

    private void removeFrom(final AgentId target) {
        final AgentCell<?> cell = owner.runtime().cell(target);
        if (cell != null) {
            cell.removeWatcher(owner);
        }
    }
}
