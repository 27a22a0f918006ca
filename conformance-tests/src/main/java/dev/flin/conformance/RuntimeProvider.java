package dev.flin.conformance;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.FatalErrorHandler;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * The one thing an implementer writes to run the kit: how to create and stop the runtime under
 * test, and which optional capabilities it has.
 *
 * <pre>{@code
 * class MyRuntimeConformanceVerification extends FlinConformanceKit {
 *     @Override
 *     public RuntimeProvider provider() {
 *         return MyRuntime::create;           // all capabilities, default timeouts
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: {@link #create} and {@link #destroy} are called from the kit's test thread; the
 * kit creates a fresh runtime for every check (and every try of a property) and destroys it after.
 */
@FunctionalInterface
public interface RuntimeProvider {

    /**
     * @return a new, running runtime under test
     */
    AgentRuntime create();

    /**
     * Rule 4.9: a new, running runtime whose fatal errors (out of memory) go to {@code handler}
     * instead of ending the process. Implement it and declare {@link Capability#FATAL_ERROR_HANDLER};
     * the default refuses.
     *
     * @param handler what the runtime's threads do with a fatal error
     * @return the runtime
     * @throws UnsupportedOperationException if the provider does not implement it
     */
    default AgentRuntime create(final FatalErrorHandler handler) {
        throw new UnsupportedOperationException("this provider cannot give a runtime a FatalErrorHandler (rule 4.9):"
                + " implement RuntimeProvider.create(FatalErrorHandler) and declare Capability.FATAL_ERROR_HANDLER");
    }

    /**
     * Rule 2.8: a new, running runtime that tells {@code observer} every dead letter, exactly once,
     * with the very message and its reason ({@code RECIPIENT_TERMINATED} for the leftovers of an agent
     * that terminated while the runtime runs, {@code RUNTIME_SHUTDOWN} for those of its shutdown).
     * Implement it and declare {@link Capability#DEAD_LETTER_OBSERVER}; the default refuses.
     *
     * @param observer told every dead letter of the runtime
     * @return the runtime
     * @throws UnsupportedOperationException if the provider does not implement it
     */
    default AgentRuntime create(final DeadLetterObserver observer) {
        throw new UnsupportedOperationException("this provider cannot give a runtime a DeadLetterObserver (rule 2.8):"
                + " implement RuntimeProvider.create(DeadLetterObserver) and declare Capability.DEAD_LETTER_OBSERVER");
    }

    /**
     * Stops a runtime made by {@link #create}. The default shuts it down with a 10 s timeout.
     *
     * @param runtime the runtime
     */
    default void destroy(final AgentRuntime runtime) {
        runtime.shutdown(Duration.ofSeconds(10));
    }

    /**
     * @return the optional features the runtime has; the default is all of them but
     *     {@link Capability#FATAL_ERROR_HANDLER}, which needs {@link #create(FatalErrorHandler)},
     *     {@link Capability#DEAD_LETTER_OBSERVER}, which needs {@link #create(DeadLetterObserver)}, and
     *     the dispatcher placements of rule 1.7 ({@link Capability#PINNED_DISPATCHER},
     *     {@link Capability#BLOCKING_DISPATCHER}), new in 0.3: declare them when your runtime has them
     */
    default Set<Capability> capabilities() {
        final Set<Capability> all = EnumSet.allOf(Capability.class);
        all.remove(Capability.FATAL_ERROR_HANDLER);
        all.remove(Capability.DEAD_LETTER_OBSERVER);
        all.remove(Capability.PINNED_DISPATCHER);
        all.remove(Capability.BLOCKING_DISPATCHER);
        return all;
    }

    /**
     * The grace your runtime documents for rule 8.7: how long {@code shutdown(timeout)} may take beyond
     * its timeout when a callback never returns. The kit allows this plus its
     * {@link KitTimeouts#awaitSignal()} as slack for a slow machine.
     *
     * @return the documented grace; the default, 5 s, suits a runtime that documents none
     */
    default Duration shutdownGrace() {
        return Duration.ofSeconds(5);
    }

    /**
     * @return how long to wait; the default reads the system properties
     */
    default KitTimeouts timeouts() {
        return KitTimeouts.fromSystemProperties();
    }
}
