package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentState;
import dev.flin.runtime.TerminationCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletionStage;

/**
 * The control half of an agent cell: the control word, in which every flag that senders, control
 * calls and the agent thread exchange is a bit of one {@code int} changed only by the named
 * transitions below; the stop's sequence and cause; and the control requests built on them (stop,
 * force, pause, resume, with their {@link ControlWaiters}). {@link AgentCell} extends it and
 * provides {@link #schedule()}, {@link #state()}, {@link #claimedSequence()} and
 * {@link #hasWork}; the model checks ({@code *ModelCheckTest}) extend it too, with stand-ins for
 * those four, and so drive these same steps.
 *
 * <h2>The bits</h2>
 * <ul>
 *   <li>{@link #SCHEDULED}: the cell is submitted to its dispatcher or running. Set by whoever wins
 *       {@link #trySchedule()} (and then submits the cell), cleared by the agent thread at the end
 *       of a run ({@link #endRun()}). One runner at a time: rules 1.1 and 1.2.</li>
 *   <li>{@link #CLOSING}: a stop was claimed; sends are refused from here on (rule 2.5). Set once,
 *       by {@link #claimStop}, which is also the claim: whoever sets it decides the stop's cause
 *       and sequence. One bit for both closes the window commit 5dfa1fd patched, where a stop had
 *       claimed but not yet written "closing" and a concurrent stop() returned before it had.</li>
 *   <li>{@link #CAUSE} (two bits): the stop's {@link TerminationCause}, set with CLOSING in the same
 *       CAS. It was a field written after the claim: a failure-stop that lost the claim to the
 *       runtime's shutdown could close the agent in between and report STOPPED instead of
 *       RUNTIME_SHUTDOWN (check 7 reproduces it).</li>
 *   <li>{@link #STOP_REQUESTED}: the claimant has written the stop sequence and cause; the agent
 *       thread may act on them.</li>
 *   <li>{@link #FORCED}: the runtime's shutdown gave up waiting; terminate at once (rule 8.7).</li>
 *   <li>{@link #PAUSE_REQUESTED}: pause wanted (rule 3.4); cleared by a resume.</li>
 *   <li>{@link #CLOSED}: the agent thread began the close (finishStop): no more signals, and the
 *       asker's half of the PendingAsks Dekker pair.</li>
 * </ul>
 * Once set, CLOSING, CAUSE, STOP_REQUESTED, FORCED and CLOSED stay set. The stop's sequence stays
 * a separate field (a long in {@link CellExtras}, only ever lowered, written by the claimant before
 * STOP_REQUESTED), and the lifecycle state stays in AgentCell (written by the agent thread only):
 * folding them into the word would not simplify anything.
 *
 * <h2>Ordering</h2>
 * Every transition is a volatile read or an atomic read-modify-write of the one word, so all of
 * them are totally ordered (the word's modification order, consistent with each thread's program
 * order), and each sees the bits of every transition before it. This is what makes the two
 * hand-shakes with the end of a run simple:
 * <pre>
 * request:  set its bit (RMW)  ...  trySchedule(): SCHEDULED clear? set it (RMW), submit
 * run end:  endRun(): clear SCHEDULED (RMW), returns the word  ...  work in it? trySchedule()
 * </pre>
 * If the run end's clear comes after the request's bit, the word it returns holds the bit and the
 * run re-submits itself; if it comes before the request's trySchedule, that one finds SCHEDULED
 * clear and submits. A request is never stranded (check 6 of "Protocols checked by machine",
 * docs/conformance.md). A sender forms a Dekker pair with the run end instead: its claim of a
 * mailbox slot (a CAS on the mailbox cursor) precedes its volatile read of SCHEDULED, and the run end
 * reads the cursor after its clear; volatile accesses are sequentially consistent, so one of the two
 * sees the other (check 2). The same pair covers work queued outside the word (signals, waiters),
 * which {@link #schedule()} follows with a full fence.
 *
 * <p>Threads: every method may be called from any thread unless its comment names one.
 */
abstract class CellControl {

    /** Submitted or running: one runner at a time. */
    static final int SCHEDULED = 1;
    /** A stop was claimed (and sends are refused). Set once; the setter owns the stop. */
    static final int CLOSING = 1 << 1;
    /** The stop's sequence and cause are written; the agent thread acts on it. */
    static final int STOP_REQUESTED = 1 << 2;
    /** The runtime's shutdown forces the termination (rule 8.7). */
    static final int FORCED = 1 << 3;
    /** A pause is wanted (rule 3.4). */
    static final int PAUSE_REQUESTED = 1 << 4;
    /** The close began: no signals any more; PendingAsks' Dekker pair. */
    static final int CLOSED = 1 << 5;
    private static final int CAUSE_SHIFT = 6;
    /** The stop's cause, set with CLOSING: 0 none yet, else {@link #causeBits}. */
    static final int CAUSE = 3 << CAUSE_SHIFT;

    private static final VarHandle CONTROL;
    private static final VarHandle EXTRAS;

    static {
        try {
            final MethodHandles.Lookup l = MethodHandles.lookup();
            CONTROL = l.findVarHandle(CellControl.class, "control", int.class);
            EXTRAS = l.findVarHandle(CellControl.class, "extras", CellExtras.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The control word; volatile, changed only by the atomic transitions below. */
    private volatile int control;
    /**
     * What most agents never use, the stop's sequence and the pause/resume waiters among it; made
     * at the first use ({@link #extras()}), so that an idle agent's cell stays small.
     */
    private volatile CellExtras extras;

    /** A new agent: nothing set (and no volatile store); its spawn schedules it. */
    CellControl() {
    }

    /** @param scheduled whether to start as SCHEDULED: the model checks start in the middle of a run */
    CellControl(final boolean scheduled) {
        if (scheduled) {
            control = SCHEDULED;
        }
    }

    /** Any thread: the whole word, one volatile read (a snapshot: test its bits with {@link #has}). */
    final int control() {
        return control;
    }

    static boolean has(final int word, final int bits) {
        return (word & bits) != 0;
    }

    // ---- what the cell provides

    /**
     * Any thread: makes sure the cell will run: a full fence (the caller's write that made work
     * visible, then the read of SCHEDULED), {@link #trySchedule()}, and the winner submits the cell.
     */
    abstract void schedule();

    /** Any thread: the lifecycle state (volatile read). */
    abstract AgentState state();

    /** Any thread: the highest mailbox sequence a sender claimed so far (volatile read); -1 if none. */
    abstract long claimedSequence();

    // ---- control requests: any thread

    /**
     * Any thread: asks the agent to stop after the messages accepted so far (rules 3.6, 8.1). Sets
     * CLOSING whether or not it wins the claim, so sends that start after this call are refused
     * (rule 2.5) even when a failure-stop on the agent thread claimed first (the race of 5dfa1fd,
     * which the kit's model property caught as an ask accepted after stop() returned). The winner
     * reads the claimed sequence after setting CLOSING, publishes the stop, and schedules the cell.
     */
    final void requestStop(final TerminationCause cause) {
        if (!claimStop(cause)) {
            return;
        }
        publishStop(claimedSequence()); // every send accepted so far (rule 3.6)
        schedule();
    }

    /** The runtime's shutdown (any thread): terminate at once, whatever is running (rule 8.7). */
    final void forceTerminate() {
        markForced();
        requestStop(TerminationCause.RUNTIME_SHUTDOWN);
        schedule();
    }

    /** Any thread. @return completed with the state once the pause took effect or was superseded (rule 8.11) */
    final CompletionStage<AgentState> pause() {
        requestPause();
        return awaitControl();
    }

    /** Any thread. @return completed with the state once the resume took effect or was superseded (rule 8.11) */
    final CompletionStage<AgentState> resume() {
        requestResume();
        return awaitControl();
    }

    /**
     * Joins the waiters that the agent thread completes the next time it applies the control word
     * (AgentCell.process takes them before it reads the word), then schedules the cell. A Dekker
     * pair with the close: the join (a volatile read or CAS of the generation) precedes the read of
     * the state here, and the close writes TERMINATED before it {@link #settleControls settles}
     * (a getAndSet of the generation); so a caller joining during the termination is completed by
     * one of the two, or by the run that took its generation.
     */
    private CompletionStage<AgentState> awaitControl() {
        final CompletionStage<AgentState> waiter = extras().controlWaitersOrCreate().join();
        if (state() == AgentState.TERMINATED) {
            settleControls();
        }
        schedule();
        return waiter;
    }

    /** Agent thread, before it reads the control word to apply it: the waiters so far, or null. */
    final ControlWaiters.Generation takeControlWaiters() {
        final ControlWaiters waiters = controlWaitersOrNull();
        return waiters == null ? null : waiters.take();
    }

    /** Any thread: whether a pause/resume caller waits for a run to apply its request (volatile read). */
    final boolean controlWaitersPending() {
        final ControlWaiters waiters = controlWaitersOrNull();
        return waiters != null && !waiters.isEmpty();
    }

    /** Any thread: the pause/resume waiters, or null if nobody ever waited (volatile reads). */
    private ControlWaiters controlWaitersOrNull() {
        final CellExtras x = extras;
        return x == null ? null : x.controlWaiters();
    }

    /** Any thread, once the state is TERMINATED: completes every control waiter with it. */
    final void settleControls() {
        final ControlWaiters waiters = controlWaitersOrNull();
        if (waiters != null) {
            waiters.completeAll(state());
        }
    }

    // ---- scheduling: rule 1.1

    /**
     * Any thread: a volatile read of SCHEDULED. A sender calls it after its claim (a CAS on the
     * mailbox cursor), which is the sender's half of the scheduling hand-shake: it sees the run's
     * clear, or the run sees the claim. Not a decision by itself; follow with {@link #trySchedule()}.
     */
    final boolean isIdle() {
        return (control & SCHEDULED) == 0;
    }

    /**
     * Any thread: sets SCHEDULED if it is clear (CAS loop; it retries only if another bit changed
     * meanwhile). The winner, and only the winner, must submit the cell: a true return transfers the
     * right to run. Orders everything its caller wrote before (a volatile RMW) before the run it
     * submits, which starts with a volatile read of the word.
     *
     * @return whether this call set SCHEDULED
     */
    final boolean trySchedule() {
        for (int word = control; (word & SCHEDULED) == 0; word = control) {
            if (CONTROL.compareAndSet(this, word, word | SCHEDULED)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Agent thread, the last step of a run: {@link #endRun()}, then, if {@link #hasWork} finds work
     * in the word it returned or in what it reads after the clear, {@link #trySchedule()}.
     *
     * @return whether the caller won SCHEDULED back and must resubmit the cell
     */
    final boolean endRunAndReschedule() {
        return hasWork(endRun()) && trySchedule();
    }

    /**
     * Agent thread, from {@link #endRunAndReschedule()}: whether the cell must run again. Every read
     * it makes (mailbox cursor, queues) comes after the clear of SCHEDULED; a sender or request that
     * writes after those reads finds SCHEDULED clear and submits the cell itself.
     *
     * @param word the control word as the clear left it
     */
    abstract boolean hasWork(int word);

    /**
     * Agent thread, at the end of a run: clears SCHEDULED (atomic RMW) and returns the word as it is
     * now (without SCHEDULED). Everything the run wrote happens-before the next runner's start (which
     * sets SCHEDULED again by {@link #trySchedule()}). A request whose bit was set before this clear
     * is in the returned word; one set after it sees SCHEDULED clear and submits the cell itself. The
     * caller decides from the returned word (and the volatile reads of mailbox and queues it makes
     * after this call) whether to {@link #trySchedule()} again.
     */
    final int endRun() {
        return clear(SCHEDULED) & ~SCHEDULED;
    }

    // ---- the stop: rules 2.5, 3.6, 4.2, 8.7

    /**
     * Any thread, or the agent thread for a failure-stop: sets CLOSING and the stop's cause in one
     * CAS, unless CLOSING is set already (then it changes nothing). Either way CLOSING is set when
     * it returns, so sends that start after it are refused (rule 2.5); and whoever reads CLOSING
     * set reads the winner's cause with it.
     *
     * @param cause STOPPED, FAILED or RUNTIME_SHUTDOWN
     * @return whether this call set CLOSING: the caller owns the stop and must {@link #publishStop}
     */
    final boolean claimStop(final TerminationCause cause) {
        final int bits = CLOSING | causeBits(cause);
        for (int word = control; (word & CLOSING) == 0; word = control) {
            if (CONTROL.compareAndSet(this, word, word | bits)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The stop's claimant, once: lowers the stop sequence to {@code lastSequence}, then sets
     * STOP_REQUESTED (atomic RMW), which publishes it: an agent thread that sees the bit sees the
     * sequence. Not a schedule; a caller on another thread follows it with {@link #trySchedule()}
     * (through AgentCell.schedule()).
     *
     * @param lastSequence the last mailbox sequence to process before the close
     */
    final void publishStop(final long lastSequence) {
        lowerStopSequence(lastSequence);
        set(STOP_REQUESTED);
    }

    /**
     * Any thread: lowers the stop sequence to {@code candidate} if that is lower (CAS loop), never
     * raises it: a stop request racing a failure-stop cannot let a failed instance process more
     * messages (rule 4.2).
     */
    final void lowerStopSequence(final long candidate) {
        extras().lowerStopSequence(candidate);
    }

    /**
     * Agent thread, after it saw STOP_REQUESTED: the last sequence to process (volatile reads);
     * {@code Long.MAX_VALUE} while no stop was published.
     */
    final long stopSequence() {
        final CellExtras x = extras;
        return x == null ? Long.MAX_VALUE : x.stopSequence();
    }

    // ---- the rarely used parts

    /**
     * Any thread: this cell's {@link CellExtras}, made at the first call (CAS, so that every caller
     * shares one). A cell whose spawn named it or gave it a restart policy has them from the start
     * ({@link #initExtras}); any other gets them without either.
     */
    final CellExtras extras() {
        final CellExtras existing = extras;
        if (existing != null) {
            return existing;
        }
        final CellExtras fresh = new CellExtras(null, null);
        return EXTRAS.compareAndSet(this, null, fresh) ? fresh : extras;
    }

    /** Any thread: this cell's {@link CellExtras} if made, else null (one volatile read). */
    final CellExtras extrasOrNull() {
        return extras;
    }

    /**
     * Constructor only: makes the extras at once, for a spawn that needs them (a name, a policy).
     *
     * @param made the extras for this cell
     */
    final void initExtras(final CellExtras made) {
        extras = made;
    }

    /** Any thread: why the agent stops, the claimant's cause (one volatile read); STOPPED before any claim. */
    final TerminationCause stopCauseOrUnknown() {
        return switch ((control & CAUSE) >>> CAUSE_SHIFT) {
            case 2 -> TerminationCause.FAILED;
            case 3 -> TerminationCause.RUNTIME_SHUTDOWN;
            default -> TerminationCause.STOPPED;
        };
    }

    private static int causeBits(final TerminationCause cause) {
        return switch (cause) {
            case STOPPED -> 1 << CAUSE_SHIFT;
            case FAILED -> 2 << CAUSE_SHIFT;
            case RUNTIME_SHUTDOWN -> 3 << CAUSE_SHIFT;
            default -> throw new IllegalArgumentException("not a stop cause: " + cause);
        };
    }

    /**
     * The runtime's shutdown (any thread): sets FORCED (atomic RMW), before it requests the stop and
     * schedules the cell. A run that reads the word after this terminates the agent at once.
     */
    final void markForced() {
        set(FORCED);
    }

    /**
     * Agent thread only: sets CLOSED (atomic RMW) before the close takes the mailbox, the pending
     * asks and the signals: PendingAsks.register adds its handle, then reads CLOSED, so one of the
     * two sees the other (see PendingAsks).
     */
    final void markClosed() {
        set(CLOSED);
    }

    // ---- pause and resume: rule 3.4, 8.11

    /**
     * Any thread: sets PAUSE_REQUESTED (atomic RMW). Ordered before the caller's waiter and
     * schedule, so the run that completes the waiter reads the request.
     */
    final void requestPause() {
        set(PAUSE_REQUESTED);
    }

    /** Any thread: clears PAUSE_REQUESTED (atomic RMW); ordered as {@link #requestPause()}. */
    final void requestResume() {
        clear(PAUSE_REQUESTED);
    }

    // ---- the two read-modify-writes every transition above is made of

    /**
     * Sets {@code bits}: a CAS loop (volatile read, then CAS until no other transition came
     * between). The JDK implements {@code VarHandle.getAndBitwiseOr} on an int field as the same
     * kind of loop (in {@code jdk.internal.misc.Unsafe}); written out because Lincheck 3.7 placed
     * no thread switch at {@code getAndBitwise*} calls, so check 6 could not catch its broken variant.
     *
     * @return the word before
     */
    private int set(final int bits) {
        int word;
        do {
            word = control;
        } while (!CONTROL.compareAndSet(this, word, word | bits));
        return word;
    }

    /** Clears {@code bits}, as {@link #set}. @return the word before */
    private int clear(final int bits) {
        int word;
        do {
            word = control;
        } while (!CONTROL.compareAndSet(this, word, word & ~bits));
        return word;
    }

    // ---- reads: any thread, one volatile read each

    final boolean isClosing() {
        return (control & CLOSING) != 0;
    }

    final boolean isClosed() {
        return (control & CLOSED) != 0;
    }

    final boolean isStopRequested() {
        return (control & STOP_REQUESTED) != 0;
    }

    final boolean isForced() {
        return (control & FORCED) != 0;
    }

    final boolean isPauseRequested() {
        return (control & PAUSE_REQUESTED) != 0;
    }
}
