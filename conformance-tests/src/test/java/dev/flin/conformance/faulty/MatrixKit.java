package dev.flin.conformance.faulty;

import dev.flin.conformance.Capability;
import dev.flin.conformance.FlinConformanceKit;
import dev.flin.conformance.KitTimeouts;
import dev.flin.conformance.RuntimeProvider;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.PropagationMode;

/**
 * The kit as the faulty-runtime matrix runs it: against {@link #createRuntime()}, with short
 * timeouts so that a faulty runtime fails fast ({@code -Dflin.faulty.awaitMillis}, default 2000,
 * and {@code -Dflin.faulty.quietMillis}, default 200) and a short shutdown.
 *
 * <p>Subclasses are static nested classes named {@code Conformance} inside each faulty runtime:
 * Surefire skips nested classes, so they run only when {@link FaultyRuntimeMatrixTest} launches
 * them, with a {@link MatrixBudget}.
 */
@AddLifecycleHook(value = MatrixBudget.class, propagateTo = PropagationMode.ALL_DESCENDANTS)
public abstract class MatrixKit extends FlinConformanceKit {

    /** The timeouts of every matrix run. */
    public static final KitTimeouts TIMEOUTS = new KitTimeouts(
            Duration.ofMillis(Long.getLong("flin.faulty.awaitMillis", 2_000L)),
            Duration.ofMillis(Long.getLong("flin.faulty.quietMillis", 200L)));

    /**
     * @param options runtime-core's options for the runtime the fault wraps: the defaults, or with the
     *                kit's dead-letter observer ({@link Capability#DEAD_LETTER_OBSERVER}); a fault that
     *                concerns dead letters may wrap the observer too
     * @return a new runtime under test
     */
    protected abstract AgentRuntime createRuntime(RuntimeOptions options);

    @Override
    public final RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return createRuntime(RuntimeOptions.defaults());
            }

            @Override
            public AgentRuntime create(final DeadLetterObserver observer) {
                return createRuntime(RuntimeOptions.defaults().withDeadLetterObserver(observer));
            }

            @Override
            public void destroy(final AgentRuntime runtime) {
                runtime.shutdown(Duration.ofSeconds(2));
            }

            @Override
            public KitTimeouts timeouts() {
                return TIMEOUTS;
            }

            @Override
            public java.util.Set<dev.flin.conformance.Capability> capabilities() {
                // every runtime of the matrix wraps runtime-core, which has rule 1.7's placements and
                // takes a dead-letter observer (rule 2.8) in its options
                final java.util.Set<dev.flin.conformance.Capability> all =
                        java.util.EnumSet.allOf(dev.flin.conformance.Capability.class);
                all.remove(dev.flin.conformance.Capability.FATAL_ERROR_HANDLER);
                return all;
            }

            @Override
            public Duration shutdownGrace() {
                return FlinRuntime.SHUTDOWN_GRACE; // every runtime of the matrix wraps runtime-core
            }
        };
    }
}
