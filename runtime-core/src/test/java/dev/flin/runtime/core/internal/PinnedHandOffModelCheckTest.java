package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.Dispatchers;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Check 8 of "Protocols checked by machine" (docs/conformance.md): no lost wake-up between a pinned
 * agent's thread going to park and a sender's {@code execute}, model-checked by Lincheck on the
 * real {@link PinnedAgentThread} (no spin or yield rounds, so it parks at once, and a
 * {@link PinnedAgentThread.Parking} without spurious returns, so that a lost wake-up is a hang).
 *
 * <pre>
 * thread: task = swap(pending, null); none -> parked = true; if (pending == null &amp;&amp; !closed) park; parked = false
 * sender: pending = task; if (parked) unpark
 * </pre>
 * The broken variant is a test-local copy of that loop and of {@code execute} that parks without
 * re-reading {@code pending} after publishing {@code parked}.
 */
class PinnedHandOffModelCheckTest {

    static final int INVOCATIONS = 300;

    /**
     * Parks until {@link #unpark} gave a permit, never spuriously: Lincheck lets
     * {@code LockSupport.park} return spuriously, and the pinned loop re-reads {@code pending} after
     * every return, which would hide a lost wake-up.
     */
    static final class ExactParking implements PinnedAgentThread.Parking {
        private final AtomicBoolean permit = new AtomicBoolean();

        @Override
        public void park(final Object blocker) {
            while (!permit.getAndSet(false)) {
                LockSupport.park(blocker);
            }
        }

        @Override
        public void unpark(final Thread thread) {
            permit.set(true);
            LockSupport.unpark(thread);
        }
    }

    /** One task handed over from another thread while the pinned thread starts and goes idle. */
    static void realScenario() {
        final ExactParking parking = new ExactParking();
        final PinnedAgentThread pinned = new PinnedAgentThread(Dispatchers.deterministic(1), "model-check-pinned", () -> { },
                0, 0, parking);
        final AtomicBoolean ran = new AtomicBoolean();
        ModelCheck.share(pinned, parking, ran);
        pinned.start();
        final Thread sender = new Thread(() -> pinned.execute(() -> ran.set(true)));
        sender.start();
        ModelCheck.join(sender);
        while (!ran.get()) { // a lost wake-up: the pinned thread parks for ever, and this loop never ends
            Thread.onSpinWait();
        }
        pinned.close();
        ModelCheck.join(pinned.thread());
    }

    /** PinnedAgentThread's loop and execute, parking at once, with or without the re-check. */
    static final class Copy {
        final boolean recheck;
        final ExactParking parking = new ExactParking();
        volatile Runnable pending;
        volatile boolean parked;
        volatile boolean closed;
        final Thread thread = new Thread(this::runLoop);

        Copy(final boolean recheck) {
            this.recheck = recheck;
        }

        void runLoop() {
            while (true) {
                final Runnable task = pending;
                if (task != null) {
                    pending = null;
                    task.run();
                    continue;
                }
                if (closed) {
                    return;
                }
                parked = true;
                if (recheck ? pending == null && !closed : !closed) { // BROKEN when !recheck
                    parking.park(this);
                }
                parked = false;
            }
        }

        void execute(final Runnable task) {
            pending = task;
            if (parked) {
                parking.unpark(thread);
            }
        }

        void close() {
            closed = true;
            parking.unpark(thread);
            ModelCheck.join(thread);
        }
    }

    static void copyScenario(final boolean recheck) {
        final Copy copy = new Copy(recheck);
        final AtomicBoolean ran = new AtomicBoolean();
        ModelCheck.share(copy, copy.parking, ran);
        copy.thread.start();
        final Thread sender = new Thread(() -> copy.execute(() -> ran.set(true)));
        sender.start();
        ModelCheck.join(sender);
        while (!ran.get()) {
            Thread.onSpinWait();
        }
        copy.close();
    }

    @Test
    void aTaskHandedOverAsThePinnedThreadParksIsRun() {
        ModelCheck.run("6 pinned park vs execute (PinnedAgentThread)", INVOCATIONS, PinnedHandOffModelCheckTest::realScenario);
    }

    /** Control: the copy with the re-check passes, so the broken variant fails for the step it lacks. */
    @Test
    void theCopyWithTheReCheckPasses() {
        ModelCheck.run("6 control: copy of pinned park vs execute with the re-check", INVOCATIONS / 3,
                () -> copyScenario(true));
    }

    @Test
    void aParkWithoutReCheckIsCaught() {
        ModelCheck.expectViolation("6 BROKEN pinned park vs execute: no re-read of pending after parked = true", INVOCATIONS,
                () -> copyScenario(false));
    }
}
