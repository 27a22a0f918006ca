package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.SpawnOptions;
import java.util.Objects;

/**
 * Forwards to a real runtime, spawning every agent asked for on one placement ({@code from}) on
 * another ({@code to}) instead (rule 1.7). As a fault it ignores a placement; as a harness it puts
 * every agent of the kit on one dispatcher.
 */
public class RemapsPlacement extends ForwardingRuntime {

    private final DispatcherSelector from;
    private final DispatcherSelector to;

    /**
     * @param delegate the real runtime
     * @param from     the placement replaced
     * @param to       what replaces it
     */
    public RemapsPlacement(final AgentRuntime delegate, final DispatcherSelector from, final DispatcherSelector to) {
        super(delegate);
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
    }

    @Override
    public final <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory,
                                       final SpawnOptions options) {
        Objects.requireNonNull(options, "options");
        return super.spawn(messageType, factory, options.dispatcher() == from ? options.withDispatcher(to) : options);
    }
}
