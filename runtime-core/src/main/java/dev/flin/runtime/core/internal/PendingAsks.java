package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentTerminatedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The asks an agent has accepted and not answered yet, kept so that its termination fails them
 * (rule 5.7). One per {@link AgentCell}, created at its first accepted ask: an agent nobody asks
 * carries none.
 *
 * <p>Threading: any thread. The asking thread registers its handle once the request was accepted
 * ({@link #register}); whichever thread completes a handle (reply, failure, timeout) removes it
 * ({@link #forget}); the agent thread fails what is left once the cell is closed ({@link #failAll}).
 * The set is concurrent: every add and remove is a volatile write inside it.
 *
 * <h2>Registration against termination (rule 5.7)</h2>
 * <pre>
 * asker:      add(handle)      ...  read CLOSED        (volatile write in the set, then volatile read)
 * terminator: set CLOSED       ...  iterate the set    (atomic RMW, then volatile reads in the set)
 * </pre>
 * A Dekker pair with {@code AgentCell.finishStop}: the asker's add precedes its read of the cell's
 * CLOSED bit ({@link CellControl#markClosed}), and finishStop sets it before it reads the cell's
 * {@code pendingAsks} field and iterates; volatile accesses are sequentially consistent, so either
 * the asker sees CLOSED or the iteration sees the handle, and an accepted request the agent
 * will never process fails either way. Failing twice is harmless: a handle completes once.
 */
final class PendingAsks {

    private final Set<ReplyHandle<?>> handles = ConcurrentHashMap.newKeySet();

    /**
     * The asking thread, after the request was accepted. Registered only now, so that a refused
     * ask is never failed by the termination and reports its refusal alone (rule 5.3).
     *
     * @param handle the accepted ask's reply handle
     * @param target the asked agent's cell, whose CLOSED bit is the other half of the pair
     * @return whether the handle is still pending; false if it was already completed (a request
     *         processed and replied to before the add, or failed here because the agent closed),
     *         in which case it is not kept
     */
    boolean register(final ReplyHandle<?> handle, final AgentCell<?> target) {
        handles.add(handle);
        if (target.isClosed()) { // volatile read after the add: the asker's half of the Dekker pair
            handle.failByRuntime(new AgentTerminatedException(target.id));
        }
        // A request processed (and replied to) before the add completes the handle first, and
        // failByRuntime above is then a no-op.
        if (handle.isCompleted()) {
            handles.remove(handle); // replied before it was registered: do not keep it until termination
            return false;
        }
        return true;
    }

    /** Any thread: the handle completed; it needs no failing at termination. */
    void forget(final ReplyHandle<?> handle) {
        handles.remove(handle);
    }

    /**
     * Agent thread, once, after the cell set CLOSED: fails every ask still pending
     * (rule 5.7). The terminator's half of the Dekker pair.
     *
     * @param target the terminating agent
     */
    void failAll(final AgentId target) {
        for (final ReplyHandle<?> handle : handles) {
            handle.failByRuntime(new AgentTerminatedException(target)); // rule 5.7
        }
    }
}
