package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code SpawnMessageStop}: the driver spawns short-lived agents (spawning is thread-safe), tells
 * each one message, and each stops itself after handling it. The driver counts the agents whose
 * termination ({@code whenTerminated}) reports {@link TerminationCause#STOPPED}, which
 * only the handler's own stop produces.
 *
 * <pre>
 * driver --spawn, tell(Hello)--&gt; agent --handles, stops itself--&gt; terminated --&gt; driver counts
 * </pre>
 */
final class FlinLifecycles implements Workload {

    /** The one message each agent gets. */
    record Hello() {
    }

    private static final Hello HELLO = new Hello();

    private final String system;
    private final AgentRuntime runtime;
    private final int agents;

    FlinLifecycles(final String system, final IdleStrategy idle, final Params.SpawnMessageStop params) {
        this.system = system;
        this.runtime = FlinSupport.runtime(idle, system);
        this.agents = params.agents();
    }

    @Override
    public long runOnce() throws Exception {
        final AtomicInteger stopped = new AtomicInteger();
        final AtomicInteger pending = new AtomicInteger(agents);
        final CompletableFuture<Long> done = new CompletableFuture<>();
        for (int i = 0; i < agents; i++) {
            final AgentRef<Hello> agent = runtime.spawn(Hello.class, ShortLived::new);
            // Ask for the termination before the message that ends the agent: asked after, it can
            // find the agent already gone and report UNKNOWN (rule 4.7).
            final CompletionStage<TerminationCause> terminated = runtime.whenTerminated(agent.id());
            agent.tell(HELLO);
            terminated.whenComplete((cause, error) -> {
                if (cause == TerminationCause.STOPPED) {
                    stopped.incrementAndGet();
                }
                if (pending.decrementAndGet() == 0) {
                    done.complete((long) stopped.get());
                }
            });
        }
        return FlinSupport.await(done, "SpawnMessageStop", system);
    }

    @Override
    public long expected() {
        return agents;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Handles one message and stops. */
    private static final class ShortLived implements Agent<Hello> {
        @Override
        public void onMessage(final Hello message, final AgentContext<Hello> context) {
            context.stop();
        }
    }
}
