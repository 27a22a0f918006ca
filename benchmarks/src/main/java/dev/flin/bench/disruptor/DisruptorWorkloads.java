package dev.flin.bench.disruptor;

import dev.flin.bench.WorkloadFactory;

/**
 * The scenarios on disruptor.
 */
public final class DisruptorWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return "disruptor";
    }
}
