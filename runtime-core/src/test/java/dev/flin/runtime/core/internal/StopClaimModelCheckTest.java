package dev.flin.runtime.core.internal;

import dev.flin.runtime.TerminationCause;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.Test;

/**
 * Check 7 of "Protocols checked by machine" (docs/conformance.md): a {@code stop()} racing a
 * failure-stop on the agent thread; once {@code stop()} returned, every send that starts is refused
 * (rule 2.5), whichever of the two claimed the stop. Model-checked by Lincheck on the real
 * {@link CellControl#requestStop} and {@link CellControl#claimStop}, where the claim and CLOSING
 * are one bit.
 *
 * <p>The broken variant is the protocol before the control word, without the fix of commit 5dfa1fd:
 * a claim flag (CAS) and a separate {@code closing} flag written after it, with a losing
 * {@code stop()} returning at once. The kit's model property once caught that as an ask accepted
 * after {@code stop()} returned, on JDK 25; this check finds it in a few invocations.
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
            if (claimStop()) {
                publishStop(TerminationCause.FAILED, -1);
            }
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
    void aClaimApartFromClosingIsCaught() {
        ModelCheck.expectViolation("7 BROKEN stop() vs failure-stop: claim flag apart from closing (before 5dfa1fd)",
                INVOCATIONS, StopClaimModelCheckTest::brokenScenario);
    }
}
