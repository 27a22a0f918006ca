package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;

/**
 * Fault: unsubscribing does nothing. {@code TopicBroker.unsubscribe} returns true and
 * {@code AgentContext.unsubscribe} returns normally, but the subscriber keeps receiving every
 * event published afterwards. Rule 6.4.
 */
public final class IgnoresUnsubscribe extends ForwardingRuntime {

    /**
     * @param delegate the real runtime
     */
    public IgnoresUnsubscribe(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    public boolean unsubscribe(final Topic<?> topic, final AgentId subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        return true; // the fault: claims success, changes nothing
    }

    @Override
    protected void contextUnsubscribe(final AgentContext<?> real, final Topic<?> topic) {
        Objects.requireNonNull(topic, "topic");
        real.restartCount(); // the agent-thread check of rule 1.4 still holds: this fault is rule 6.4's alone
        // the fault: nothing else
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new IgnoresUnsubscribe(FlinRuntime.create(options));
        }
    }
}
