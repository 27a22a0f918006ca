package dev.flin.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The restart budget of one agent under its {@link RestartPolicy} (rule 4.2): whether a failure may
 * restart the agent. {@link RestartPolicy.Never} never allows it, {@link RestartPolicy.Always} always
 * does, and {@link RestartPolicy.OnFailure} allows at most {@code maxRestarts} restarts within any
 * sliding {@code window}, counting each restart it allows. Runtimes use it so that they all count the
 * same way; it knows nothing of stop requests, which always win over a restart (the caller checks
 * them first).
 *
 * <p>Times are readings of one monotonic nanosecond clock (the runtime's, e.g.
 * {@link System#nanoTime()} or a deterministic test clock); only their differences matter, so the
 * clock may wrap. A window longer than the clock's range (about 292 years, e.g.
 * {@code Duration.ofSeconds(Long.MAX_VALUE)}) means a restart is never forgotten (rule 8.10).
 *
 * <p>Threading: not thread-safe. One instance per agent, used by whichever thread handles that
 * agent's failure; a runtime's hand-off between an agent's runs (rule 1.2) orders successive uses.
 */
public final class RestartWindow {

    private static final Duration CLOCK_RANGE = Duration.ofNanos(Long.MAX_VALUE);

    /** The policy that keeps the budget: the agent's, or what its {@link RestartPolicy.Only} restricts. */
    private final RestartPolicy policy;
    private final RestartPolicy agentPolicy;
    /** The OnFailure window in nanoseconds, saturated at Long.MAX_VALUE; unused otherwise. */
    private final long windowNanos;
    /** The times of the restarts still inside the window, oldest first; created at the first use. */
    private @Nullable ArrayDeque<Long> restartTimes;

    /**
     * @param policy the agent's policy
     * @throws NullPointerException if {@code policy} is null
     */
    public RestartWindow(final RestartPolicy policy) {
        this.agentPolicy = Objects.requireNonNull(policy, "policy");
        this.policy = policy instanceof RestartPolicy.Only only ? only.budget() : policy;
        this.windowNanos = this.policy instanceof RestartPolicy.OnFailure onFailure ? saturatedNanos(onFailure.window()) : 0;
    }

    /**
     * After a failure at {@code nowNanos}: whether the policy allows a restart. If it does, the
     * restart is counted in the window from {@code nowNanos}.
     *
     * @param nowNanos the clock's reading at the failure
     * @return true to restart, false to stop the agent
     */
    public boolean tryRestartAt(final long nowNanos) {
        return tryRestartAt(null, nowNanos);
    }

    /**
     * After a failure caused by {@code cause} at {@code nowNanos}: whether the policy allows a
     * restart. A cause the policy does not restart on ({@link RestartPolicy#restartsOn}) stops the
     * agent and is not counted; otherwise as {@link #tryRestartAt(long)}.
     *
     * @param cause    what the agent threw, or null if unknown (then only the budget decides)
     * @param nowNanos the clock's reading at the failure
     * @return true to restart, false to stop the agent
     */
    public boolean tryRestartAt(final @Nullable Throwable cause, final long nowNanos) {
        if (cause != null && !agentPolicy.restartsOn(cause)) {
            return false;
        }
        if (policy instanceof RestartPolicy.Always) {
            return true;
        }
        if (!(policy instanceof RestartPolicy.OnFailure onFailure)) {
            return false;
        }
        if (restartTimes == null) {
            restartTimes = new ArrayDeque<>();
        }
        while (!restartTimes.isEmpty() && nowNanos - restartTimes.peekFirst() >= windowNanos) {
            restartTimes.pollFirst();
        }
        if (restartTimes.size() < onFailure.maxRestarts()) {
            restartTimes.addLast(nowNanos);
            return true;
        }
        return false;
    }

    private static long saturatedNanos(final Duration window) {
        return window.compareTo(CLOCK_RANGE) >= 0 ? Long.MAX_VALUE : window.toNanos();
    }

    @Override
    public String toString() {
        return "RestartWindow[" + agentPolicy + ", restarts in window: " + (restartTimes == null ? 0 : restartTimes.size()) + "]";
    }
}
