package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * The context a user instance sees under a {@link ForwardingRuntime}: its own ref is a wrapped
 * ref, its runtime is the forwarding runtime, its timers are wrapped, and watch and subscription
 * calls go through the runtime's hooks.
 *
 * <p>Threading: agent-thread only but {@link #self()}, like the context it wraps: every other
 * method reaches the real context, which checks it (rule 1.4).
 *
 * @param <M> the message type
 */
public class ForwardingContext<M> implements AgentContext<M> {

    private final ForwardingRuntime runtime;
    private final AgentContext<M> real;
    private AgentRef<M> self;
    private Timers<M> realTimers;
    private Timers<M> wrappedTimers;

    /**
     * @param runtime the runtime whose hooks apply
     * @param real    the real context
     */
    public ForwardingContext(final ForwardingRuntime runtime, final AgentContext<M> real) {
        this.runtime = runtime;
        this.real = real;
    }

    /** @return the real context */
    public final AgentContext<M> real() {
        return real;
    }

    @Override
    public AgentRef<M> self() {
        AgentRef<M> ref = self;
        if (ref == null) {
            ref = runtime.wrapRef(real.self());
            self = ref;
        }
        return ref;
    }

    @Override
    public AgentRuntime runtime() {
        real.runtime(); // checks the agent thread (rule 1.4); users see the forwarding runtime
        return runtime;
    }

    @Override
    public Timers<M> timers() {
        final Timers<M> current = real.timers(); // checks the agent thread (rule 7.6)
        if (current != realTimers) {
            realTimers = current;
            wrappedTimers = runtime.wrapTimers(current, this);
        }
        return wrappedTimers;
    }

    @Override
    public void watch(final AgentId target) {
        runtime.contextWatch(real, target);
    }

    @Override
    public void unwatch(final AgentId target) {
        runtime.contextUnwatch(real, target);
    }

    @Override
    public <E extends M> void subscribe(final Topic<E> topic) {
        runtime.contextSubscribe(real, topic);
    }

    @Override
    public <E> void subscribe(final Topic<E> topic, final java.util.function.Function<? super E, ? extends M> adapter) {
        real.subscribe(topic, adapter);
    }

    @Override
    public <U> dev.flin.runtime.AgentRef<U> messageAdapter(final Class<U> type,
            final java.util.function.Function<? super U, ? extends M> adapter) {
        return runtime.wrapRef(real.messageAdapter(type, adapter)); // ids translated, sends forwarded, like self()
    }

    @Override
    public void unsubscribe(final Topic<?> topic) {
        runtime.contextUnsubscribe(real, topic);
    }

    @Override
    public <R> void pipeToSelf(final CompletionStage<R> stage, final BiFunction<? super R, Throwable, ? extends M> mapper) {
        real.pipeToSelf(stage, mapper);
    }

    @Override
    public void stop() {
        real.stop();
    }

    @Override
    public int restartCount() {
        return real.restartCount();
    }
}
