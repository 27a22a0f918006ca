package dev.flin.bench.threads;

import dev.flin.bench.WorkloadFactory;

/**
 * The scenarios on threads.
 */
public final class ThreadWorkloads implements WorkloadFactory {

    @Override
    public String system() {
        return "threads";
    }
}
