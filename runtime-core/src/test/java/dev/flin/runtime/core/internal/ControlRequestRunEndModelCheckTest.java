package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentState;
import dev.flin.runtime.TerminationCause;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Check 6 of "Protocols checked by machine" (docs/conformance.md): a control request (pause, stop)
 * racing the end of a run is never stranded (rules 3.4, 8.1, 8.11, 1.1), model-checked by Lincheck
 * on the real {@link CellControl}: its {@code pause()} and {@code requestStop()}, with their waiter
 * and {@code schedule()}, against its {@code endRunAndReschedule()}.
 *
 * <pre>
 * request:  set its bit (CAS)          ...  trySchedule(): SCHEDULED clear? set it, submit
 * run end:  endRun(): clear SCHEDULED  ...  a request in the returned word? trySchedule(), resubmit
 * </pre>
 * The run applies the word as {@code AgentCell.process} does (take the waiters, read the word,
 * stop before pause, complete the waiters with the state applied); {@code hasWork} is AgentCell's
 * reduced to the requests. Invariant: once the threads are done and every submitted run has run,
 * the stop was applied, the pause caller's future is complete, no request bit was lost, and the cell
 * was never submitted twice at once.
 *
 * <p>The broken variant decides at the run end from a word read before SCHEDULED is cleared: a stop
 * whose bit lands between that read and the clear finds SCHEDULED still set and submits nothing,
 * and the run end does not see it. It is checked with the stop alone: a pause is not stranded by
 * that variant (its waiter, added before its schedule, is read after the clear), and a pause caller
 * that schedules the cell after the run end also rescues a stranded stop.
 */
class ControlRequestRunEndModelCheckTest {

    static final int INVOCATIONS = 500;

    static final class Cell extends ModelCheckCell {
        final boolean readsAfterClear;

        Cell(final boolean readsAfterClear) {
            this.readsAfterClear = readsAfterClear;
        }

        /** The control part of AgentCell.process, then the run end of runScheduled. */
        @Override
        void run() {
            final ControlWaiters.Generation settling = takeControlWaiters();
            final int word = control();
            if (has(word, STOP_REQUESTED)) {
                state = AgentState.SHUTTING_DOWN;
            } else if (state == AgentState.RUNNING && has(word, PAUSE_REQUESTED)) {
                state = AgentState.PAUSED;
            } else if (state == AgentState.PAUSED && !has(word, PAUSE_REQUESTED)) {
                state = AgentState.RUNNING;
            }
            if (settling != null) {
                settling.complete(state);
            }
            endOfRun();
        }

        void endOfRun() {
            if (readsAfterClear) {
                if (endRunAndReschedule()) { // the real run end
                    submit();
                }
            } else { // BROKEN: decides from a word read before it clears SCHEDULED
                final int word = control();
                endRun();
                if (hasWork(word) && trySchedule()) {
                    submit();
                }
            }
        }

        /** AgentCell.hasWork, reduced to the requests. */
        @Override
        boolean hasWork(final int word) {
            if (has(word, STOP_REQUESTED) && state != AgentState.SHUTTING_DOWN) {
                return true;
            }
            if (controlWaitersPending()) {
                return true;
            }
            return state != AgentState.SHUTTING_DOWN && has(word, PAUSE_REQUESTED) != (state == AgentState.PAUSED);
        }
    }

    /**
     * @param withPause whether a pause races the stop and the run end; without it, the stop alone
     *                  (a pause caller schedules the cell after its waiter, which would rescue a
     *                  stranded stop in the broken variant)
     */
    static void scenario(final boolean readsAfterClear, final boolean withPause) {
        final Cell cell = new Cell(readsAfterClear);
        @SuppressWarnings({"unchecked", "rawtypes"}) // a generic array, shared with the model checker
        final CompletionStage<AgentState>[] paused = new CompletionStage[1];
        ModelCheck.share(cell, paused);
        final Thread pauser = new Thread(() -> paused[0] = cell.pause());
        final Thread stopper = new Thread(() -> cell.requestStop(TerminationCause.STOPPED));
        final Thread agent = new Thread(cell::endOfRun); // the run in progress ends as the requests arrive
        if (withPause) {
            ModelCheck.startAll(pauser, stopper, agent);
            ModelCheck.join(pauser, stopper, agent);
        } else {
            ModelCheck.startAll(stopper, agent);
            ModelCheck.join(stopper, agent);
        }
        cell.runSubmitted();
        final int word = cell.control();
        if (withPause != CellControl.has(word, CellControl.PAUSE_REQUESTED) || !CellControl.has(word, CellControl.STOP_REQUESTED)
                || !cell.isClosing()) {
            throw new AssertionError("a request bit was lost: control word " + Integer.toBinaryString(word));
        }
        if (cell.state != AgentState.SHUTTING_DOWN) {
            throw new AssertionError("stop stranded: requested, the cell is idle (SCHEDULED "
                    + (cell.isIdle() ? "clear" : "set") + ") and no run applied it; state " + cell.state);
        }
        if (withPause && !paused[0].toCompletableFuture().isDone()) {
            throw new AssertionError("pause stranded: its caller still waits, the cell is idle (SCHEDULED "
                    + (cell.isIdle() ? "clear" : "set") + ")");
        }
    }

    @Test
    void aStopAndAPauseRacingTheEndOfARunAreApplied() {
        ModelCheck.run("6 pause + stop vs run end (CellControl)", INVOCATIONS, () -> scenario(true, true));
    }

    @Test
    void aStopRacingTheEndOfARunIsApplied() {
        ModelCheck.run("6 stop vs run end (CellControl)", INVOCATIONS, () -> scenario(true, false));
    }

    @Test
    void aRunEndThatDecidesFromTheWordBeforeClearingScheduledIsCaught() {
        ModelCheck.expectViolation("6 BROKEN stop vs run end: the word read before SCHEDULED is cleared",
                INVOCATIONS, () -> scenario(false, false));
    }
}
