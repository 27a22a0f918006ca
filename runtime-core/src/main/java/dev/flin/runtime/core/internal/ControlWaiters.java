package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The callers of pause and resume waiting for their request to take effect (rule 8.11). Callers
 * between two runs share one {@link Generation}: its stage completes with the state the agent
 * applied, the next time it reads the control word after the caller joined, or with TERMINATED
 * once the agent terminated.
 *
 * <p>One generation, not a future per caller: a caller that toggles pause and resume without
 * waiting made a future per call, which a run had to complete one by one. With a worker pool on
 * two cores such a caller outran the runs: the waiters piled up (millions), each run took longer
 * to complete them, and the agent handled no message for seconds. Now a run completes one future
 * however many requests came in, and the pile-up costs no memory.
 *
 * <p>The protocol, in {@link CellControl} (pause, resume) and AgentCell (the run): a caller sets
 * its request bit, then {@link #join joins} the current generation, then schedules the cell; a run
 * {@link #take takes} the generation, then reads the control word, applies it and completes what
 * it took. A caller that read the generation before the take is ordered before it (a volatile read
 * returning the value a later getAndSet replaces), so its bit, set before that read, is in the word
 * the run reads. A caller that joins after the take makes the next generation, which the end of
 * this run sees ({@link #isEmpty} is false) and schedules a run for. Against the termination, the
 * caller joins, then reads the state; the close sets TERMINATED, then {@link #completeAll
 * completes} what is left; one of the two completes the generation.
 *
 * <p>Threads: {@link #join}, {@link #isEmpty} and {@link #completeAll} from any thread;
 * {@link #take} from the agent thread. A generation is completed once; a second completion by the
 * other side of the termination pair is harmless.
 */
final class ControlWaiters {

    /** The callers that joined since the last take, and the one stage they all got. */
    static final class Generation {
        private final CompletableFuture<AgentState> future = new CompletableFuture<>();
        /** Shared by the callers: a minimal stage cannot be completed by them. */
        private final CompletionStage<AgentState> stage = future.minimalCompletionStage();

        /** The thread that took this generation: completes every caller's stage with {@code state}. */
        void complete(final AgentState state) {
            future.complete(state);
        }
    }

    /** The generation callers join now, or null if nobody waits. */
    private final AtomicReference<Generation> current = new AtomicReference<>();

    /** Any thread: the stage of the current generation, made (CAS) if nobody waits yet. */
    CompletionStage<AgentState> join() {
        Generation g = current.get();
        while (g == null) {
            final Generation fresh = new Generation();
            if (current.compareAndSet(null, fresh)) {
                return fresh.stage;
            }
            g = current.get();
        }
        return g.stage;
    }

    /** Any thread: whether nobody waits (a volatile read). */
    boolean isEmpty() {
        return current.get() == null;
    }

    /** Agent thread: takes the current generation (a getAndSet), or null if nobody waits. */
    Generation take() {
        return current.get() == null ? null : current.getAndSet(null);
    }

    /** Any thread: takes the current generation, if any, and completes it with {@code state}. */
    void completeAll(final AgentState state) {
        final Generation g = current.getAndSet(null);
        if (g != null) {
            g.complete(state);
        }
    }
}
