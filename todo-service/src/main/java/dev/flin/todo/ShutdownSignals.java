package dev.flin.todo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGTERM and SIGINT to one graceful shutdown, through {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, resolved for class-path applications): the JDK's default would run the
 * shutdown hooks and exit with 143 without letting the server answer what is in flight. It is
 * reached by reflection, so that the build's -Werror does not meet javac's warning on a
 * proprietary API, which no annotation can silence; without it, signals keep the JDK's default.
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
        final Class<?> signalType;
        final Class<?> handlerType;
        final Method handle;
        final Method nameOf;
        try {
            signalType = Class.forName("sun.misc.Signal");
            handlerType = Class.forName("sun.misc.SignalHandler");
            handle = signalType.getMethod("handle", signalType, handlerType);
            nameOf = signalType.getMethod("getName");
        } catch (final ReflectiveOperationException missing) {
            LOG.warn("no sun.misc.Signal here ({}); SIGTERM stops the JVM without a graceful shutdown", missing.toString());
            return;
        }
        final Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> {
                    if (!method.getName().equals("handle")) { // an Object method: identity semantics
                        return switch (method.getName()) {
                            case "equals" -> proxy == args[0];
                            case "hashCode" -> System.identityHashCode(proxy);
                            default -> "ShutdownSignals.handler";
                        };
                    }
                    if (!signalled.compareAndSet(false, true)) {
                        return null; // the first signal's shutdown is under way
                    }
                    final String signal = String.valueOf(nameOf.invoke(args[0]));
                    int status = 1;
                    try {
                        status = shutdown.applyAsInt(signal);
                    } catch (final RuntimeException | Error e) {
                        LOG.error("the shutdown after SIG{} failed", signal, e);
                    } finally {
                        System.exit(status);
                    }
                    return null;
                });
        for (final String name : new String[] {"TERM", "INT"}) {
            try {
                handle.invoke(null, signalType.getConstructor(String.class).newInstance(name), handler);
            } catch (final InvocationTargetException e) {
                LOG.warn("cannot handle SIG{} here ({}); it stops the JVM without a graceful shutdown", name,
                        e.getCause() == null ? e.toString() : e.getCause().getMessage());
            } catch (final ReflectiveOperationException e) {
                LOG.warn("cannot handle SIG{} here ({}); it stops the JVM without a graceful shutdown", name, e.toString());
            }
        }
    }
}
