package dev.flin.runtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The control word of one agent: every flag that senders, control calls and the agent thread
 * exchange, as bits of one {@code int}, changed only by the named transitions below. {@link AgentCell}
 * extends it; the model checks ({@code *ModelCheckTest}) extend it too and drive these same steps.
 *
 * <h2>The bits</h2>
 * <ul>
 *   <li>{@link #SCHEDULED}: the cell is submitted to its dispatcher or running. Set by whoever wins
 *       {@link #trySchedule()} (and then submits the cell), cleared by the agent thread at the end
 *       of a run ({@link #endRun()}). One runner at a time: rules 1.1 and 1.2.</li>
 *   <li>{@link #CLOSING}: a stop was claimed; sends are refused from here on (rule 2.5). Set once,
 *       by {@link #claimStop()}, which is also the claim: whoever sets it decides the stop's cause and
 *       sequence. One bit for both closes the window commit 5dfa1fd patched, where a stop had
 *       claimed but not yet written "closing" and a concurrent stop() returned before it had.</li>
 *   <li>{@link #STOP_REQUESTED}: the claimant has written the stop sequence and cause; the agent
 *       thread may act on them.</li>
 *   <li>{@link #FORCED}: the runtime's shutdown gave up waiting; terminate at once (rule 8.7).</li>
 *   <li>{@link #PAUSE_REQUESTED}: pause wanted (rule 3.4); cleared by a resume.</li>
 *   <li>{@link #CLOSED}: the agent thread began the close (finishStop): no more signals, and the
 *       asker's half of the PendingAsks Dekker pair.</li>
 * </ul>
 * Once set, CLOSING, STOP_REQUESTED, FORCED and CLOSED stay set. The stop's sequence and cause and
 * the lifecycle state stay separate fields of {@link AgentCell}: they are written before
 * STOP_REQUESTED (state by the agent thread only) and folding them in would not simplify anything.
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
 * docs/conformance.md). The same holds for a sender, whose claim of a mailbox slot (a CAS on the
 * mailbox cursor) precedes its read of SCHEDULED, while the run end reads the cursor after its clear
 * (check 2).
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

    private static final VarHandle CONTROL;

    static {
        try {
            CONTROL = MethodHandles.lookup().findVarHandle(CellControl.class, "control", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The control word; volatile, changed only by the atomic transitions below. */
    private volatile int control;

    /** A new agent: nothing set; its spawn schedules it. */
    CellControl() {
        this(false);
    }

    /** @param scheduled whether to start as SCHEDULED: the model checks start in the middle of a run */
    CellControl(final boolean scheduled) {
        this.control = scheduled ? SCHEDULED : 0;
    }

    /** Any thread: the whole word, one volatile read (a snapshot: test its bits with {@link #has}). */
    final int control() {
        return control;
    }

    static boolean has(final int word, final int bits) {
        return (word & bits) != 0;
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
     * Any thread, or the agent thread for a failure-stop: sets CLOSING (atomic RMW). Sends that
     * start after this call returns are refused (rule 2.5), whether or not it won.
     *
     * @return whether this call set it: the caller owns the stop and must write its sequence and
     *         cause, then {@link #markStopRequested()}
     */
    final boolean claimStop() {
        return (set(CLOSING) & CLOSING) == 0;
    }

    /**
     * The stop's claimant: sets STOP_REQUESTED (atomic RMW), after writing the stop sequence and cause,
     * which it publishes: an agent thread that sees the bit sees them. Not a schedule; a caller on
     * another thread follows it with {@link #trySchedule()} (through AgentCell.schedule()).
     */
    final void markStopRequested() {
        set(STOP_REQUESTED);
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
