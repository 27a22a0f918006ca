package dev.flin.conformance;

import java.lang.reflect.Method;
import java.util.Set;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a check whose {@link RequiresCapability} the provider does not declare, with a visible
 * reason. (Aborting from inside a jqwik property would count as rejected tries and fail it, so
 * the decision is made before the check runs.)
 */
public final class CapabilitySkipHook implements SkipExecutionHook {

    @Override
    public SkipResult shouldBeSkipped(final LifecycleContext context) {
        final RequiresCapability required = context.findAnnotation(RequiresCapability.class).orElse(null);
        final Class<?> container = context.optionalContainerClass().orElse(null);
        if (required == null || container == null || !FlinConformanceKit.class.isAssignableFrom(container)) {
            return SkipResult.doNotSkip();
        }
        final FlinConformanceKit kit = (FlinConformanceKit) context.newInstance(container);
        final Set<Capability> has = kit.provider().capabilities();
        for (final Capability capability : required.value()) {
            if (!has.contains(capability)) {
                final String method = context.optionalElement().map(e -> e instanceof Method m ? m.getName() : "")
                        .orElse("");
                return SkipResult.skip("runtime lacks capability " + capability
                        + SpecRules.idFromMethodName(method).map(id -> " (rule " + id + ")").orElse(""));
            }
        }
        return SkipResult.doNotSkip();
    }
}
