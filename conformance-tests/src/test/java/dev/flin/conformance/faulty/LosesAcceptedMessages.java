package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Agent;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: accepts every send, then loses one message in {@code every} (the 5th, 55th, ... for 50)
 * inside the runtime: taken out of the mailbox and never handed to {@code onMessage}, nor
 * dead-lettered. Its counters are derived, the way the 0.1 reference runtime derived them:
 * {@code processed} counts what handlers got and {@code accepted} is computed as
 * {@code processed + deadLetters + staleTimerMessages + queued}, so the rule 2.4 identity holds by
 * construction and the counters look balanced. Only a kit that compares {@code accepted} with the
 * sends that returned (rule 2.4 as clarified in spec 0.2) can catch it.
 */
public final class LosesAcceptedMessages extends ForwardingRuntime {

    private final int every;
    private final AtomicLong deliveries = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    /**
     * @param delegate the real runtime
     * @param every    one message in this many is lost after it was accepted
     */
    public LosesAcceptedMessages(final AgentRuntime delegate, final int every) {
        super(delegate);
        this.every = every;
    }

    @Override
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        if (deliveries.getAndIncrement() % every == 4) {
            lost.incrementAndGet(); // the fault: taken from the mailbox, then silently dropped
            return;
        }
        super.onMessage(agent, message, context);
    }

    @Override
    public RuntimeCounters counters() {
        final RuntimeCounters c = super.counters();
        final long processed = c.processed() - lost.get(); // "honest" about what handlers got
        final long derivedAccepted = processed + c.deadLetters() + c.staleTimerMessages() + c.queued();
        return c.toBuilder().accepted(derivedAccepted).processed(processed).build();
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new LosesAcceptedMessages(FlinRuntime.create(options), 50);
        }
    }
}
