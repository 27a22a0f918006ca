package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fault: a send by id does not check the message against the agent's declared type: a message of
 * the wrong type is enqueued and handed to the agent (which may then fail with a
 * {@code ClassCastException} in its own code). Rule 2.6.
 */
public final class SkipsTypeCheckById extends ForwardingRuntime {

    private final ConcurrentHashMap<AgentId, AgentRef<?>> refs = new ConcurrentHashMap<>();

    /**
     * @param delegate the real runtime
     */
    public SkipsTypeCheckById(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> AgentRef<M> wrapRef(final AgentRef<M> real) {
        refs.putIfAbsent(real.id(), real);
        return super.wrapRef(real);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void send(final AgentId target, final Object message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        final AgentRef<?> real = refs.get(target);
        if (real != null && !real.messageType().isInstance(message)) {
            ((AgentRef<Object>) real).tell(message); // the fault: no type check
            return;
        }
        super.send(target, message);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new SkipsTypeCheckById(FlinRuntime.create(options));
        }
    }
}
