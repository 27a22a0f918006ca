package dev.flin.todo;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT to one graceful shutdown, through {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, resolved for class-path applications): the JDK's default would run the
 * shutdown hooks and exit with 143 without letting the server answer what is in flight.
 *
 * <p>Threading: the action runs on the JVM's signal-dispatch thread, at most once however many
 * signals arrive; a second signal during the shutdown is ignored.
 */
final class ShutdownSignals {

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    /**
     * Installs {@code shutdown} for SIGTERM and SIGINT; after it returns, the JVM exits with its
     * result (0 for a graceful shutdown), or with 1 if it threw.
     *
     * @param shutdown the shutdown, given the signal's name ({@code "TERM"}); returns the exit status
     */
    static void install(final java.util.function.ToIntFunction<String> shutdown) {
        Objects.requireNonNull(shutdown, "shutdown");
        final AtomicBoolean signalled = new AtomicBoolean();
        for (final String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (!signalled.compareAndSet(false, true)) {
                        return;   // the first signal's shutdown is under way
                    }
                    int status = 1;
                    try {
                        status = shutdown.applyAsInt(signal.getName());
                    } catch (final RuntimeException | Error e) {
                        LOG.error("the shutdown after SIG{} failed", signal.getName(), e);
                    } finally {
                        System.exit(status);
                    }
                });
            } catch (final IllegalArgumentException unavailable) {
                LOG.warn("cannot handle SIG{} here ({}); it stops the JVM without a graceful shutdown", name,
                        unavailable.getMessage());
            }
        }
    }
}
