package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fault: swaps two consecutive tells of one sender thread to one agent, once in every ten tells
 * (the 3rd, 13th, 23rd, ...): that tell returns normally but is held back and enqueued right after
 * the same sender's next tell to the same agent (or after 20 ms if none comes). Nothing is lost;
 * only the order breaks (rules 2.3, 3.5, 6.3 when events are sent this way).
 */
public final class ReordersMessages extends ForwardingRuntime {

    private static final int EVERY = 10;
    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private record Key(Thread sender, AgentRef<?> target) { }

    private final ConcurrentHashMap<Key, Object> held = new ConcurrentHashMap<>();
    private final AtomicLong tells = new AtomicLong();

    /**
     * @param delegate the real runtime
     */
    public ReordersMessages(final AgentRuntime delegate) {
        super(delegate);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <M> void tell(final AgentRef<M> real, final M message) {
        Objects.requireNonNull(message, "message");
        final Key key = new Key(Thread.currentThread(), real);
        final Object earlier = held.remove(key);
        if (earlier != null) {
            try {
                super.tell(real, message);
            } finally {
                tellQuietly(real, (M) earlier); // the held one goes after the one sent after it
            }
            return;
        }
        if (tells.getAndIncrement() % EVERY == 2) {
            held.put(key, message);
            later(FLUSH_NANOS, () -> {
                if (held.remove(key, message)) {
                    tellQuietly(real, message);
                }
            });
            return;
        }
        super.tell(real, message);
    }

    private <M> void tellQuietly(final AgentRef<M> real, final M message) {
        try {
            super.tell(real, message);
        } catch (RuntimeException lost) {
            // a held message that no longer fits is lost: this runtime is broken anyway
        }
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return new ReordersMessages(FlinRuntime.create(options));
        }
    }
}
