package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The callers of pause and resume waiting for their request to take effect (rule 8.11): each gets
 * a future that the agent thread completes with the state it applied, the next time it reads the
 * control word after the waiter was added, or with TERMINATED once the agent terminated.
 *
 * <p>The protocol, in {@link CellControl} (pause, resume) and AgentCell (the run): a caller sets
 * its request bit, then {@link #add adds} its waiter, then schedules the cell; a run
 * {@link #takeAll takes} the waiters, then reads the control word, applies it and completes what
 * it took. A waiter added after the take
 * waits for the next run, which the end of this one schedules because {@link #isEmpty} is false.
 * Against the termination, the caller adds, then reads the state; the close sets TERMINATED, then
 * {@link #completeAll completes} what is left; one of the two completes the waiter.
 *
 * <p>Threads: {@link #add}, {@link #isEmpty} and {@link #completeAll} from any thread;
 * {@link #takeAll} from the agent thread. The queue is concurrent: an add is a volatile write, a
 * take or an emptiness test a volatile read. A future is completed once; a second completion by the
 * other side of the termination pair is harmless.
 */
final class ControlWaiters {

    private final ConcurrentLinkedQueue<CompletableFuture<AgentState>> queue = new ConcurrentLinkedQueue<>();

    /** Any thread: a new waiter, added (a volatile write) before this returns. */
    CompletableFuture<AgentState> add() {
        final CompletableFuture<AgentState> waiter = new CompletableFuture<>();
        queue.add(waiter);
        return waiter;
    }

    /** Any thread: whether nobody waits (a volatile read). */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Agent thread: removes and returns the waiters added so far, or null if none. */
    List<CompletableFuture<AgentState>> takeAll() {
        if (queue.isEmpty()) {
            return null;
        }
        final ArrayList<CompletableFuture<AgentState>> taken = new ArrayList<>();
        for (CompletableFuture<AgentState> w = queue.poll(); w != null; w = queue.poll()) {
            taken.add(w);
        }
        return taken;
    }

    /** Any thread: removes every waiter and completes it with {@code state}. */
    void completeAll(final AgentState state) {
        for (CompletableFuture<AgentState> w = queue.poll(); w != null; w = queue.poll()) {
            w.complete(state);
        }
    }
}
