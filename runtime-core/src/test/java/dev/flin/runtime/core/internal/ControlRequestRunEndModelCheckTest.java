package dev.flin.runtime.core.internal;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Check 6 of "Protocols checked by machine" (docs/conformance.md): a control request (pause, stop)
 * racing the end of a run is never stranded (rules 3.4, 8.11, 1.1), model-checked by Lincheck on the
 * real control word ({@link CellControl}).
 *
 * <pre>
 * request:  set its bit (RMW)           ...  trySchedule(): SCHEDULED clear? set it, submit
 * run end:  endRun(): clear SCHEDULED   ...  a request in the returned word? trySchedule(), resubmit
 * </pre>
 * The requests are the real transitions ({@code requestPause}; {@code claimStop} +
 * {@code markStopRequested}) followed by {@code trySchedule}, as AgentCell's {@code pause()} and
 * {@code requestStop} do after their waiter and fence; the run applies the word as
 * {@code AgentCell.process} does (stop, then pause), and its end is AgentCell's run end with
 * {@code hasWork} reduced to the two requests. Invariant: once the threads are done and every
 * submitted run has run, both requests were applied, their bits are still set, and the cell was
 * never submitted twice at once.
 */
class ControlRequestRunEndModelCheckTest {

    static final int INVOCATIONS = 500;

    /** SCHEDULED set: a run is in progress when the scenario starts. */
    static final class Cell extends CellControl {
        /** Runs submitted to the "dispatcher" and not yet started. */
        final AtomicInteger submitted = new AtomicInteger();
        final boolean readsAfterClear;
        /** Agent thread: the state applied, as AgentCell's lifecycle state would say it. */
        boolean paused;
        boolean stopping;

        Cell(final boolean readsAfterClear) {
            super(true);
            this.readsAfterClear = readsAfterClear;
        }

        private void submit() {
            if (submitted.incrementAndGet() > 1) {
                throw new AssertionError("the cell was submitted twice: two runners");
            }
        }

        /** AgentCell.pause(): the bit, then (after its waiter and schedule()'s fence) trySchedule. */
        void pause() {
            requestPause();
            if (trySchedule()) {
                submit();
            }
        }

        /** AgentCell.requestStop: claim, publish, schedule. */
        void stop() {
            if (claimStop()) {
                markStopRequested();
                if (trySchedule()) {
                    submit();
                }
            }
        }

        /** The control part of AgentCell.process, then the run end of runScheduled. */
        void run() {
            final int applied = control();
            if (has(applied, STOP_REQUESTED)) {
                stopping = true;
            } else {
                paused = has(applied, PAUSE_REQUESTED);
            }
            endOfRun();
        }

        void endOfRun() {
            if (readsAfterClear) {
                final int word = endRun();
                if (hasWork(word) && trySchedule()) {
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

        private boolean hasWork(final int word) {
            if (has(word, STOP_REQUESTED)) {
                return !stopping;
            }
            return has(word, PAUSE_REQUESTED) != paused;
        }

        /** The dispatcher, once the threads are done: runs what was submitted. */
        void runSubmitted() {
            while (submitted.get() > 0) {
                submitted.decrementAndGet();
                run();
            }
        }
    }

    static void scenario(final boolean readsAfterClear) {
        final Cell cell = new Cell(readsAfterClear);
        ModelCheck.share(cell);
        final Thread pauser = new Thread(cell::pause);
        final Thread stopper = new Thread(cell::stop);
        final Thread agent = new Thread(cell::endOfRun); // the run in progress ends as the requests arrive
        ModelCheck.startAll(pauser, stopper, agent);
        ModelCheck.join(pauser, stopper, agent);
        cell.runSubmitted();
        final int word = cell.control();
        if (!CellControl.has(word, CellControl.PAUSE_REQUESTED) || !CellControl.has(word, CellControl.STOP_REQUESTED)
                || !cell.isClosing()) {
            throw new AssertionError("a request bit was lost: control word " + Integer.toBinaryString(word));
        }
        if (!cell.stopping) {
            throw new AssertionError("stop stranded: requested, the cell is idle (SCHEDULED "
                    + (cell.isIdle() ? "clear" : "set") + ") and no run applied it");
        }
    }

    static void pauseOnly(final boolean readsAfterClear) {
        final Cell cell = new Cell(readsAfterClear);
        ModelCheck.share(cell);
        final Thread pauser = new Thread(cell::pause);
        final Thread agent = new Thread(cell::endOfRun);
        ModelCheck.startAll(pauser, agent);
        ModelCheck.join(pauser, agent);
        cell.runSubmitted();
        if (!cell.paused) {
            throw new AssertionError("pause stranded: requested, the cell is idle (SCHEDULED "
                    + (cell.isIdle() ? "clear" : "set") + ") and no run applied it");
        }
    }

    @Test
    void aStopOrPauseRequestRacingTheEndOfARunIsApplied() {
        ModelCheck.run("6 control request vs run end (CellControl)", INVOCATIONS, () -> scenario(true));
    }

    @Test
    void aPauseRacingTheEndOfARunIsApplied() {
        ModelCheck.run("6 pause vs run end (CellControl)", INVOCATIONS, () -> pauseOnly(true));
    }

    @Test
    void aRunEndThatDecidesFromTheWordBeforeClearingScheduledIsCaught() {
        ModelCheck.expectViolation("6 BROKEN control request vs run end: the word read before SCHEDULED is cleared",
                INVOCATIONS, () -> scenario(false));
    }

    @Test
    void aRunEndThatDecidesFromTheWordBeforeClearingScheduledStrandsAPause() {
        ModelCheck.expectViolation("6 BROKEN pause vs run end: the word read before SCHEDULED is cleared",
                INVOCATIONS, () -> pauseOnly(false));
    }
}
