package dev.flin.micrometer;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import dev.flin.runtime.core.spi.HandlerTimer;
import dev.flin.runtime.core.spi.NamedAgentListener;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Per-agent meters: how long handlers take and how deep named agents' mailboxes are.
 *
 * <pre>
 *   flin.handler.duration{agent=NAME}        timer: each onMessage call of the named agent NAME
 *   flin.handler.duration{agent=(anonymous)} timer: every agent without a name, together
 *   flin.mailbox.depth{agent=NAME}           gauge: messages in NAME's mailbox now (rule 8.4)
 * </pre>
 * (In Prometheus: {@code flin_handler_duration_seconds_count}, {@code _sum}, {@code _max};
 * {@code flin_mailbox_depth}.) Only named agents get meters of their own, and a named agent's
 * meters are removed from the registry when it terminates, so the number of meters is bounded by
 * the number of live named agents plus one; anonymous agents (often many, short-lived) share one
 * timer and have no depth gauge.
 *
 * <p>It is the runtime's {@link HandlerTimer} and {@link NamedAgentListener}, so it is given to the
 * runtime's options before the runtime exists, and told the runtime afterwards:
 * <pre>{@code
 * FlinAgentMetrics agents = new FlinAgentMetrics();
 * AgentRuntime runtime = FlinRuntime.create(agents.instrument(RuntimeOptions.defaults()));
 * agents.attach(runtime);           // for the depth gauges
 * agents.bindTo(registry);          // one registry: use a CompositeMeterRegistry for several
 * new FlinRuntimeMetrics(runtime).bindTo(registry);
 * }</pre>
 * One instance serves one runtime and one registry. Handler times before {@link #bindTo} are not
 * recorded; named agents spawned before it get their meters when it is called.
 *
 * <p>Threading: thread-safe. {@link #handled} runs on agent threads after each handler (see
 * {@link HandlerTimer}): a map lookup by name and a {@link Timer#record}, no allocation, no lock.
 * {@link #registered} and {@link #unregistered} run on spawning and terminating threads and
 * register or remove meters under the map's per-name lock; a registry that is reading its meters
 * meanwhile sees each meter or not, never a half-made one (the registry's guarantee). The depth
 * gauges call {@link AgentRuntime#mailboxDepth}, thread-safe and non-blocking (rule 8.4), on the
 * reading thread. The runtime and registry fields are written once and read through volatile
 * reads.
 */
public final class FlinAgentMetrics implements HandlerTimer, NamedAgentListener, MeterBinder {

    /** The {@code agent} tag value of every agent without a name. */
    public static final String ANONYMOUS = "(anonymous)";

    private static final String DURATION = "flin.handler.duration";
    private static final String DEPTH = "flin.mailbox.depth";

    private final Tags tags;
    /** Live named agents by name; an entry whose id is higher wins (ids are never reused, rule 3.8). */
    private final ConcurrentHashMap<String, Named> named = new ConcurrentHashMap<>();
    private volatile @Nullable AgentRuntime runtime;
    private volatile @Nullable MeterRegistry registry;
    private volatile @Nullable Timer anonymous;

    /** @param tags tags added to every meter, may be empty */
    public FlinAgentMetrics(final Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    /** No extra tags. */
    public FlinAgentMetrics() {
        this(Tags.empty());
    }

    /**
     * @param options the runtime's options
     * @return a copy with this as its handler timer and named-agent listener
     */
    public RuntimeOptions instrument(final RuntimeOptions options) {
        return Objects.requireNonNull(options, "options").withHandlerTimer(this).withNamedAgentListener(this);
    }

    /**
     * Tells the runtime whose mailboxes the depth gauges read; once.
     *
     * @param agentRuntime the runtime created with {@link #instrument}'s options
     * @return this
     * @throws IllegalStateException if a runtime was attached already
     */
    public synchronized FlinAgentMetrics attach(final AgentRuntime agentRuntime) {
        Objects.requireNonNull(agentRuntime, "agentRuntime");
        if (runtime != null) {
            throw new IllegalStateException("one FlinAgentMetrics per runtime: a runtime is attached already");
        }
        runtime = agentRuntime;
        return this;
    }

    @Override
    public void bindTo(final MeterRegistry meterRegistry) {
        Objects.requireNonNull(meterRegistry, "meterRegistry");
        synchronized (this) {
            if (registry != null) {
                throw new IllegalStateException("FlinAgentMetrics binds to one registry; use a CompositeMeterRegistry");
            }
            anonymous = timer(meterRegistry, ANONYMOUS);
            registry = meterRegistry;
        }
        for (final String name : named.keySet()) {
            named.computeIfPresent(name, (n, entry) -> entry.withMeters(meterRegistry));
        }
    }

    @Override
    public void handled(final AgentId agent, final String name, final Class<?> messageType, final long elapsedNanos) {
        final Timer timer;
        if (name == null) {
            timer = anonymous;
        } else {
            final Named entry = named.get(name);
            timer = entry == null ? null : entry.timer;
        }
        if (timer != null) {
            timer.record(elapsedNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void registered(final String name, final AgentId agent) {
        named.compute(name, (n, current) -> {
            if (current != null && current.agent.value() >= agent.value()) {
                // this agent was unregistered first (a tombstone of its id), or a newer one has the name
                return current.agent.equals(agent) ? null : current;
            }
            if (current != null) {
                current.removeMeters(); // an older agent's leftover (its unregistered is still to come)
            }
            final MeterRegistry meters = registry;
            final Named fresh = new Named(name, agent, false);
            return meters == null ? fresh : fresh.withMeters(meters);
        });
    }

    @Override
    public void unregistered(final String name, final AgentId agent) {
        named.compute(name, (n, current) -> {
            if (current == null || current.agent.value() < agent.value()) {
                if (current != null) {
                    current.removeMeters();
                }
                return new Named(name, agent, true); // before its registered: remember not to add it
            }
            if (current.agent.equals(agent)) {
                current.removeMeters();
                return null;
            }
            return current; // a newer agent has the name
        });
    }

    private Timer timer(final MeterRegistry meterRegistry, final String agentTag) {
        return Timer.builder(DURATION).description("time an agent's onMessage call took").tags(tags)
                .tag("agent", agentTag).register(meterRegistry);
    }

    /** Reading thread: the agent's mailbox depth, or NaN once it is gone (or no runtime is attached). */
    private double depth(final AgentId agent) {
        final AgentRuntime rt = runtime;
        if (rt == null) {
            return Double.NaN;
        }
        try {
            return rt.mailboxDepth(agent);
        } catch (AgentNotFoundException gone) {
            return Double.NaN;
        }
    }

    /**
     * One named agent and its meters, or a tombstone (an agent reported unregistered before it was
     * reported registered, see {@link NamedAgentListener}). Changed only under the map's lock for
     * its name; {@code timer} is read by agent threads without it (volatile).
     */
    private final class Named {
        final String name;
        final AgentId agent;
        final boolean tombstone;
        volatile @Nullable Timer timer;
        volatile @Nullable Meter depth;

        Named(final String name, final AgentId agent, final boolean tombstone) {
            this.name = name;
            this.agent = agent;
            this.tombstone = tombstone;
        }

        Named withMeters(final MeterRegistry meterRegistry) {
            if (!tombstone && timer == null) {
                depth = Gauge.builder(DEPTH, this, n -> depth(n.agent)).description("messages in the agent's mailbox now")
                        .tags(tags).tag("agent", name).strongReference(true).register(meterRegistry);
                timer = timer(meterRegistry, name);
            }
            return this;
        }

        void removeMeters() {
            final MeterRegistry meterRegistry = registry;
            if (meterRegistry == null) {
                return;
            }
            final Timer t = timer;
            final Meter d = depth;
            timer = null;
            depth = null;
            if (t != null) {
                meterRegistry.remove(t);
            }
            if (d != null) {
                meterRegistry.remove(d);
            }
        }
    }
}
