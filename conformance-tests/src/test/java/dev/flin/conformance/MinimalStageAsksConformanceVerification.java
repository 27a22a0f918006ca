package dev.flin.conformance;

import dev.flin.conformance.faulty.ForwardingRuntime;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.core.FlinRuntime;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs the kit against runtime-core whose asks return {@link
 * java.util.concurrent.CompletableFuture#minimalCompletionStage()} stages: a sound choice for a
 * runtime (callers cannot complete the ask), under which a stage's dependents may run after a
 * waiter on it has woken; and an ask still pending when {@code ask} returns is completed on another
 * thread after a hop (as a runtime that completes asks from its own executor does). The kit must not depend on when a stage's dependents run, so this must
 * pass like {@link ReferenceRuntimeConformanceVerification}.
 */
class MinimalStageAsksConformanceVerification extends FlinConformanceKit {

    /** runtime-core with every ask's stage narrowed to a minimal stage, completed after a thread hop. */
    static final class MinimalStageAsks extends ForwardingRuntime {
        MinimalStageAsks(final AgentRuntime delegate) {
            super(delegate);
        }

        @Override
        protected <M, R> CompletionStage<R> ask(final AgentRef<M> real, final Function<Reply<R>, ? extends M> request,
                                                final Duration timeout) {
            final CompletableFuture<R> asked = super.ask(real, request, timeout).toCompletableFuture();
            if (asked.isDone()) {
                return asked.minimalCompletionStage(); // refused at once (rule 5.3): still complete on return
            }
            final CompletableFuture<R> hopped = new CompletableFuture<>();
            asked.whenComplete((value, failure) -> offThread(() -> {
                if (failure != null) {
                    hopped.completeExceptionally(failure);
                } else {
                    hopped.complete(value);
                }
            }));
            return hopped.minimalCompletionStage();
        }
    }

    @Override
    public RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return new MinimalStageAsks(FlinRuntime.create());
            }

            @Override
            public AgentRuntime create(final dev.flin.runtime.DeadLetterObserver observer) {
                return new MinimalStageAsks(FlinRuntime.create(
                        dev.flin.runtime.core.RuntimeOptions.defaults().withDeadLetterObserver(observer)));
            }

            @Override
            public java.util.Set<Capability> capabilities() {
                // runtime-core has rule 1.7's placements; the fatal error handler is not forwarded
                final java.util.Set<Capability> all = java.util.EnumSet.allOf(Capability.class);
                all.remove(Capability.FATAL_ERROR_HANDLER);
                return all;
            }

            @Override
            public Duration shutdownGrace() {
                return FlinRuntime.SHUTDOWN_GRACE;
            }
        };
    }
}
