package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault: {@code ref(id, type)}, and so the typed {@code lookup(name, type)}, which goes through it,
 * accept any supertype of the declared message type ({@code isAssignableFrom}) instead of exactly
 * that type: {@code ref(id, Object.class)} of an agent of {@code Integer} messages is a ref whose
 * {@code tell} takes any object. Rules 8.1 and 2.6.
 *
 * <p>Threading: the map of declared types is concurrent; everything else is the real runtime's.
 */
public final class AcceptsSupertypeRefs extends ForwardingRuntime {

    /** The declared message type of every agent spawned here (types only: no agent is kept reachable). */
    private final ConcurrentHashMap<AgentId, Class<?>> declared = new ConcurrentHashMap<>();

    /**
     * @param delegate the real runtime
     */
    public AcceptsSupertypeRefs(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> AgentRef<M> wrapRef(final AgentRef<M> real) {
        declared.putIfAbsent(real.id(), real.messageType());
        return super.wrapRef(real);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M> Optional<AgentRef<M>> ref(final AgentId target, final Class<M> messageType) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messageType, "messageType");
        final Class<?> type = declared.get(target);
        if (type != null && type != messageType && messageType.isAssignableFrom(type)) {
            // the fault: a supertype is accepted too (the real ref, of the declared type, under M)
            return delegate.ref(target, type).map(real -> wrapRef((AgentRef<M>) real));
        }
        return super.ref(target, messageType);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new AcceptsSupertypeRefs(FlinRuntime.create(options));
        }
    }
}
