package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.HandlerTimer;
import dev.flin.runtime.core.spi.NamedAgentListener;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.FatalErrorHandler;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How to build a runtime.
 *
 * <p>Threading: an immutable value. The observers it holds ({@link HandlerTimer},
 * {@link NamedAgentListener}, {@link DeadLetterObserver}) are called by the runtime's threads, as their javadoc says.
 *
 * @param defaultMailboxCapacity capacity of a mailbox when the spawn asks for none (rule 2.1);
 *                               rounded up to a power of two
 * @param batchSize              messages an agent processes before it yields its thread
 * @param dispatcher             makes the dispatcher the runtime will own and shut down
 * @param fatalErrorHandler      what a runtime thread does with a fatal error (rule 4.9): by default
 *                               {@link FatalErrorHandler#haltProcess()}
 * @param handlerTimer           told how long each handler took, or null (the default): then no
 *                               clock is read for it
 * @param namedAgentListener     told when named agents come and go, or null (the default)
 * @param agentMdc               whether every callback runs with the agent's id, name and the
 *                               message's correlation id in the SLF4J MDC (rule 8.12; off by default:
 *                               with a real MDC it costs PingPong 40% of its round trips)
 * @param deadLetterObserver     told every dead letter with its reason (rule 2.8), those of a
 *                               runtime shutdown included, which reach no DEAD_LETTERS subscriber;
 *                               or null (the default)
 */
public record RuntimeOptions(int defaultMailboxCapacity, int batchSize, Supplier<Dispatcher> dispatcher,
                             FatalErrorHandler fatalErrorHandler, @Nullable HandlerTimer handlerTimer,
                             @Nullable NamedAgentListener namedAgentListener, boolean agentMdc,
                             @Nullable DeadLetterObserver deadLetterObserver) {

    /** The default mailbox capacity: 256. */
    public static final int DEFAULT_MAILBOX_CAPACITY = 256;
    /** The default batch size: 32. */
    public static final int DEFAULT_BATCH_SIZE = 32;

    /**
     * Checks arguments.
     *
     * @param defaultMailboxCapacity capacity of a mailbox when the spawn asks for none (rule 2.1); rounded up
     *     to a power of two
     * @param batchSize              messages an agent processes before it yields its thread
     * @param dispatcher             makes the dispatcher the runtime will own and shut down
     * @param fatalErrorHandler      what a runtime thread does with a fatal error (rule 4.9): by default
     *     {@link FatalErrorHandler#haltProcess()}
     * @param handlerTimer           told how long each handler took, or null (off)
     * @param namedAgentListener     told when named agents come and go, or null (off)
     * @param agentMdc               whether callbacks run with the agent's keys in the SLF4J MDC
     * @param deadLetterObserver     told every dead letter with its reason, or null (off)
     */
    public RuntimeOptions {
        if (defaultMailboxCapacity < 1) {
            throw new IllegalArgumentException("defaultMailboxCapacity must be >= 1, was " + defaultMailboxCapacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
        }
        java.util.Objects.requireNonNull(dispatcher, "dispatcher");
        java.util.Objects.requireNonNull(fatalErrorHandler, "fatalErrorHandler");
    }

    /**
     * Options without observers and without the agent MDC.
     *
     * @param defaultMailboxCapacity see the record
     * @param batchSize              see the record
     * @param dispatcher             see the record
     * @param fatalErrorHandler      see the record
     */
    public RuntimeOptions(final int defaultMailboxCapacity, final int batchSize, final Supplier<Dispatcher> dispatcher,
            final FatalErrorHandler fatalErrorHandler) {
        this(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, null, null, false, null);
    }

    /**
     * @return capacity 256, batch 32, a worker pool with one thread per processor, and a fatal error
     *     halts the process
     */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(DEFAULT_MAILBOX_CAPACITY, DEFAULT_BATCH_SIZE, Dispatchers::workerPool,
                FatalErrorHandler.haltProcess(), null, null, false, null);
    }

    /**
     * @param capacity the default mailbox capacity
     * @return a copy with it
     */
    public RuntimeOptions withDefaultMailboxCapacity(final int capacity) {
        return new RuntimeOptions(capacity, batchSize, dispatcher, fatalErrorHandler, handlerTimer,
                namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param size the batch size
     * @return a copy with it
     */
    public RuntimeOptions withBatchSize(final int size) {
        return new RuntimeOptions(defaultMailboxCapacity, size, dispatcher, fatalErrorHandler, handlerTimer,
                namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param dispatcherFactory makes the dispatcher (called once, by {@link FlinRuntime#create})
     * @return a copy with it
     */
    public RuntimeOptions withDispatcher(final Supplier<Dispatcher> dispatcherFactory) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcherFactory, fatalErrorHandler, handlerTimer,
                namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param deterministic a deterministic dispatcher the caller keeps to drive the runtime
     * @return a copy that uses it
     */
    public RuntimeOptions withDispatcher(final DeterministicDispatcher deterministic) {
        java.util.Objects.requireNonNull(deterministic, "deterministic");
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, () -> deterministic, fatalErrorHandler,
                handlerTimer, namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param handler what a runtime thread does with a fatal error (rule 4.9), e.g. record it in a test
     * @return a copy with it
     */
    public RuntimeOptions withFatalErrorHandler(final FatalErrorHandler handler) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, handler, handlerTimer,
                namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param timer told how long each {@code onMessage} call took (see {@link HandlerTimer}), or
     *              null for none: then the run loop reads no clock for it
     * @return a copy with it
     */
    public RuntimeOptions withHandlerTimer(final HandlerTimer timer) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, timer,
                namedAgentListener, agentMdc, deadLetterObserver);
    }

    /**
     * @param listener told when named agents come and go (see {@link NamedAgentListener}), or null
     * @return a copy with it
     */
    public RuntimeOptions withNamedAgentListener(final NamedAgentListener listener) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, handlerTimer,
                listener, agentMdc, deadLetterObserver);
    }

    /**
     * @param on whether agents' callbacks run with {@code flin.agent.id}, {@code flin.agent.name} and
     *           {@code flin.correlation.id} in the SLF4J MDC (rule 8.12). Off, the run loop does not
     *           touch the MDC: a few tens of nanoseconds saved per run of an agent (see
     *           docs/observability.md)
     * @return a copy with it
     */
    public RuntimeOptions withAgentMdc(final boolean on) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, handlerTimer,
                namedAgentListener, on, deadLetterObserver);
    }
    /**
     * The options as they were before the dead-letter observer (0.6): without one.
     *
     * @param defaultMailboxCapacity see the record
     * @param batchSize              see the record
     * @param dispatcher             see the record
     * @param fatalErrorHandler      see the record
     * @param handlerTimer           see the record
     * @param namedAgentListener     see the record
     * @param agentMdc               see the record
     */
    public RuntimeOptions(final int defaultMailboxCapacity, final int batchSize, final Supplier<Dispatcher> dispatcher,
            final FatalErrorHandler fatalErrorHandler, final @Nullable HandlerTimer handlerTimer,
            final @Nullable NamedAgentListener namedAgentListener, final boolean agentMdc) {
        this(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, handlerTimer, namedAgentListener,
                agentMdc, null);
    }

    /**
     * @param observer told every dead letter with its reason (rule 2.8; see {@link DeadLetterObserver}),
     *                 those of a runtime shutdown included, or null for none
     * @return a copy with it
     */
    public RuntimeOptions withDeadLetterObserver(final @Nullable DeadLetterObserver observer) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, fatalErrorHandler, handlerTimer,
                namedAgentListener, agentMdc, observer);
    }
}
