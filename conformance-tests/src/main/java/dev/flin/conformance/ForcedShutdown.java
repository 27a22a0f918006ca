package dev.flin.conformance;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The forced-shutdown scenario of the checks of rules 3.7 and 2.8: an agent's handler blocks, messages
 * queue behind it, {@code shutdown(50 ms)} starts, and the handler is released only after the
 * shutdown deadline passed as the kit sees it. The runtime's own deadline starts when its shutdown
 * thread reads the clock, which a loaded machine may delay past the kit's wait; a shutdown that then
 * reports a graceful stop is tried again, on a new runtime, with a longer wait (150 ms, 1.5 s, 4.5 s),
 * and three graceful stops mean the timeout is ignored (rule 8.7).
 *
 * <p>Threading: used from the check's thread; the shutdown runs on a kit thread.
 */
final class ForcedShutdown {

    /** The shutdown timeout of the scenario. */
    static final Duration TIMEOUT = Duration.ofMillis(50);

    private static final int[] WAITS_IN_TIMEOUTS = {3, 30, 90};

    private ForcedShutdown() {
    }

    /**
     * What one try saw.
     *
     * @param graceful what {@code shutdown} returned
     * @param agent    the blocked agent
     * @param cause    its termination cause
     */
    record Outcome(boolean graceful, AgentId agent, TerminationCause cause) { }

    /** One try, judged by the check. */
    @FunctionalInterface
    interface Try {
        /**
         * @param marginNanos how long after the shutdown began the handler is released
         * @return whether the shutdown was graceful (then try again with a longer wait)
         * @throws Exception what the try threw
         */
        boolean graceful(long marginNanos) throws Exception;
    }

    /**
     * Runs {@code aTry} until a shutdown is forced, at most three times.
     *
     * @param because what the forced shutdown was for, for the failure message
     * @param aTry    one try
     * @throws Exception what a try threw
     */
    static void untilForced(final String because, final Try aTry) throws Exception {
        for (final int times : WAITS_IN_TIMEOUTS) {
            if (!aTry.graceful(TIMEOUT.toNanos() * times)) {
                return;
            }
        }
        throw new AssertionError("rule 8.7: shutdown(" + TIMEOUT + ") reported a graceful stop in 3 tries although an"
                + " agent's handler was blocked until 150 ms, 1.5 s and 4.5 s after shutdown began: the timeout is"
                + " ignored" + because);
    }

    /**
     * One try: blocks an agent of {@code rt} in its first message, queues {@code leftovers} behind it,
     * shuts {@code rt} down with {@link #TIMEOUT} and releases the handler {@code marginNanos} after
     * the shutdown began.
     *
     * @param kit         the check's kit
     * @param rt          a runtime of the kit, not yet used
     * @param leftovers   the messages queued behind the blocked one
     * @param marginNanos how long after the shutdown began the handler is released
     * @return what happened
     * @throws Exception what the scenario threw
     */
    static Outcome once(final Kit kit, final AgentRuntime rt, final List<Integer> leftovers, final long marginNanos)
            throws Exception {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Recorder<Integer> probe = kit.recorder(rt, Integer.class, SpawnOptions.defaults()).behave((m, ctx) -> {
            if (m == 0) {
                entered.countDown();
                release.await(kit.holdLimit().toMillis(), TimeUnit.MILLISECONDS); // an interrupt may end it
            }
        });
        final var terminated = rt.whenTerminated(probe.id());
        probe.ref().tell(0);
        kit.awaitLatch("the handler to block", entered);
        for (final Integer message : leftovers) {
            probe.ref().tell(message);
        }
        final CompletableFuture<Boolean> graceful = new CompletableFuture<>();
        final var unused = kit.fork(() -> graceful.complete(rt.shutdown(TIMEOUT)));
        kit.await("shutdown to start", rt::isShutdown);
        final long started = System.nanoTime();
        kit.await("the shutdown deadline to pass", () -> System.nanoTime() - started > marginNanos);
        release.countDown();
        final boolean wasGraceful = kit.await("shutdown to return", graceful);
        return new Outcome(wasGraceful, probe.id(), kit.await("the probe to terminate", terminated));
    }
}
