package dev.flin.bench.vthreads;

import dev.flin.bench.WorkloadFactory;

/**
 * The scenarios on one virtual thread per agent (JDK 21+).
 */
public final class VirtualThreadWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return "vthreads";
    }
}
