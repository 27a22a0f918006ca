package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentTerminatedException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The asks an agent was sent and has not answered yet, kept so that its termination fails them
 * (rule 5.7) and so that a handler that throws fails the ask it was handling (rule 5.8). One per
 * {@link AgentCell}, created at its first ask: an agent nobody asks carries none.
 *
 * <p>Threading: any thread. The asking thread adds its handle before it sends the request
 * ({@link #add}), marks it accepted once the send succeeded or withdraws it if the send was refused
 * ({@link #accepted}, {@link #withdraw}); whichever thread completes a handle (reply, failure,
 * timeout) removes it ({@link #forget}); the agent thread fails the request whose handler threw
 * ({@link #failRequest}) and, once the cell is closed, what is left ({@link #failAll}). The set is
 * concurrent: every add and remove is a volatile write inside it.
 *
 * <h2>A handler that throws (rule 5.8)</h2>
 * The handle is in the set before its request is sent, and the agent takes the request only after
 * the send: so when a handler throws, the scan of the set finds the handle whose request is that
 * very message (identity), whatever the asker has done since. The scan is linear in the asks still
 * pending, and runs only on a failure.
 *
 * <h2>Acceptance against termination (rule 5.7)</h2>
 * <pre>
 * asker:      set accepted     ...  read CLOSED        (volatile write, then volatile read)
 * terminator: set CLOSED       ...  read accepted      (atomic RMW, then volatile reads)
 * </pre>
 * A Dekker pair with {@code AgentCell.finishStop}: the asker marks its handle accepted before it
 * reads the cell's CLOSED bit ({@link CellControl#markClosed}), and finishStop sets that bit before
 * it iterates the set and reads each handle's mark; volatile accesses are sequentially consistent,
 * so either the asker sees CLOSED or the terminator sees the mark, and an accepted request the
 * agent will never process fails either way. A handle not yet marked belongs to an asker whose send
 * is still under way: if the send is refused it reports the refusal alone (rule 5.3), if accepted
 * the asker's own read of CLOSED fails it. Failing twice is harmless: a handle completes once.
 */
final class PendingAsks {

    private final Set<ReplyHandle<?>> handles = ConcurrentHashMap.newKeySet();

    /** The asking thread, before the send: the handle's request is already set. */
    void add(final ReplyHandle<?> handle) {
        handles.add(handle);
    }

    /** The asking thread: the send was refused; the refusal alone completes the handle (rule 5.3). */
    void withdraw(final ReplyHandle<?> handle) {
        handles.remove(handle);
    }

    /**
     * The asking thread, after the request was accepted.
     *
     * @param handle the accepted ask's reply handle
     * @param target the asked agent's cell, whose CLOSED bit is the other half of the pair
     * @return whether the handle is still pending; false if it was already completed (a request
     *         processed and replied to before the mark, or failed here because the agent closed),
     *         in which case it is not kept
     */
    boolean accepted(final ReplyHandle<?> handle, final AgentCell<?> target) {
        handle.accept();
        if (target.isClosed()) { // volatile read after the mark: the asker's half of the Dekker pair
            handle.failByRuntime(new AgentTerminatedException(target.id));
        }
        if (handle.isCompleted()) {
            handles.remove(handle); // already answered: do not keep it until termination
            return false;
        }
        return true;
    }

    /**
     * The agent thread: the handler of {@code message} threw; fails the ask whose request it was,
     * if any and still pending, with the handler's exception (rule 5.8).
     *
     * @return whether an ask was failed
     */
    boolean failRequest(final Object message, final Throwable cause) {
        for (final ReplyHandle<?> handle : handles) {
            if (handle.isRequest(message)) {
                return handle.failByRuntime(cause);
            }
        }
        return false;
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
            if (handle.isAccepted()) { // an unmarked one: its asker reports the refusal or sees CLOSED
                handle.failByRuntime(new AgentTerminatedException(target)); // rule 5.7
            }
        }
    }
}
