package dev.flin.conformance;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.lifecycle.AroundContainerHook;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.ContainerLifecycleContext;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.Lifespan;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;
import net.jqwik.api.lifecycle.Store;

/**
 * Keeps a kit run honest about what it ran: applies the rule selection ({@link RuleSelection},
 * {@code -Dflin.kit.rules=...}) by skipping the other checks, refuses a selection that names no rule
 * of the spec or no check of the class, and fails the verification class when it ran no check at
 * all (every check skipped or filtered away), so that a run that verified nothing never passes.
 *
 * <p>(A test runner's own filter that matches none of a class's checks, such as Surefire's
 * {@code -Dtest=Class#method} against checks declared in the kit's interfaces, removes the class before
 * it runs; no hook is called then. Run with Surefire's {@code -DfailIfNoTests=true} to catch that:
 * see docs/conformance.md.)
 *
 * <p>Threading: jqwik calls it on the thread that runs the class; the count of checks run lives in
 * a jqwik {@link Store} of the class's container, not in this object.
 */
public final class RunGuardHook implements SkipExecutionHook, AroundContainerHook, AroundPropertyHook {

    private static final int REFUSED = -1;

    private record Ran(Class<?> verification) { }

    @Override
    public SkipResult shouldBeSkipped(final LifecycleContext context) {
        final Method method = context.optionalElement().orElse(null) instanceof Method m ? m : null;
        if (method == null) {
            return SkipResult.doNotSkip();
        }
        final RuleSelection selection = RuleSelection.fromSystemProperties();
        if (selection.selectsCheck(method.getName())) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip("not selected by " + selection);
    }

    @Override
    public void beforeContainer(final ContainerLifecycleContext context) {
        final Class<?> verification = context.optionalContainerClass().orElse(null);
        if (verification == null) {
            return;
        }
        final Store<AtomicInteger> ran = Store.getOrCreate(new Ran(verification), Lifespan.RUN, AtomicInteger::new);
        ran.reset();
        ran.get().set(REFUSED); // until the selection is found sound: the class's own error says why
        final RuleSelection selection = RuleSelection.fromSystemProperties(); // throws, naming a bad selector
        if (!selection.selectsAll() && Arrays.stream(verification.getMethods())
                .noneMatch(m -> SpecRules.idFromMethodName(m.getName()).isPresent() && selection.selectsCheck(m.getName()))) {
            throw new AssertionError(verification.getSimpleName() + ": " + selection
                    + " selects no check of this class: nothing would be verified (the rules of section 9 are"
                    + " checked by the classes extending HttpConformanceKit and WebSocketCaseKit: run those)");
        }
        ran.get().set(0);
    }

    @Override
    public PropertyExecutionResult aroundProperty(final PropertyLifecycleContext context, final PropertyExecutor property) {
        final PropertyExecutionResult result = property.execute();
        if (result.status() != PropertyExecutionResult.Status.ABORTED) {
            final Store<AtomicInteger> ran = Store.get(new Ran(context.containerClass()));
            ran.get().incrementAndGet();
        }
        return result;
    }

    @Override
    public void afterContainer(final ContainerLifecycleContext context) {
        final Class<?> verification = context.optionalContainerClass().orElse(null);
        if (verification == null) {
            return;
        }
        final Store<AtomicInteger> ran = Store.get(new Ran(verification));
        if (ran.get().get() == 0) { // REFUSED: beforeContainer failed the class already
            throw new AssertionError(verification.getSimpleName() + " ran no check: every check was skipped ("
                    + RuleSelection.fromSystemProperties() + ", capabilities " + capabilities(context, verification)
                    + "), so nothing was verified. Select rules the runtime's capabilities allow, or declare them.");
        }
    }

    private static String capabilities(final ContainerLifecycleContext context, final Class<?> verification) {
        if (!FlinConformanceKit.class.isAssignableFrom(verification)) {
            return "n/a";
        }
        try {
            return ((FlinConformanceKit) context.newInstance(verification)).provider().capabilities().toString();
        } catch (RuntimeException e) {
            return "unknown (" + e + ")";
        }
    }
}
