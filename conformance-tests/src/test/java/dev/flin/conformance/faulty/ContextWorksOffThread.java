package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * Fault: the context the callbacks receive does its work through the registry, which any thread
 * may use, and never asks which thread calls it: {@code stop()} is {@code registry.stop(self)},
 * {@code subscribe} is {@code broker.subscribe(topic, self)}, {@code pipeToSelf} tells {@code self}
 * when the stage completes, and {@code runtime()} just returns the runtime. A context that escapes
 * (to another thread, another agent, or past its callback) stops, subscribes and sends for its
 * agent from outside. Rule 1.4.
 */
public final class ContextWorksOffThread extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public ContextWorksOffThread(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> AgentContext<M> wrapContext(final AgentContext<M> real) {
        final ContextWorksOffThread runtime = this;
        return new ForwardingContext<>(this, real) {
            @Override
            public AgentRuntime runtime() {
                return runtime; // the fault: no thread check
            }

            @Override
            public <E extends M> void subscribe(final Topic<E> topic) {
                runtime.subscribe(topic, self()); // the fault: the registry's subscribe works from anywhere
            }

            @Override
            public void unsubscribe(final Topic<?> topic) {
                runtime.unsubscribe(topic, self().id());
            }

            @Override
            public <R> void pipeToSelf(final CompletionStage<R> stage,
                                       final BiFunction<? super R, Throwable, ? extends M> mapper) {
                stage.whenComplete((value, failure) -> {
                    final M message = mapper.apply(value, failure);
                    if (message != null) {
                        self().tryTell(message);
                    }
                });
            }

            @Override
            public void stop() {
                runtime.stop(self().id()); // the fault: the registry's stop works from anywhere
            }
        };
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new ContextWorksOffThread(FlinRuntime.create(options));
        }
    }
}
