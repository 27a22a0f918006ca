package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Fault: a send to a full mailbox (tell or send by id) blocks the sender until there is room,
 * instead of failing at once. It gives up after {@link #MAX_BLOCK_NANOS} (2.5 s, longer than the
 * matrix's 2 s wait) or when the sender is interrupted, and only then throws
 * {@link MailboxFullException}, so a broken check cannot hang the matrix. Rules 2.2, 8.5.
 */
public final class BlocksWhenFull extends ForwardingRuntime {

    /** The longest a send blocks before it gives up. */
    public static final long MAX_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(2_500);

    /**
     * @param delegate the real runtime
     */
    public BlocksWhenFull(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void tell(final AgentRef<M> real, final M message) {
        blockWhileFull(() -> super.tell(real, message));
    }

    @Override
    public void send(final AgentId target, final Object message) {
        blockWhileFull(() -> super.send(target, message));
    }

    private static void blockWhileFull(final Runnable send) {
        final long deadline = System.nanoTime() + MAX_BLOCK_NANOS;
        while (true) {
            try {
                send.run();
                return;
            } catch (MailboxFullException full) {
                if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted()) {
                    throw full;
                }
                LockSupport.parkNanos(200_000L); // the fault: wait for room
            }
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new BlocksWhenFull(FlinRuntime.create(options));
        }
    }
}
