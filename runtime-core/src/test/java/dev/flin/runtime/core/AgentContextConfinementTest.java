package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * An agent's context may be used only on its own agent thread: a context that escaped (here, to
 * the test thread) refuses every operation, and a refused {@code tryTell} throws like {@code tell}.
 */
class AgentContextConfinementTest extends RuntimeTestSupport {

    @Test
    void anEscapedContextRefusesEveryOperationOffTheAgentThread() {
        final AgentRuntime rt = deterministic(11);
        final CompletableFuture<AgentContext<String>> escaped = new CompletableFuture<>();
        rt.spawn(String.class, () -> new Agent<String>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                escaped.complete(ctx);
            }

            @Override
            public void onMessage(final String m, final AgentContext<String> ctx) {
            }
        });
        runUntilIdle();
        final AgentContext<String> ctx = escaped.join();
        final AgentId other = new AgentId(9_999);
        final Topic<String> topic = Topic.of("confined", String.class);
        assertThrows(IllegalStateException.class, ctx::timers);
        assertThrows(IllegalStateException.class, () -> ctx.watch(other));
        assertThrows(IllegalStateException.class, () -> ctx.unwatch(other));
        assertThrows(IllegalStateException.class, () -> ctx.subscribe(topic));
        assertThrows(IllegalStateException.class, () -> ctx.unsubscribe(topic));
        assertThrows(IllegalStateException.class,
                () -> ctx.pipeToSelf(CompletableFuture.completedFuture(1), (v, t) -> "x"));
        assertThrows(IllegalStateException.class, ctx::stop);
        assertThrows(IllegalStateException.class, ctx::restartCount);
        assertEquals(0, rt.subscriberCount(topic), "the refused subscribe left nothing behind");
    }

    @Test
    void tryTellToATerminatedAgentThrowsNotFound() {
        final AgentRuntime rt = deterministic(12);
        final AgentRef<String> ref = rt.spawn(String.class, () -> (m, ctx) -> { });
        runUntilIdle();
        rt.stop(ref.id());
        runUntilIdle();
        assertThrows(AgentNotFoundException.class, () -> ref.tryTell("late"));
        assertThrows(AgentNotFoundException.class, () -> ref.tell("late"));
        assertEquals(true, rt.shutdown(Duration.ofSeconds(1)));
    }
}
