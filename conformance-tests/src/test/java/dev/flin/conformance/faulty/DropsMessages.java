package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: silently drops one send in {@code every} (the 5th, then the 5th of every further block:
 * 55th, 105th, ... for 50), counted over {@code tell} and send by id in this runtime. The dropped
 * send returns normally and is never counted anywhere, so the counters still add up: only end-to-end
 * checks notice (rules 2.3, 2.4; 1.1 when it counts deliveries).
 */
public final class DropsMessages extends ForwardingRuntime {

    private final int every;
    private final AtomicLong sends = new AtomicLong();

    /**
     * @param delegate the real runtime
     * @param every    one send in this many is dropped
     */
    public DropsMessages(final AgentRuntime delegate, final int every) {
        super(delegate);
        this.every = every;
    }

    private boolean drop() {
        return sends.getAndIncrement() % every == 4;
    }

    @Override
    protected <M> void tell(final AgentRef<M> real, final M message) {
        Objects.requireNonNull(message, "message");
        if (!drop()) {
            super.tell(real, message);
        }
    }

    @Override
    public void send(final AgentId target, final Object message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message");
        if (!drop()) {
            super.send(target, message);
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new DropsMessages(FlinRuntime.create(options), 50);
        }
    }
}
