package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.Signal;

/**
 * What the real runtime runs for one user instance: every callback goes through the
 * {@link ForwardingRuntime}'s hooks, with the user's context wrapped.
 *
 * <p>Threading: called by the real runtime on the agent thread; the cached context is plain for
 * that reason (rule 1.2).
 *
 * @param <M> the message type
 */
public class ForwardingAgent<M> implements Agent<M> {

    private final ForwardingRuntime runtime;
    private final Agent<M> delegate;
    private AgentContext<M> realContext;
    private AgentContext<M> wrappedContext;

    /**
     * @param runtime  the runtime whose hooks apply
     * @param delegate the user instance
     */
    public ForwardingAgent(final ForwardingRuntime runtime, final Agent<M> delegate) {
        this.runtime = runtime;
        this.delegate = delegate;
    }

    /** @return the user instance */
    public final Agent<M> delegate() {
        return delegate;
    }

    /**
     * @param real the real context
     * @return the wrapped context, made once per real context
     */
    protected final AgentContext<M> context(final AgentContext<M> real) {
        if (real != realContext) {
            realContext = real;
            wrappedContext = runtime.wrapContext(real);
        }
        return wrappedContext;
    }

    @Override
    public void onStart(final AgentContext<M> context) throws Exception {
        runtime.onStart(delegate, context(context));
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onMessage(final M message, final AgentContext<M> context) throws Exception {
        runtime.onMessage(delegate, (M) runtime.translateIncoming(message), context(context));
    }

    @Override
    public void onSignal(final Signal signal, final AgentContext<M> context) throws Exception {
        runtime.onSignal(delegate, runtime.translateSignal(signal), context(context));
    }

    @Override
    public void onStop(final AgentContext<M> context) throws Exception {
        runtime.onStop(delegate, context(context));
    }

    @Override
    public String toString() {
        return "Forwarding[" + delegate + "]";
    }
}
