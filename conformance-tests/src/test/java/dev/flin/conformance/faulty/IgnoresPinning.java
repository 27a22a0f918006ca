package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: the placement {@code DispatcherSelector.PINNED} is accepted and ignored: such agents run
 * on the shared worker pool, on whichever worker is free, beside every other agent. Rule 1.7.
 */
public final class IgnoresPinning extends RemapsPlacement {

    /**
     * @param delegate the real runtime
     */
    public IgnoresPinning(final AgentRuntime delegate) {
        super(delegate, DispatcherSelector.PINNED, DispatcherSelector.DEFAULT); // the fault
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new IgnoresPinning(FlinRuntime.create(options));
        }
    }
}
