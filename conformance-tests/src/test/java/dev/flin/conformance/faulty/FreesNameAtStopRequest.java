package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Fault: a name is free again as soon as a stop of its agent is requested, not once the agent
 * terminated: while the agent is still {@code SHUTTING_DOWN} (running {@code onStop}, or the
 * messages accepted before the stop), {@code lookup} no longer finds it and a spawn under its name
 * succeeds, so two live agents have one name. Rule 8.2.
 *
 * <p>The names are this wrapper's: the real runtime spawns the agents unnamed. A name is held while
 * its agent's state is not {@code TERMINATED}, and dropped by {@link #stop} (the fault).
 *
 * <p>Threading: the name table is guarded by its own monitor, held only for map operations and the
 * (non-blocking) spawn of the real runtime.
 */
public final class FreesNameAtStopRequest extends ForwardingRuntime {

    private final Map<String, AgentId> names = new HashMap<>(); // guarded by itself

    /**
     * @param delegate the real runtime
     */
    public FreesNameAtStopRequest(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory, final SpawnOptions options) {
        Objects.requireNonNull(options, "options");
        final String name = options.name();
        if (name == null) {
            return super.spawn(messageType, factory, options);
        }
        synchronized (names) {
            final AgentId owner = names.get(name);
            if (owner != null && holdsName(owner)) {
                throw new DuplicateAgentNameException(name, owner);
            }
            final AgentRef<M> ref = super.spawn(messageType, factory,
                    new SpawnOptions(null, options.mailboxCapacity(), options.restartPolicy(), options.dispatcher()));
            names.put(name, ref.id());
            return ref;
        }
    }

    @Override
    public Optional<AgentId> lookup(final String name) {
        Objects.requireNonNull(name, "name");
        final AgentId id;
        synchronized (names) {
            id = names.get(name);
        }
        return id != null && holdsName(id) ? Optional.of(id) : Optional.empty();
    }

    @Override
    public CompletionStage<TerminationCause> stop(final AgentId target) {
        final CompletionStage<TerminationCause> stage = super.stop(target);
        synchronized (names) {
            names.values().remove(target); // the fault: freed at the request, the agent is still alive
        }
        return stage;
    }

    private boolean holdsName(final AgentId id) {
        final Optional<AgentState> state = delegate.state(id);
        return state.isPresent() && state.get() != AgentState.TERMINATED;
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new FreesNameAtStopRequest(FlinRuntime.create(options));
        }
    }
}
