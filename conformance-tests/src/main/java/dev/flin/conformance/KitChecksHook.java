package dev.flin.conformance;

import java.util.List;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.AroundTryHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.lifecycle.Store;
import net.jqwik.api.lifecycle.TryExecutionResult;
import net.jqwik.api.lifecycle.TryExecutor;
import net.jqwik.api.lifecycle.TryLifecycleContext;

/**
 * What the kit does around every check, registered by {@link FlinConformanceKit}:
 * <ul>
 *   <li>keeps the run's and the check's {@link KitWaits} accounting in jqwik's store (one
 *       {@link KitWaits.Run} per verification class and run, one {@link KitWaits.Check} per check), so
 *       a broken runtime fails fast (see {@link KitTimeouts});</li>
 *   <li>skips the remaining checks of a run that {@link KitTimeouts#stopAfterTimeouts() stopped},
 *       with the reason;</li>
 *   <li>switches shrinking off for the kit's properties that do not choose a mode (a shrink re-runs
 *       the check with all its waits);</li>
 *   <li>rewrites every failure of a check with {@link KitFailures#explain}, so that it names the rule
 *       and an exception of the runtime under test does not read like the kit's verdict.</li>
 * </ul>
 *
 * <p>Threading: jqwik calls it on the thread that runs the checks; it keeps no state of its own.
 */
public final class KitChecksHook implements AroundContainerHook, AroundPropertyHook, AroundTryHook, SkipExecutionHook {

    private static final String RUN = "dev.flin.conformance.KitWaits.Run";
    private static final String CHECK = "dev.flin.conformance.KitWaits.Check";

    @Override
    public void beforeContainer(final ContainerLifecycleContext context) {
        context.optionalContainerClass().ifPresent(
                container -> Store.getOrCreate(Tuple.of(RUN, container), Lifespan.RUN, KitWaits.Run::new));
    }

    @Override
    public SkipResult shouldBeSkipped(final LifecycleContext context) {
        if (!(context instanceof PropertyLifecycleContext property)) {
            return SkipResult.doNotSkip();
        }
        final KitWaits.Run run = Store.getOrCreate(Tuple.of(RUN, property.containerClass()), Lifespan.RUN,
                KitWaits.Run::new).get();
        return run.stopReason().map(SkipResult::skip).orElse(SkipResult.doNotSkip());
    }

    @Override
    public PropertyExecutionResult aroundProperty(final PropertyLifecycleContext context, final PropertyExecutor property) {
        final Class<?> container = context.containerClass();
        final KitWaits.Run run = Store.getOrCreate(Tuple.of(RUN, container), Lifespan.RUN, KitWaits.Run::new).get();
        final String name = container.getName() + "#" + context.targetMethod().getName();
        Store.getOrCreate(CHECK, Lifespan.PROPERTY, () -> new KitWaits.Check(run, name));
        if (context.attributes().shrinking().isEmpty()) {
            context.attributes().setShrinking(ShrinkingMode.OFF);
        }
        return property.execute();
    }

    @Override
    public TryExecutionResult aroundTry(final TryLifecycleContext context, final TryExecutor aTry,
                                        final List<Object> parameters) {
        final TryExecutionResult result = aTry.execute(parameters);
        if (!result.isFalsified() || result.throwable().isEmpty()) {
            return result;
        }
        final Throwable explained = KitFailures.explain(result.throwable().get(), context.targetMethod().getName());
        return TryExecutionResult.falsified(explained).withFootnotes(result.footnotes());
    }

    /**
     * @return the current check's accounting, from jqwik's store; a fresh one outside a kit check
     *     (a {@link Kit} made by hand, or a kit class without this hook)
     */
    static KitWaits.Check currentCheck() {
        try {
            return Store.<KitWaits.Check>get(CHECK).get();
        } catch (net.jqwik.api.JqwikException | IllegalStateException outside) {
            return new KitWaits.Check(new KitWaits.Run(), "<this check>");
        }
    }
}
