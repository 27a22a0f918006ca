package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: {@code counters()} always reports zero dead letters, although dead letters are still
 * published on {@code SystemTopics.DEAD_LETTERS}; so the conservation identity no longer holds once
 * a message was dead-lettered. Rules 2.4, 2.8, 8.3.
 */
public final class HidesDeadLettersInCounters extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public HidesDeadLettersInCounters(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    public RuntimeCounters counters() {
        final RuntimeCounters c = super.counters();
        return c.toBuilder().deadLetters(0).build();
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new HidesDeadLettersInCounters(FlinRuntime.create(options));
        }
    }
}
