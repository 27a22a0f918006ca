package dev.flin.runtime.core.internal;

import dev.flin.runtime.TerminationCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Check 7 of "Protocols checked by machine" (docs/conformance.md): a stop racing a failure-stop on
 * the agent thread, model-checked by Lincheck on the real {@link CellControl#requestStop} and
 * {@link CellControl#claimStop}, where the claim, CLOSING and the stop's cause are one CAS.
 * <ul>
 *   <li>Once {@code stop()} returned, every send that starts is refused (rule 2.5), whichever of the
 *       two claimed the stop. The broken variant is the protocol before the control word, without
 *       the fix of commit 5dfa1fd: a claim flag (CAS) and a separate {@code closing} flag written
 *       after it, with a losing {@code stop()} returning at once. The kit's model property once
 *       caught that as an ask accepted after {@code stop()} returned, on JDK 25.</li>
 *   <li>The close reports the cause of whoever claimed the stop (rule 4.2: the request's cause
 *       stays). With the cause a field written after the claim, a failure-stop that lost the claim
 *       to the runtime's shutdown closed the agent in between and reported STOPPED, and its dead
 *       letters RECIPIENT_TERMINATED, instead of RUNTIME_SHUTDOWN. This check found that race on
 *       this branch's first CellControl (and AgentCell before it had the same two steps); the
 *       cause is now set with CLOSING. The broken variant is that protocol.</li>
 * </ul>
 */
class StopClaimModelCheckTest {

    static final int INVOCATIONS = 300;

    /** The real claim, on the control word. */
    static final class Cell extends ModelCheckCell {
        @Override
        boolean hasWork(final int word) {
            return false; // no run here
        }

        @Override
        void run() {
        }

        /** Agent thread: the failure-stop's claim (AgentCell.stopAfterFailure). */
        void failureStop() {
            failureStopClaimed();
        }

        /** AgentCell.stopAfterFailure. @return whether it claimed the stop */
        boolean failureStopClaimed() {
            if (claimStop(TerminationCause.FAILED)) {
                publishStop(-1);
                return true;
            }
            lowerStopSequence(-1);
            return false;
        }

        /** The real requestStop (as AgentCell.stop), then the start of a send (AgentCell.offer's first check). */
        boolean stopThenSendRefused() {
            requestStop(TerminationCause.STOPPED);
            return isClosing();
        }
    }

    /** BROKEN: two flags, a losing stop() returns before the winner wrote "closing". */
    static final class TwoFlagCell {
        private static final VarHandle STOP_CLAIMED;

        static {
            try {
                STOP_CLAIMED = MethodHandles.lookup().findVarHandle(TwoFlagCell.class, "stopClaimed", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @SuppressWarnings("unused")
        private volatile int stopClaimed;
        private volatile boolean closing;

        void failureStop() {
            if (STOP_CLAIMED.compareAndSet(this, 0, 1)) {
                closing = true;
            }
        }

        boolean stopThenSendRefused() {
            if (STOP_CLAIMED.compareAndSet(this, 0, 1)) {
                closing = true;
            }
            return closing;
        }
    }

    static void scenario() {
        final Cell cell = new Cell();
        final boolean[] refused = new boolean[1];
        ModelCheck.share(cell, refused);
        final Thread agent = new Thread(cell::failureStop);
        final Thread stopper = new Thread(() -> refused[0] = cell.stopThenSendRefused());
        ModelCheck.startAll(agent, stopper);
        ModelCheck.join(agent, stopper);
        if (!refused[0]) {
            throw new AssertionError("a send after stop() returned was not refused: CLOSING clear");
        }
    }

    /**
     * The runtime's shutdown stops the agent as it fails: the close (on the agent thread, right
     * after its failure-stop, since either claimant lowered the stop sequence to what it consumed)
     * reads the cause, which must be that of whoever claimed the stop (rule 4.2: a stop request is
     * not undone by the failure; the cause stays the request's).
     */
    static void causeScenario() {
        final Cell cell = new Cell();
        final TerminationCause[] closedWith = new TerminationCause[1];
        final boolean[] agentClaimed = new boolean[1];
        ModelCheck.share(cell, closedWith, agentClaimed);
        final Thread agent = new Thread(() -> {
            agentClaimed[0] = cell.failureStopClaimed();
            closedWith[0] = cell.stopCauseOrUnknown(); // finishStop: the termination's cause and dead-letter reason
        });
        final Thread shutdown = new Thread(() -> cell.requestStop(TerminationCause.RUNTIME_SHUTDOWN));
        ModelCheck.startAll(agent, shutdown);
        ModelCheck.join(agent, shutdown);
        final TerminationCause expected = agentClaimed[0] ? TerminationCause.FAILED : TerminationCause.RUNTIME_SHUTDOWN;
        if (closedWith[0] != expected) {
            throw new AssertionError("the agent closed with cause " + closedWith[0] + ", the stop was claimed by "
                    + (agentClaimed[0] ? "its failure" : "the shutdown") + ": " + expected);
        }
    }

    /** BROKEN: the cause a field the claimant writes after its claim (this branch before the fix). */
    static final class CauseAfterClaimCell {
        private final AtomicBoolean closing = new AtomicBoolean();
        private volatile TerminationCause cause;

        boolean failureStopClaimed() {
            if (!closing.getAndSet(true)) {
                cause = TerminationCause.FAILED;
                return true;
            }
            return false;
        }

        void requestStop(final TerminationCause requested) {
            if (!closing.getAndSet(true)) {
                cause = requested; // after the claim: the window
            }
        }

        TerminationCause stopCauseOrUnknown() {
            final TerminationCause c = cause;
            return c == null ? TerminationCause.STOPPED : c;
        }
    }

    static void brokenCauseScenario() {
        final CauseAfterClaimCell cell = new CauseAfterClaimCell();
        final TerminationCause[] closedWith = new TerminationCause[1];
        final boolean[] agentClaimed = new boolean[1];
        ModelCheck.share(cell, closedWith, agentClaimed);
        final Thread agent = new Thread(() -> {
            agentClaimed[0] = cell.failureStopClaimed();
            closedWith[0] = cell.stopCauseOrUnknown();
        });
        final Thread shutdown = new Thread(() -> cell.requestStop(TerminationCause.RUNTIME_SHUTDOWN));
        ModelCheck.startAll(agent, shutdown);
        ModelCheck.join(agent, shutdown);
        final TerminationCause expected = agentClaimed[0] ? TerminationCause.FAILED : TerminationCause.RUNTIME_SHUTDOWN;
        if (closedWith[0] != expected) {
            throw new AssertionError("the agent closed with cause " + closedWith[0] + ", the stop was claimed by "
                    + (agentClaimed[0] ? "its failure" : "the shutdown") + ": " + expected);
        }
    }

    static void brokenScenario() {
        final TwoFlagCell cell = new TwoFlagCell();
        final boolean[] refused = new boolean[1];
        ModelCheck.share(cell, refused);
        final Thread agent = new Thread(cell::failureStop);
        final Thread stopper = new Thread(() -> refused[0] = cell.stopThenSendRefused());
        ModelCheck.startAll(agent, stopper);
        ModelCheck.join(agent, stopper);
        if (!refused[0]) {
            throw new AssertionError("a send after stop() returned was not refused: the failure-stop claimed and had not"
                    + " written closing yet");
        }
    }

    @Test
    void aSendAfterStopReturnsIsRefusedWhoeverClaimedTheStop() {
        ModelCheck.run("7 stop() vs failure-stop (CellControl)", INVOCATIONS, StopClaimModelCheckTest::scenario);
    }

    @Test
    void theCloseReportsTheCauseOfWhoeverClaimedTheStop() {
        ModelCheck.run("7 cause: shutdown vs failure-stop (CellControl)", INVOCATIONS, StopClaimModelCheckTest::causeScenario);
    }

    @Test
    void aCauseWrittenAfterTheClaimIsCaught() {
        ModelCheck.expectViolation("7 BROKEN cause: written after the claim (before the fix)", INVOCATIONS,
                StopClaimModelCheckTest::brokenCauseScenario);
    }

    @Test
    void aClaimApartFromClosingIsCaught() {
        ModelCheck.expectViolation("7 BROKEN stop() vs failure-stop: claim flag apart from closing (before 5dfa1fd)",
                INVOCATIONS, StopClaimModelCheckTest::brokenScenario);
    }
}
