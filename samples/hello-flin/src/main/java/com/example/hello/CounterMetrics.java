package com.example.hello;

import dev.flin.micrometer.FlinAgentMetrics;
import dev.flin.micrometer.FlinRuntimeMetrics;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;

/**
 * Exports a runtime's figures to a Micrometer registry: the runtime's counters, and for each named
 * agent (such as the counter, spawned under {@link #COUNTER}) its handler times and mailbox depth.
 * An application hands the registry to whatever scrapes it (Prometheus, for instance).
 *
 * <p>Use: build the runtime from {@link #instrument}'s options, then {@link #bind} it, once.
 *
 * <p>Threading: call {@code instrument} and {@code bind} from one thread, before the runtime is
 * busy; the registry reads the meters from its own threads afterwards.
 */
public final class CounterMetrics {

    /** The counter agent's name: its meters are tagged {@code agent=counter}. */
    public static final String COUNTER = "counter";

    private final FlinAgentMetrics agents = new FlinAgentMetrics();
    private final MeterRegistry registry;

    /** @param registry where the meters go */
    public CounterMetrics(final MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * @param options the runtime's options
     * @return the same options, with the handler timer and named-agent listener the meters need
     */
    public RuntimeOptions instrument(final RuntimeOptions options) {
        return agents.instrument(options);
    }

    /** @param runtime a runtime built from {@link #instrument}'s options */
    public void bind(final AgentRuntime runtime) {
        agents.attach(runtime).bindTo(registry);
        new FlinRuntimeMetrics(runtime).bindTo(registry);
    }
}
