package dev.flin.micrometer;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.RuntimeCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Binds a runtime's counters (rule 8.3, {@link AgentRuntime#counters()}) as meters: each counter
 * of {@link RuntimeCounters} as a {@link FunctionCounter}, the two gauges ({@code queued},
 * {@code alive()}) as {@link Gauge}s.
 *
 * <pre>
 *   flin.agents.spawned            counter   flin.messages.accepted          counter
 *   flin.agents.terminated         counter   flin.messages.processed         counter
 *   flin.agents.restarts           counter   flin.messages.dead.letters      counter
 *   flin.agents.failures           counter   flin.messages.stale.timer       counter
 *   flin.agents.alive              gauge     flin.messages.queued            gauge
 *   flin.messages.rejected.full    counter   flin.messages.rejected.not.found counter
 *   flin.replies.late              counter   flin.events.dropped             counter
 * </pre>
 * (In Prometheus: {@code flin_messages_processed_total}, {@code flin_agents_alive}, ...)
 *
 * <p>The meters read the runtime when the registry reads them (a scrape), one
 * {@link AgentRuntime#counters()} snapshot per meter: nothing is added to the runtime's hot paths.
 * The registry holds the runtime strongly; after the runtime has shut down the meters keep its last
 * values.
 *
 * <p>Threading: immutable; {@link #bindTo} may be called from any thread, for any number of
 * registries. The meters' functions run on whichever thread reads the registry; {@code counters()}
 * is thread-safe and non-blocking (rule 8.5).
 */
public final class FlinRuntimeMetrics implements MeterBinder {

    private final AgentRuntime runtime;
    private final Tags tags;

    /**
     * @param runtime the runtime whose counters to bind
     * @param tags    tags added to every meter (e.g. the service's name), may be empty
     */
    public FlinRuntimeMetrics(final AgentRuntime runtime, final Iterable<Tag> tags) {
        this.runtime = Objects.requireNonNull(runtime, "runtime");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** @param runtime the runtime whose counters to bind, with no extra tags */
    public FlinRuntimeMetrics(final AgentRuntime runtime) {
        this(runtime, Tags.empty());
    }

    @Override
    public void bindTo(final MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        counter(registry, "flin.agents.spawned", "agents spawned", RuntimeCounters::spawned);
        counter(registry, "flin.agents.terminated", "agents that reached TERMINATED", RuntimeCounters::terminated);
        counter(registry, "flin.agents.restarts", "restarts performed (rule 4.2)", RuntimeCounters::restarts);
        counter(registry, "flin.agents.failures", "failures reported (rule 4.5)", RuntimeCounters::failures);
        counter(registry, "flin.messages.accepted", "messages accepted into mailboxes", RuntimeCounters::accepted);
        counter(registry, "flin.messages.processed", "messages handed to onMessage", RuntimeCounters::processed);
        counter(registry, "flin.messages.dead.letters", "accepted messages not processed because the agent terminated",
                RuntimeCounters::deadLetters);
        counter(registry, "flin.messages.stale.timer", "timer messages discarded because their timer was cancelled",
                RuntimeCounters::staleTimerMessages);
        counter(registry, "flin.messages.rejected.full", "sends refused because the mailbox was full (rule 2.2)",
                RuntimeCounters::rejectedFull);
        counter(registry, "flin.messages.rejected.not.found", "sends refused because no live agent had the id (rule 2.5)",
                RuntimeCounters::rejectedNotFound);
        counter(registry, "flin.replies.late", "replies refused because the ask was already completed (rule 5.4)",
                RuntimeCounters::lateReplies);
        counter(registry, "flin.events.dropped", "published events a full subscriber could not take (rule 6.6)",
                RuntimeCounters::droppedEvents);
        Gauge.builder("flin.messages.queued", runtime, r -> r.counters().queued())
                .description("messages accepted and not yet taken out of a mailbox").tags(tags).register(registry);
        Gauge.builder("flin.agents.alive", runtime, r -> r.counters().alive())
                .description("agents spawned and not yet terminated").tags(tags).register(registry);
    }

    private void counter(final MeterRegistry registry, final String name, final String description,
            final ToLongFunction<RuntimeCounters> field) {
        FunctionCounter.builder(name, runtime, r -> field.applyAsLong(r.counters()))
                .description(description).tags(tags).register(registry);
    }
}
