package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Workload;
import dev.flin.bench.WorkloadFactory;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.Objects;

/**
 * The {@code flin-pinned} and {@code flin-blocking} rows: runtime-core as {@link FlinWorkloads}
 * builds it (one worker per core, the given idle strategy), with the measured agent spawned on a
 * {@link DispatcherSelector} other than the default (rule 1.7). Only the scenarios with one measured
 * agent fed from outside the runtime have such a row: {@code OneToOneTell} and {@code ManyToOneTell};
 * every other scenario is unsupported here (their agents stay on the shared pool in
 * {@link FlinWorkloads}).
 *
 * <p>Threading: called by the benchmark thread.
 */
public final class FlinPlacedWorkloads implements WorkloadFactory {

    private final String system;
    private final IdleStrategy idleStrategy;
    private final DispatcherSelector placement;

    /**
     * @param system       the system's name
     * @param idleStrategy what an idle worker of the shared pool does
     * @param placement    where the measured agent runs
     */
    public FlinPlacedWorkloads(final String system, final IdleStrategy idleStrategy, final DispatcherSelector placement) {
        this.system = Objects.requireNonNull(system, "system");
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
        this.placement = Objects.requireNonNull(placement, "placement");
    }

    @Override
    public String system() {
        return system;
    }

    @Override
    public Workload oneToOne(final Params.OneToOne params) {
        return FlinCounting.oneToOne(system, idleStrategy, params, placement);
    }

    @Override
    public Workload manyToOne(final Params.ManyToOne params) {
        return FlinCounting.manyToOne(system, idleStrategy, params, placement);
    }
}
