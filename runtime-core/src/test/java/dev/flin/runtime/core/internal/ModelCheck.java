package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.lincheck.Lincheck;
import org.jetbrains.lincheck.LincheckAssertionError;

/**
 * Runs a scenario under Lincheck's model checker ({@link Lincheck#runConcurrentTest}): the scenario
 * starts its own threads, joins them and throws if an invariant does not hold; Lincheck runs it
 * once per explored interleaving (an "invocation") and reports the first failing one with its
 * trace. Prints the invocations explored, for docs/conformance.md ("Protocols checked by machine").
 *
 * <p>Lincheck explores interleavings of a sequentially consistent memory: these checks say nothing
 * about reorderings a weaker memory model would allow; the protocols rely on volatile / VarHandle
 * accesses that are sequentially consistent (or on release/acquire pairs checked by review).
 */
final class ModelCheck {

    /** Written only to publish objects to Lincheck's escape analysis, see {@link #share}. */
    @SuppressWarnings("unused")
    private static volatile Object shared;

    private ModelCheck() {
    }

    /**
     * Marks objects as shared between threads. Lincheck treats an object as thread-local, with no
     * thread switches at its field accesses, until it sees the object escape; on JDK 25, Lincheck 3.7
     * does not see an object escape through a {@code Thread}'s runnable (a lambda or a plain Runnable
     * class alike), so without this a lost update on such an object goes unnoticed.
     * Publishing each root through a static volatile field makes it, and what it reaches, shared.
     */
    static void share(final Object... roots) {
        for (final Object root : roots) {
            shared = root;
        }
    }

    /** Fails the test if some explored interleaving breaks the scenario's invariant. */
    static void run(final String name, final int invocations, final Runnable scenario) {
        final AtomicLong count = new AtomicLong(); // not reachable from a static: Lincheck does not restore it
        final long start = System.nanoTime();
        String outcome = "FAILED";
        try {
            Lincheck.runConcurrentTest(invocations, () -> {
                count.incrementAndGet();
                scenario.run();
            });
            outcome = "passed";
        } finally {
            report(name, outcome, count.get(), invocations, start);
        }
    }

    /** Fails the test unless Lincheck finds an interleaving that breaks the (broken) scenario. */
    static LincheckAssertionError expectViolation(final String name, final int invocations, final Runnable scenario) {
        final AtomicLong count = new AtomicLong();
        final long start = System.nanoTime();
        String outcome = "NOT caught";
        try {
            final LincheckAssertionError error = assertThrows(LincheckAssertionError.class,
                    () -> Lincheck.runConcurrentTest(invocations, () -> {
                        count.incrementAndGet();
                        scenario.run();
                    }), name + ": the model checker did not catch the broken protocol");
            final String message = String.valueOf(error.getMessage());
            outcome = "caught: " + message.lines().filter(l -> !l.isBlank()).limit(3).reduce((a, b) -> a + " | " + b).orElse("");
            System.out.println(message);
            return error;
        } finally {
            report(name, outcome, count.get(), invocations, start);
        }
    }

    private static void report(final String name, final String outcome, final long explored, final int bound, final long start) {
        System.out.printf("[model-check] %s: %s after %d invocations (bound %d), %d ms%n", name, outcome, explored, bound,
                (System.nanoTime() - start) / 1_000_000);
    }

    static void join(final Thread... threads) {
        for (final Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    static void startAll(final Thread... threads) {
        for (final Thread thread : threads) {
            thread.start();
        }
    }
}
