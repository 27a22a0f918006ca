package dev.flin.conformance;

import dev.flin.runtime.AgentRuntime;
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
     * Stops a runtime made by {@link #create}. The default shuts it down with a 10 s timeout.
     *
     * @param runtime the runtime
     */
    default void destroy(final AgentRuntime runtime) {
        runtime.shutdown(Duration.ofSeconds(10));
    }

    /**
     * @return the optional features the runtime has; the default is all of them
     */
    default Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    /**
     * @return how long to wait; the default reads the system properties
     */
    default KitTimeouts timeouts() {
        return KitTimeouts.fromSystemProperties();
    }
}
