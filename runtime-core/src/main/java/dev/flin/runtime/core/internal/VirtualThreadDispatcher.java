package dev.flin.runtime.core.internal;

import dev.flin.runtime.core.spi.Dispatcher;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The {@code BLOCKING} dispatcher on JDK 24 and later (see {@link AgentDispatchers}): every run of
 * a blocking agent on a new virtual thread. A virtual thread that blocks in I/O, a lock or a
 * {@code synchronized} block unmounts from its carrier there (JEP 491), so blocked agents hold no
 * platform thread and other agents keep progressing (rule 1.7) however many block.
 *
 * <p>Compiled for Java 17: the virtual-thread factory is looked up reflectively, once per runtime.
 *
 * <p>Threading: {@link #execute} from any thread. Happens-before: {@code Thread.start} happens-before
 * the started thread runs the task.
 */
final class VirtualThreadDispatcher extends PlacedDispatcher {

    private final ThreadFactory factory;
    private final RuntimeThreads started = new RuntimeThreads();
    private volatile boolean running = true;

    /**
     * @param clock      the runtime's dispatcher: clock and timers
     * @param namePrefix thread names are this plus a number
     * @throws UnsupportedOperationException if this JDK has no virtual threads
     */
    VirtualThreadDispatcher(final Dispatcher clock, final String namePrefix) {
        super(clock);
        this.factory = virtualThreadFactory(Objects.requireNonNull(namePrefix, "namePrefix"));
    }

    /** {@code Thread.ofVirtual().name(prefix, 0).factory()}, reflectively (Java 17 baseline). */
    static ThreadFactory virtualThreadFactory(final String namePrefix) {
        try {
            final Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            final Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            final Object named = ofVirtual.getMethod("name", String.class, long.class).invoke(builder, namePrefix, 0L);
            return (ThreadFactory) ofVirtual.getMethod("factory").invoke(named);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads are not available on Java "
                    + Runtime.version().feature(), e);
        }
    }

    @Override
    public void execute(final Runnable task) {
        if (!running) {
            return; // shut down: agents are terminated first, so nothing is lost here
        }
        final Thread thread = factory.newThread(task);
        started.add(thread);
        if (!running) { // raced with shutdown, which may not have seen it: do not start it
            started.remove(thread);
            return;
        }
        thread.start();
    }

    /** Starts no thread from now on; returns at once. */
    @Override
    void stop() {
        running = false;
    }

    @Override
    boolean awaitExit(final long deadline) {
        return started.joinAll(deadline);
    }
}
