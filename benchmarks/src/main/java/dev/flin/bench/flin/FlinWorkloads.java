package dev.flin.bench.flin;

import dev.flin.bench.WorkloadFactory;
import dev.flin.runtime.core.IdleStrategy;
import java.util.Objects;

/**
 * The scenarios on FLIN's reference runtime, with the given idle strategy.
 */
public final class FlinWorkloads implements WorkloadFactory {

    private final String system;
    private final IdleStrategy idleStrategy;

    /**
     * @param system       the system's name
     * @param idleStrategy what an idle worker does
     */
    public FlinWorkloads(final String system, final IdleStrategy idleStrategy) {
        this.system = Objects.requireNonNull(system, "system");
        this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
    }

    @Override
    public String system() {
        return system;
    }
}
