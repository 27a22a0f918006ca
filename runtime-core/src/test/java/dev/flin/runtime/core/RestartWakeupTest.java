package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.IdleStrategy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Rule 4.4: a restart whose backoff ends while the failing run is still on its thread must still
 * happen. The timer's wake-up then finds the agent scheduled and does nothing, so the run itself
 * must see that the backoff is over when it ends. Found by the HTTP kit (a pool handler agent that
 * failed answered the requests behind it 504: its 1 ms backoff ended while the failure was being
 * logged, and it stayed STARTING until the next message). This dispatcher makes that interleaving
 * certain: a scheduled action runs, after its delay, before {@code schedule} returns.
 */
class RestartWakeupTest extends RuntimeTestSupport {

    /** A worker pool whose timer actions fire inside the call that schedules them (after their delay). */
    private static final class EagerTimers implements Dispatcher {
        private final Dispatcher pool = Dispatchers.workerPool(2, IdleStrategy.parking(), uniquePrefix("eager"));

        @Override
        public void execute(final Runnable task) {
            pool.execute(task);
        }

        @Override
        public long nanoTime() {
            return pool.nanoTime();
        }

        @Override
        public Scheduled schedule(final long delayNanos, final Runnable action) {
            final long due = nanoTime() + delayNanos;
            while (nanoTime() - due < 0) {
                LockSupport.parkNanos(due - nanoTime());
            }
            action.run(); // fires now, on the scheduling thread: the agent's run has not ended yet
            return () -> false;
        }

        @Override
        public boolean awaitCondition(final BooleanSupplier condition, final long timeoutNanos) {
            return pool.awaitCondition(condition, timeoutNanos);
        }

        @Override
        public boolean shutdown(final long timeoutNanos) {
            return pool.shutdown(timeoutNanos);
        }
    }

    @Test
    void shouldRestartWhenTheBackoffEndsBeforeTheFailingRunDoes() {
        final AgentRuntime runtime = track(FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(EagerTimers::new)));
        final AtomicInteger handled = new AtomicInteger();
        final AgentRef<String> agent = runtime.spawn(String.class, () -> (m, c) -> {
            handled.incrementAndGet();
            if (m.equals("fail")) {
                throw new IllegalStateException("planned failure (rule 4.4 check)");
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(
                Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(1)))));
        agent.tell("fail");
        agent.tell("after");
        Poll.until(() -> handled.get() == 2, Duration.ofSeconds(10),
                () -> "the message behind the failure handled by the restarted instance; state " + runtime.state(agent.id()));
        assertEquals(1, runtime.counters().restarts());
    }
}
