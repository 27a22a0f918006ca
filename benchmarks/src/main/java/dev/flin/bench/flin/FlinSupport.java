package dev.flin.bench.flin;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every FLIN workload shares: how the runtime is built, how a thread outside the runtime sends
 * to a bounded mailbox, and how the driver waits.
 *
 * <p>Threading: stateless; any thread.
 */
final class FlinSupport {

    /** How long the driver waits for one operation before it gives up. */
    static final long DEADLINE_SECONDS = 60;

    private FlinSupport() {
    }

    /**
     * The runtime as a user gets it, with only the idle strategy chosen: one worker per core, the
     * default mailbox capacity (256) and batch size (32); and observed as the system's name says
     * ({@link FlinObservability}: {@code flin-backoff+bare}, {@code +jfr}, {@code +micrometer}, ...).
     */
    static AgentRuntime runtime(final IdleStrategy idleStrategy, final String system) {
        final int workers = Runtime.getRuntime().availableProcessors();
        return FlinObservability.ofSystem(system).create(RuntimeOptions.defaults()
                .withDispatcher(() -> Dispatchers.workerPool(workers, idleStrategy, system)));
    }

    /**
     * Sends from a thread that is not an agent and may wait: a full mailbox (rule 2.2) is met by
     * spinning, then yielding, and trying again, which is what a producer outside the runtime does
     * with a bounded mailbox; {@code tryTell} refuses without building an exception.
     */
    static <M> void tellPatiently(final AgentRef<M> target, final M message) {
        int misses = 0;
        while (!target.tryTell(message)) { // false: full (rule 2.2), refused without an exception
            if (++misses < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Waits for the operation's result, naming the scenario and system when it does not come. */
    static <T> T await(final CompletableFuture<T> done, final String scenario, final String system)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return done.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new TimeoutException(scenario + " on " + system + " did not complete within "
                    + DEADLINE_SECONDS + " s");
        }
    }

    /** Shuts the runtime down and fails when it does not end in time. */
    static void shutdown(final AgentRuntime runtime, final String system) {
        if (!runtime.shutdown(Duration.ofSeconds(30))) {
            throw new IllegalStateException(system + ": the runtime did not shut down within 30 s");
        }
    }
}
