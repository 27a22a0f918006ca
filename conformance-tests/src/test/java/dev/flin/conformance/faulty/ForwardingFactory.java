package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentFactory;
import java.lang.reflect.Modifier;

/**
 * The factory a {@link ForwardingRuntime} hands the real runtime: wraps each user instance. If the
 * user factory returns again the stateful instance it returned last time, the same wrapper is
 * returned again, so the real runtime still sees (and refuses, rule 1.3) the reuse; a stateless
 * instance returned again gets a fresh wrapper, which the rule allows.
 *
 * <p>Threading: called by the real runtime on the agent thread, one call after the other (rule
 * 1.2), so the plain fields are safe.
 */
final class ForwardingFactory<M> implements AgentFactory<M> {

    private final ForwardingRuntime runtime;
    private final AgentFactory<M> factory;
    private Agent<M> lastOriginal;
    private Agent<M> lastWrapper;

    ForwardingFactory(final ForwardingRuntime runtime, final AgentFactory<M> factory) {
        this.runtime = runtime;
        this.factory = factory;
    }

    @Override
    public Agent<M> create() {
        final Agent<M> original = factory.create();
        if (original == null) {
            return null; // rule 1.3: the real runtime reports it
        }
        if (original == lastOriginal && hasInstanceFields(original.getClass())) {
            return lastWrapper;
        }
        lastOriginal = original;
        lastWrapper = runtime.wrapAgent(original);
        return lastWrapper;
    }

    static boolean hasInstanceFields(final Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (final java.lang.reflect.Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    return true;
                }
            }
        }
        return false;
    }
}
