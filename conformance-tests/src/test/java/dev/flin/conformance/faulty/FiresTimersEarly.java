package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Timers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;

/**
 * Fault: timers fire after a quarter of their delay (and fixed-rate timers tick four times too
 * often). Rule 7.2.
 */
public final class FiresTimersEarly extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public FiresTimersEarly(final AgentRuntime delegate) {
        super(delegate);
    }

    private static Duration quarter(final Duration d) {
        return d == null || d.isNegative() ? d : d.dividedBy(4);
    }

    @Override
    protected <M> Timers<M> wrapTimers(final Timers<M> real, final AgentContext<M> context) {
        return new ForwardingTimers<>(real) {
            @Override
            public void startSingle(final Object key, final M message, final Duration delay) {
                super.startSingle(key, message, quarter(delay));
            }

            @Override
            public void startFixedRate(final Object key, final M message, final Duration initialDelay,
                                       final Duration period) {
                final Duration shorter = quarter(period);
                super.startFixedRate(key, message, quarter(initialDelay),
                        shorter == null || shorter.isZero() ? period : shorter);
            }
        };
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new FiresTimersEarly(FlinRuntime.create(options));
        }
    }
}
