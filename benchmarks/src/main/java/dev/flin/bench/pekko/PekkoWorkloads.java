package dev.flin.bench.pekko;

import dev.flin.bench.WorkloadFactory;

/**
 * The scenarios on pekko.
 */
public final class PekkoWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return "pekko";
    }
}
