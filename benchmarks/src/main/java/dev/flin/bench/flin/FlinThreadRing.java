package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;

/**
 * Savina "threadring": agents in a ring pass one token; each pass is counted in the token.
 *
 * <pre>
 * driver --Token--&gt; agent 0 --&gt; agent 1 --&gt; ... --&gt; agent N-1 --+
 *                     ^                                         |
 *                     +-----------------------------------------+
 * </pre>
 */
final class FlinThreadRing implements Workload {

    /** The ring's protocol. */
    sealed interface RingMessage permits Next, Token {
    }

    /** Tells an agent its successor. */
    record Next(AgentRef<RingMessage> next) implements RingMessage {
    }

    /** The token: passes left, passes made, and where to report. */
    record Token(int remaining, long passes, CompletableFuture<Long> done) implements RingMessage {
    }

    private final String system;
    private final AgentRuntime runtime;
    private final AgentRef<RingMessage> first;
    private final int passes;

    @SuppressWarnings("unchecked")
    FlinThreadRing(final String system, final IdleStrategy idle, final Params.ThreadRing params) {
        this.system = system;
        this.passes = params.passes();
        this.runtime = FlinSupport.runtime(idle, system);
        final AgentRef<RingMessage>[] ring = new AgentRef[params.agents()];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = runtime.spawn(RingMessage.class, RingAgent::new);
        }
        for (int i = 0; i < ring.length; i++) {
            ring[i].tell(new Next(ring[(i + 1) % ring.length]));
        }
        this.first = ring[0];
    }

    @Override
    public long runOnce() throws Exception {
        final CompletableFuture<Long> done = new CompletableFuture<>();
        first.tell(new Token(passes, 0, done));
        return FlinSupport.await(done, "SavinaThreadRing", system);
    }

    @Override
    public long expected() {
        return passes;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Passes the token on, or reports when no passes are left. */
    private static final class RingAgent implements Agent<RingMessage> {
        private AgentRef<RingMessage> next;

        @Override
        public void onMessage(final RingMessage message, final AgentContext<RingMessage> context) {
            if (message instanceof Token token) {
                if (token.remaining() == 0) {
                    token.done().complete(token.passes());
                } else {
                    next.tell(new Token(token.remaining() - 1, token.passes() + 1, token.done()));
                }
            } else {
                next = ((Next) message).next();
            }
        }
    }
}
