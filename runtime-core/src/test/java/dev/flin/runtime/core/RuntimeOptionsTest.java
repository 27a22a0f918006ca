package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.HandlerTimer;
import dev.flin.runtime.core.spi.IdleStrategy;
import dev.flin.runtime.core.spi.NamedAgentListener;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.FatalErrorHandler;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The runtime's options: the documented defaults, the bounds each value must respect (checked when
 * the options are built, not when the runtime starts), and each {@code with...} changing its own
 * value only.
 */
class RuntimeOptionsTest {

    private static final FatalErrorHandler IGNORE = (thread, error) -> { };

    @Test
    void defaultsAreTheDocumentedValues() {
        final RuntimeOptions defaults = RuntimeOptions.defaults();
        assertEquals(256, defaults.defaultMailboxCapacity());
        assertEquals(32, defaults.batchSize());
        assertEquals(RuntimeOptions.DEFAULT_MAILBOX_CAPACITY, defaults.defaultMailboxCapacity());
        assertEquals(RuntimeOptions.DEFAULT_BATCH_SIZE, defaults.batchSize());
    }

    @Test
    void theSmallestCapacityAndBatchSizeAreOne() {
        final RuntimeOptions one = RuntimeOptions.defaults().withDefaultMailboxCapacity(1).withBatchSize(1);
        assertEquals(1, one.defaultMailboxCapacity());
        assertEquals(1, one.batchSize());
        assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withDefaultMailboxCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withBatchSize(0));
        assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.defaults().withBatchSize(-5));
    }

    @Test
    void theDispatcherAndTheFatalErrorHandlerAreRequired() {
        assertThrows(NullPointerException.class,
                () -> RuntimeOptions.defaults().withDispatcher((Supplier<Dispatcher>) null));
        assertThrows(NullPointerException.class,
                () -> RuntimeOptions.defaults().withDispatcher((DeterministicDispatcher) null));
        assertThrows(NullPointerException.class, () -> RuntimeOptions.defaults().withFatalErrorHandler(null));
    }

    @Test
    void eachWithChangesOnlyItsOwnValue() {
        final Supplier<Dispatcher> pool = () -> Dispatchers.workerPool(1, IdleStrategy.parking(), "opts");
        final RuntimeOptions base = RuntimeOptions.defaults().withDispatcher(pool).withFatalErrorHandler(IGNORE);

        final RuntimeOptions capacity = base.withDefaultMailboxCapacity(7);
        assertEquals(new RuntimeOptions(7, 32, pool, IGNORE), capacity);

        final RuntimeOptions batch = base.withBatchSize(3);
        assertEquals(new RuntimeOptions(256, 3, pool, IGNORE), batch);

        final FatalErrorHandler other = (thread, error) -> { };
        assertEquals(new RuntimeOptions(256, 32, pool, other), base.withFatalErrorHandler(other));

        final DeterministicDispatcher deterministic = Dispatchers.deterministic(1);
        final RuntimeOptions withDeterministic = capacity.withBatchSize(3).withDispatcher(deterministic);
        assertEquals(7, withDeterministic.defaultMailboxCapacity());
        assertEquals(3, withDeterministic.batchSize());
        assertSame(IGNORE, withDeterministic.fatalErrorHandler());
        assertSame(deterministic, withDeterministic.dispatcher().get());
    }

    @Test
    void theObserversAndTheMdcAreOffByDefaultAndEachWithKeepsTheRest() {
        final RuntimeOptions defaults = RuntimeOptions.defaults();
        assertNull(defaults.handlerTimer());
        assertNull(defaults.namedAgentListener());
        assertFalse(defaults.agentMdc());
        final HandlerTimer timer = (agent, name, type, nanos) -> { };
        final NamedAgentListener listener = new NamedAgentListener() {
            @Override
            public void registered(final String name, final AgentId agent) {
            }

            @Override
            public void unregistered(final String name, final AgentId agent) {
            }
        };
        final RuntimeOptions all = defaults.withBatchSize(3).withHandlerTimer(timer).withNamedAgentListener(listener)
                .withAgentMdc(true).withDefaultMailboxCapacity(7);
        assertSame(timer, all.handlerTimer());
        assertSame(listener, all.namedAgentListener());
        assertTrue(all.agentMdc());
        assertEquals(3, all.batchSize());
        assertEquals(7, all.defaultMailboxCapacity());
        assertNull(all.withHandlerTimer(null).handlerTimer(), "null: no timer");
        assertSame(listener, all.withHandlerTimer(null).namedAgentListener());
    }

    @Test
    void theRuntimeIsBuiltFromTheOptions() {
        final DeterministicDispatcher deterministic = Dispatchers.deterministic(3);
        final var runtime = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(deterministic)
                .withDefaultMailboxCapacity(5).withFatalErrorHandler(IGNORE));
        try {
            final var ref = runtime.spawn(String.class, () -> (m, ctx) -> { });
            assertEquals(8, runtime.mailboxCapacity(ref.id()), "the default capacity, rounded up to a power of two");
        } finally {
            runtime.shutdown(java.time.Duration.ofSeconds(1));
        }
        assertThrows(NullPointerException.class, () -> FlinRuntime.create(null));
        assertThrows(NullPointerException.class,
                () -> FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(() -> null)));
    }
}
