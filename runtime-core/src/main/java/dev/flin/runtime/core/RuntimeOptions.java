package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.FatalErrorHandler;
import java.util.function.Supplier;

/**
 * How to build a runtime.
 *
 * <p>Threading: an immutable value.
 *
 * @param defaultMailboxCapacity capacity of a mailbox when the spawn asks for none (rule 2.1);
 *                               rounded up to a power of two
 * @param batchSize              messages an agent processes before it yields its thread
 * @param dispatcher             makes the dispatcher the runtime will own and shut down
 * @param fatalErrorHandler      what a runtime thread does with a fatal error (rule 4.9): by default
 *                               {@link FatalErrorHandler#haltProcess()}
 */
public record RuntimeOptions(int defaultMailboxCapacity, int batchSize, Supplier<Dispatcher> dispatcher,
                             FatalErrorHandler fatalErrorHandler) {

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
     * @return capacity 256, batch 32, a worker pool with one thread per processor, and a fatal error
     *     halts the process
     */
    public static RuntimeOptions defaults() {
        return new RuntimeOptions(DEFAULT_MAILBOX_CAPACITY, DEFAULT_BATCH_SIZE, Dispatchers::workerPool,
                FatalErrorHandler.haltProcess());
    }

    /**
     * @param capacity the default mailbox capacity
     * @return a copy with it
     */
    public RuntimeOptions withDefaultMailboxCapacity(final int capacity) {
        return new RuntimeOptions(capacity, batchSize, dispatcher, fatalErrorHandler);
    }

    /**
     * @param size the batch size
     * @return a copy with it
     */
    public RuntimeOptions withBatchSize(final int size) {
        return new RuntimeOptions(defaultMailboxCapacity, size, dispatcher, fatalErrorHandler);
    }

    /**
     * @param dispatcherFactory makes the dispatcher (called once, by {@link FlinRuntime#create})
     * @return a copy with it
     */
    public RuntimeOptions withDispatcher(final Supplier<Dispatcher> dispatcherFactory) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcherFactory, fatalErrorHandler);
    }

    /**
     * @param deterministic a deterministic dispatcher the caller keeps to drive the runtime
     * @return a copy that uses it
     */
    public RuntimeOptions withDispatcher(final DeterministicDispatcher deterministic) {
        java.util.Objects.requireNonNull(deterministic, "deterministic");
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, () -> deterministic, fatalErrorHandler);
    }

    /**
     * @param handler what a runtime thread does with a fatal error (rule 4.9), e.g. record it in a test
     * @return a copy with it
     */
    public RuntimeOptions withFatalErrorHandler(final FatalErrorHandler handler) {
        return new RuntimeOptions(defaultMailboxCapacity, batchSize, dispatcher, handler);
    }
}
