package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.IdleStrategy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Check 4 of "Protocols checked by machine" (docs/conformance.md): no lost wake-up between a
 * worker going to park and a producer's {@code execute}, model-checked by Lincheck on the real
 * {@link WorkerPoolDispatcher} (one worker, an idle strategy that parks without a timeout and
 * without spurious wake-ups, so a lost wake-up is a hang rather than a delay).
 *
 * <pre>
 * worker:   queue empty -> parked = true; full fence; queue.isEmpty() -> park
 * producer: queue.offer; full fence; parked -> CAS parked true -> false; unpark
 * </pre>
 * The broken variant is a test-local copy of that loop and of {@code offerShared} over the real
 * {@link MpscNodeQueue}, without the re-check of the queue after publishing the parked flag.
 */
class WorkerPoolWakeupModelCheckTest {

    static final int INVOCATIONS = 300;

    private static final VarHandle RUNNING;
    private static final VarHandle THREAD_WORKER;
    private static final VarHandle THREAD_POOL;
    private static final VarHandle WORKER_PARKED;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(WorkerPoolDispatcher.class, MethodHandles.lookup());
            final Class<?> workerThread = Class.forName(WorkerPoolDispatcher.class.getName() + "$WorkerThread");
            final Class<?> worker = Class.forName(WorkerPoolDispatcher.class.getName() + "$Worker");
            RUNNING = lookup.findVarHandle(WorkerPoolDispatcher.class, "running", boolean.class);
            THREAD_WORKER = lookup.findVarHandle(workerThread, "worker", worker);
            THREAD_POOL = lookup.findVarHandle(workerThread, "pool", WorkerPoolDispatcher.class);
            WORKER_PARKED = lookup.findVarHandle(worker, "parked", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static Object worker(final Thread workerThread) {
        return THREAD_WORKER.get(workerThread);
    }

    static boolean parked(final Object worker) {
        return (boolean) WORKER_PARKED.getVolatile(worker);
    }

    /**
     * Parks until woken, without a timeout and without spurious wake-ups, so that a lost wake-up is
     * a hang the model checker reports. Lincheck lets {@code park} return spuriously, which would
     * hide a lost wake-up; a wake-up is real when a producer claimed it (CAS of the worker's
     * {@code parked} flag to false, before its unpark) or the pool stopped.
     */
    static final class ParkUntilWoken implements IdleStrategy {
        @Override
        public void idle(final int idleRounds) {
            final Thread self = Thread.currentThread();
            final Object worker = THREAD_WORKER.get(self);
            final Object pool = THREAD_POOL.get(self);
            do {
                LockSupport.park();
            } while ((boolean) WORKER_PARKED.getVolatile(worker) && (boolean) RUNNING.getVolatile(pool));
        }

        @Override
        public boolean parks(final int idleRounds) {
            return true;
        }

        @Override
        public IdleStrategy copy() {
            return this;
        }
    }

    /**
     * Spins for two idle rounds (counting as the pool's spinning worker, so that a submission from
     * outside wakes nobody), then parks as {@link ParkUntilWoken}: a spinner that leaves the count
     * and parks without finding a task submitted meanwhile is a hang.
     */
    static final class SpinThenParkUntilWoken implements IdleStrategy {
        private static final ParkUntilWoken PARK = new ParkUntilWoken();

        @Override
        public void idle(final int idleRounds) {
            if (parks(idleRounds)) {
                PARK.idle(idleRounds);
            } else {
                Thread.onSpinWait();
            }
        }

        @Override
        public boolean parks(final int idleRounds) {
            return idleRounds > 2;
        }

        @Override
        public IdleStrategy copy() {
            return this;
        }
    }

    /** One task submitted from outside while the only worker starts and goes idle; the test waits for it. */
    static void realScenario() {
        realScenario(new ParkUntilWoken());
    }

    static void realScenario(final IdleStrategy idle) {
        final WorkerPoolDispatcher dispatcher = new WorkerPoolDispatcher(1, idle, "model-check");
        final AtomicBoolean ran = new AtomicBoolean();
        ModelCheck.share(dispatcher, ran);
        final Thread producer = new Thread(() -> dispatcher.execute(() -> ran.set(true)));
        producer.start();
        ModelCheck.join(producer);
        while (!ran.get()) { // a lost wake-up: the worker parks for ever, and this loop never ends
            Thread.onSpinWait();
        }
        // The worker half of shutdown(): its timer half (executor shutdown, timed joins) is not part
        // of the protocol and costs the model checker minutes.
        RUNNING.setVolatile(dispatcher, false);
        for (final Thread worker : dispatcher.threads()) {
            LockSupport.unpark(worker);
            ModelCheck.join(worker);
        }
    }

    /** WorkerPoolDispatcher's worker loop and offerShared, one worker, with or without the re-check. */
    static final class Pool {
        private static final VarHandle PARKED;

        static {
            try {
                PARKED = MethodHandles.lookup().findVarHandle(Pool.class, "parked", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final MpscNodeQueue queue = new MpscNodeQueue();
        final boolean recheck;
        volatile boolean parked;
        volatile boolean running = true;
        final Thread worker = new Thread(this::work);

        Pool(final boolean recheck) {
            this.recheck = recheck;
        }

        void work() {
            while (running) {
                final DispatchNode task = queue.poll();
                if (task != null) {
                    task.run();
                    continue;
                }
                if (queue.isEmpty()) {
                    parked = true;
                    VarHandle.fullFence();
                    if (recheck ? queue.isEmpty() && running : running) { // BROKEN when !recheck
                        do { // as ParkUntilWoken
                            LockSupport.park();
                        } while (parked && running);
                    }
                    parked = false;
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void execute(final DispatchNode node) {
            queue.offer(node);
            VarHandle.fullFence();
            if (parked && PARKED.compareAndSet(this, true, false)) {
                LockSupport.unpark(worker);
            }
        }

        void shutdown() {
            running = false;
            LockSupport.unpark(worker);
            ModelCheck.join(worker);
        }
    }

    static void copyScenario(final boolean recheck) {
        final Pool pool = new Pool(recheck);
        pool.worker.start();
        final AtomicBoolean ran = new AtomicBoolean();
        ModelCheck.share(pool, pool.queue, ran);
        final Thread producer = new Thread(() -> pool.execute(new DispatchNode() {
            @Override
            public void run() {
                ran.set(true);
            }
        }));
        producer.start();
        ModelCheck.join(producer);
        while (!ran.get()) {
            Thread.onSpinWait();
        }
        pool.shutdown();
    }

    @Test
    void aTaskSubmittedAsTheWorkerParksIsRun() {
        ModelCheck.run("4 park vs execute (WorkerPoolDispatcher)", INVOCATIONS, WorkerPoolWakeupModelCheckTest::realScenario);
    }

    /** The same with a worker that spins first: the submitter skips the wake-up while it spins. */
    @Test
    void aTaskSubmittedAsTheWorkerStopsSpinningIsRun() {
        ModelCheck.run("4 spin, park vs execute (WorkerPoolDispatcher)", INVOCATIONS / 3,
                () -> realScenario(new SpinThenParkUntilWoken()));
    }

    /** Control: the copy with the re-check passes, so the broken variant fails for the step it lacks. */
    @Test
    void theCopyWithTheReCheckPasses() {
        ModelCheck.run("4 control: copy of park vs execute with the re-check", INVOCATIONS / 3, () -> copyScenario(true));
    }

    @Test
    void aParkWithoutReCheckIsCaught() {
        ModelCheck.expectViolation("4 BROKEN park vs execute: no re-check of the queue after parked = true", INVOCATIONS,
                () -> copyScenario(false));
    }
}
