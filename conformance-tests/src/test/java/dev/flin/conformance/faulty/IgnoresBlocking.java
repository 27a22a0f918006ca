package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: the placement {@code DispatcherSelector.BLOCKING} is accepted and ignored: such agents run
 * on the shared worker pool, where a few blocked handlers hold every worker. Rule 1.7.
 */
public final class IgnoresBlocking extends RemapsPlacement {

    /**
     * @param delegate the real runtime
     */
    public IgnoresBlocking(final AgentRuntime delegate) {
        super(delegate, DispatcherSelector.BLOCKING, DispatcherSelector.DEFAULT); // the fault
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new IgnoresBlocking(FlinRuntime.create(options));
        }
    }
}
