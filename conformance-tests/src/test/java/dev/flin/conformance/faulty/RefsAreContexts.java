package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Fault: every ref it hands out (from spawn, from the registry, from {@code context.self()}) is at
 * the same time an {@link AgentContext}, as runtime-core's refs were up to spec 0.2: cast to one,
 * a ref answers {@code runtime()} and {@code self()} on any thread, and refuses the rest with
 * {@link IllegalStateException}. The contexts the callbacks receive are the real, checked ones, so
 * only the cast shows the fault. Rule 1.4.
 */
public final class RefsAreContexts extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public RefsAreContexts(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> AgentRef<M> wrapRef(final AgentRef<M> real) {
        return new RefAndContext<>(this, super.wrapRef(real));
    }

    /** The fault: one object that is both a ref and a context. */
    private static final class RefAndContext<M> implements AgentRef<M>, AgentContext<M> {
        private final AgentRuntime runtime;
        private final AgentRef<M> ref;

        RefAndContext(final AgentRuntime runtime, final AgentRef<M> ref) {
            this.runtime = runtime;
            this.ref = ref;
        }

        @Override
        public AgentId id() {
            return ref.id();
        }

        @Override
        public Class<M> messageType() {
            return ref.messageType();
        }

        @Override
        public void tell(final M message) {
            ref.tell(message);
        }

        @Override
        public <R> CompletionStage<R> ask(final Function<Reply<R>, ? extends M> request, final Duration timeout) {
            return ref.ask(request, timeout);
        }

        @Override
        public AgentRef<M> self() {
            return this;
        }

        @Override
        public AgentRuntime runtime() {
            return runtime; // unchecked, like runtime-core 0.2
        }

        @Override
        public Timers<M> timers() {
            throw refused("timers");
        }

        @Override
        public <E> void subscribe(final dev.flin.runtime.Topic<E> topic, final Function<? super E, ? extends M> adapter) {
            throw refused("subscribe");
        }

        @Override
        public <U> AgentRef<U> messageAdapter(final Class<U> type, final Function<? super U, ? extends M> adapter) {
            throw refused("messageAdapter");
        }

        @Override
        public void watch(final AgentId target) {
            throw refused("watch");
        }

        @Override
        public void unwatch(final AgentId target) {
            throw refused("unwatch");
        }

        @Override
        public <E extends M> void subscribe(final Topic<E> topic) {
            throw refused("subscribe");
        }

        @Override
        public void unsubscribe(final Topic<?> topic) {
            throw refused("unsubscribe");
        }

        @Override
        public <R> void pipeToSelf(final CompletionStage<R> stage, final BiFunction<? super R, Throwable, ? extends M> mapper) {
            throw refused("pipeToSelf");
        }

        @Override
        public void stop() {
            throw refused("stop");
        }

        @Override
        public int restartCount() {
            throw refused("restartCount");
        }

        private IllegalStateException refused(final String what) {
            return new IllegalStateException(what + " of " + ref.id() + " may be used only on its own agent thread");
        }

        @Override
        public boolean equals(final Object other) {
            return other instanceof RefAndContext<?> that && that.ref.equals(ref);
        }

        @Override
        public int hashCode() {
            return ref.hashCode();
        }

        @Override
        public String toString() {
            return ref.toString();
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new RefsAreContexts(FlinRuntime.create(options));
        }
    }
}
