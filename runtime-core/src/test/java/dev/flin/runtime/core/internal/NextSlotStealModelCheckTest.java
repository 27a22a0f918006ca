package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Check 5 of "Protocols checked by machine" (docs/conformance.md): a task in a worker's next slot
 * is run by exactly one of its owner ({@code takeNext}: exchange) and an idle worker stealing it
 * ({@code steal}: CAS), model-checked by Lincheck on the real {@code WorkerPoolDispatcher.Worker}
 * methods.
 *
 * <p>The dispatcher is built outside the model checker with two workers whose idle strategy parks
 * until woken; once both are parked (nothing wakes them: no task is ever executed), the test calls
 * the private {@code takeNext} and {@code steal} of their {@code Worker} objects from two threads of
 * its own, through method handles (the tests are patched into the runtime-core module, so a
 * private lookup is allowed). The broken variant is a test-local copy whose steal clears the slot
 * with a plain write instead of a CAS.
 */
class NextSlotStealModelCheckTest {

    static final int INVOCATIONS = 300;

    private static final MethodHandle TAKE_NEXT;
    private static final MethodHandle STEAL;
    private static final VarHandle NEXT;
    private static final VarHandle WATCHED;
    private static final int STEAL_AFTER_ROUNDS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(WorkerPoolDispatcher.class, MethodHandles.lookup());
            final Class<?> worker = Class.forName(WorkerPoolDispatcher.class.getName() + "$Worker");
            TAKE_NEXT = lookup.findVirtual(worker, "takeNext", MethodType.methodType(DispatchNode.class))
                    .asType(MethodType.methodType(DispatchNode.class, Object.class));
            STEAL = lookup.findVirtual(worker, "steal", MethodType.methodType(DispatchNode.class, int.class))
                    .asType(MethodType.methodType(DispatchNode.class, Object.class, int.class));
            NEXT = lookup.findVarHandle(worker, "next", DispatchNode.class);
            WATCHED = lookup.findVarHandle(worker, "watched", DispatchNode.class);
            STEAL_AFTER_ROUNDS = (int) lookup.findStaticVarHandle(WorkerPoolDispatcher.class, "STEAL_AFTER_ROUNDS", int.class).get();
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private WorkerPoolDispatcher dispatcher;
    private Object owner;
    private Object thief;

    @BeforeEach
    void parkedPool() {
        dispatcher = new WorkerPoolDispatcher(2, new WorkerPoolWakeupModelCheckTest.ParkUntilWoken(), "model-check-steal");
        final Thread[] threads = dispatcher.threads();
        owner = WorkerPoolWakeupModelCheckTest.worker(threads[0]);
        thief = WorkerPoolWakeupModelCheckTest.worker(threads[1]);
        // Both parked: from here on neither touches a slot until shutdown (ParkUntilWoken ignores spurious wake-ups).
        while (!WorkerPoolWakeupModelCheckTest.parked(owner) || !WorkerPoolWakeupModelCheckTest.parked(thief)) {
            Thread.onSpinWait();
        }
    }

    @AfterEach
    void shutdown() {
        dispatcher.shutdown(5_000_000_000L);
    }

    /** A slot and its two takers: the real Worker methods, or the broken copy. */
    interface Slot {
        void put(DispatchNode task);

        /** The thief's first look: it starts watching the task. */
        DispatchNode watch();

        DispatchNode ownerTakes();

        DispatchNode thiefSteals();
    }

    final class RealSlot implements Slot {

        @Override
        public void put(final DispatchNode task) {
            ModelCheck.share(owner, thief);
            NEXT.setVolatile(owner, task);
            WATCHED.set(thief, null);
        }

        @Override
        public DispatchNode watch() {
            return invoke(() -> (DispatchNode) STEAL.invokeExact(thief, 1));
        }

        @Override
        public DispatchNode ownerTakes() {
            return invoke(() -> (DispatchNode) TAKE_NEXT.invokeExact(owner));
        }

        @Override
        public DispatchNode thiefSteals() {
            return invoke(() -> (DispatchNode) STEAL.invokeExact(thief, 1 + STEAL_AFTER_ROUNDS));
        }
    }

    interface Call {
        DispatchNode call() throws Throwable;
    }

    static DispatchNode invoke(final Call call) {
        try {
            return call.call();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Worker.takeNext and Worker.steal (for one other worker), with steal's CAS replaced by a plain write. */
    static final class BrokenSlot implements Slot {
        private static final VarHandle SLOT;

        static {
            try {
                SLOT = MethodHandles.lookup().findVarHandle(BrokenSlot.class, "next", DispatchNode.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        volatile DispatchNode next;
        private DispatchNode watched;

        @Override
        public void put(final DispatchNode task) {
            next = task;
        }

        @Override
        public DispatchNode watch() {
            watched = next;
            return null;
        }

        @Override
        public DispatchNode ownerTakes() {
            return next == null ? null : (DispatchNode) SLOT.getAndSet(this, null);
        }

        @Override
        public DispatchNode thiefSteals() {
            final DispatchNode candidate = next;
            if (candidate != null && candidate == watched) {
                next = null; // BROKEN: was NEXT.compareAndSet(other, candidate, null)
                return candidate;
            }
            return null;
        }
    }

    /** @return 0 if the owner took the task, 1 if the thief stole it */
    static int scenario(final Slot slot) {
        final DispatchNode task = new DispatchNode() {
            @Override
            public void run() {
            }
        };
        ModelCheck.share(slot, task);
        slot.put(task);
        if (slot.watch() != null) {
            throw new AssertionError("stolen at first sight");
        }
        final DispatchNode[] got = new DispatchNode[2];
        final Thread ownerThread = new Thread(() -> got[0] = slot.ownerTakes());
        final Thread thiefThread = new Thread(() -> got[1] = slot.thiefSteals());
        ModelCheck.startAll(ownerThread, thiefThread);
        ModelCheck.join(ownerThread, thiefThread);
        final int runs = (got[0] == task ? 1 : 0) + (got[1] == task ? 1 : 0);
        if (runs != 1) {
            throw new AssertionError("the task would run " + runs + " times (owner took " + got[0] + ", thief stole " + got[1] + ")");
        }
        return got[0] == task ? 0 : 1;
    }

    @Test
    void exactlyOneOfOwnerAndThiefRunsTheTask() {
        final RealSlot slot = new RealSlot();
        final int[] wins = new int[2]; // owner, thief: both orders must have been explored
        ModelCheck.run("5 next-slot take vs steal (WorkerPoolDispatcher.Worker)", INVOCATIONS, () -> wins[scenario(slot)]++);
        System.out.printf("[model-check] 5 next-slot: owner took it in %d invocations, the thief in %d%n", wins[0], wins[1]);
        assertTrue(wins[0] > 0 && wins[1] > 0, "both the owner and the thief must win somewhere");
    }

    @Test
    void aStealWithAPlainWriteIsCaught() {
        ModelCheck.expectViolation("5 BROKEN next-slot: steal clears the slot with a plain write, not a CAS", INVOCATIONS,
                () -> scenario(new BrokenSlot()));
    }
}
