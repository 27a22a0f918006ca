package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Timers;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Fault: {@code Timers.cancel(key)} cancels the timer and returns true, but lets "one more tick"
 * through: the timer's message is sent to the agent once more right after the cancel (the classic
 * race of a tick already on its way). Rule 7.3 (and 7.2 for a one-shot timer cancelled early).
 */
public final class DeliversTimerAfterCancel extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public DeliversTimerAfterCancel(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> Timers<M> wrapTimers(final Timers<M> real, final AgentContext<M> context) {
        return new ForwardingTimers<>(real) {
            private final Map<Object, M> messages = new HashMap<>(); // agent thread only

            @Override
            public void startSingle(final Object key, final M message, final Duration delay) {
                super.startSingle(key, message, delay);
                messages.put(key, message);
            }

            @Override
            public void startFixedRate(final Object key, final M message, final Duration initialDelay,
                                       final Duration period) {
                super.startFixedRate(key, message, initialDelay, period);
                messages.put(key, message);
            }

            @Override
            public boolean cancel(final Object key) {
                final boolean wasActive = super.cancel(key);
                final M message = messages.remove(key);
                if (wasActive && message != null) {
                    try {
                        context.self().tell(message); // the fault: one more tick
                    } catch (RuntimeException ignored) {
                        // full or stopping: no extra tick this time
                    }
                }
                return wasActive;
            }
        };
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new DeliversTimerAfterCancel(FlinRuntime.create(options));
        }
    }
}
