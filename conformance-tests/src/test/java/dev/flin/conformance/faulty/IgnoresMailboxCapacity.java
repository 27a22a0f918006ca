package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Fault: a tell never fails with {@link MailboxFullException}. What does not fit goes into an
 * unbounded overflow queue per agent, drained into the mailbox every millisecond as room appears,
 * so messages arrive later and in order, but the bound is gone (rules 2.1, 2.2; 8.4 since the
 * depth misses the overflow).
 */
public final class IgnoresMailboxCapacity extends ForwardingRuntime {

    private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConcurrentHashMap<AgentRef<?>, Deque<Object>> overflow = new ConcurrentHashMap<>();

    /**
     * @param delegate the real runtime
     */
    public IgnoresMailboxCapacity(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    protected <M> void tell(final AgentRef<M> real, final M message) {
        Objects.requireNonNull(message, "message");
        final Deque<Object> queue = overflow.computeIfAbsent(real, r -> new ArrayDeque<>());
        synchronized (queue) {
            if (queue.isEmpty()) {
                try {
                    super.tell(real, message);
                    return;
                } catch (MailboxFullException full) {
                    // buffered below instead of refused
                }
            }
            queue.addLast(message);
        }
        later(DRAIN_NANOS, () -> drain(real, queue));
    }

    @SuppressWarnings("unchecked")
    private <M> void drain(final AgentRef<M> real, final Deque<Object> queue) {
        synchronized (queue) {
            while (!queue.isEmpty()) {
                try {
                    super.tell(real, (M) queue.peekFirst());
                    queue.pollFirst();
                } catch (MailboxFullException full) {
                    later(DRAIN_NANOS, () -> drain(real, queue));
                    return;
                } catch (RuntimeException gone) {
                    queue.clear(); // the agent is gone: the overflow is lost
                    return;
                }
            }
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new IgnoresMailboxCapacity(FlinRuntime.create(options));
        }
    }
}
