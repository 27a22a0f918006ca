package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.FlinRuntime;
import java.util.Objects;

/**
 * Fault: the placement {@code DispatcherSelector.BLOCKING} is accepted and ignored: such agents run
 * on the shared worker pool, where a few blocked handlers hold every worker. Rule 1.7.
 */
public final class IgnoresBlocking extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public IgnoresBlocking(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory, final SpawnOptions options) {
        Objects.requireNonNull(options, "options");
        final SpawnOptions placed = options.dispatcher() == DispatcherSelector.BLOCKING
                ? options.withDispatcher(DispatcherSelector.DEFAULT) // the fault
                : options;
        return super.spawn(messageType, factory, placed);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime() {
            return new IgnoresBlocking(FlinRuntime.create());
        }
    }
}
