package dev.flin.conformance.faulty;

import java.lang.reflect.Method;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Keeps the matrix within its time budget: once the kit running against a faulty runtime has
 * failed {@code maxFailures} checks, at least one of them REQUIRED, its remaining checks are skipped
 * (the fault is caught; the rest would mostly add more two-second timeouts). Faults caught by a few
 * rules run completely; only the noisy ones are cut short, and the matrix says so. Set by
 * {@link FaultyRuntimeMatrixTest} around each launch of a faulty kit; outside the matrix (no budget
 * set) and for the controls nothing is skipped.
 *
 * <p>Threading: the matrix launches one kit at a time; the budget is published through an atomic
 * reference and counted with atomics, because the platform may report from another thread.
 */
public final class MatrixBudget implements SkipExecutionHook {

    private static final AtomicReference<MatrixBudget.Budget> CURRENT = new AtomicReference<>();

    /** The budget of one launch. */
    static final class Budget {
        private final int maxFailures;
        private final AtomicInteger failures = new AtomicInteger();
        private final AtomicInteger requiredFailures = new AtomicInteger();
        private final AtomicInteger skipped = new AtomicInteger();

        Budget(final int maxFailures) {
            this.maxFailures = maxFailures;
        }

        void failed(final boolean required) {
            failures.incrementAndGet();
            if (required) {
                requiredFailures.incrementAndGet();
            }
        }

        boolean spent() {
            return maxFailures > 0 && requiredFailures.get() > 0 && failures.get() >= maxFailures;
        }

        /** @return how many checks were skipped because the budget was spent */
        int skipped() {
            return skipped.get();
        }
    }

    /**
     * @param budget the budget of the launch about to start, or null for none
     */
    static void set(final Budget budget) {
        CURRENT.set(budget);
    }

    /** @return the current launch's budget, or null */
    static Budget current() {
        return CURRENT.get();
    }

    @Override
    public SkipResult shouldBeSkipped(final LifecycleContext context) {
        final Budget budget = CURRENT.get();
        final boolean check = context.optionalElement().map(e -> e instanceof Method).orElse(false);
        if (budget == null || !check || !budget.spent()) {
            return SkipResult.doNotSkip();
        }
        budget.skipped.incrementAndGet();
        return SkipResult.skip("matrix budget: the fault is already caught by " + budget.failures.get()
                + " failed checks (-Dflin.faulty.maxFailures=0 runs every check)");
    }
}
