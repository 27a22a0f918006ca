package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: every other {@code onMessage} (the 1st, 3rd, ... in this runtime) is handed to an extra
 * thread pool and the agent thread goes on with the next message at once, so two messages of one
 * agent run at the same time. A failure of an offloaded message is lost, and the agent's context
 * used from the extra thread refuses agent-thread-only calls. Rules 1.1 and 1.2; also 2.3 (order)
 * and 4.x (failures go unreported).
 */
public final class RunsCallbacksConcurrently extends ForwardingRuntime {

    private final AtomicLong messages = new AtomicLong();

    /**
     * @param delegate the real runtime
     */
    public RunsCallbacksConcurrently(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        if (messages.getAndIncrement() % 2 == 0) {
            offThread(() -> {
                try {
                    agent.onMessage(message, context);
                } catch (Throwable lost) {
                    // nobody hears of it
                }
            });
            return;
        }
        super.onMessage(agent, message, context);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new RunsCallbacksConcurrently(FlinRuntime.create(options));
        }
    }
}
