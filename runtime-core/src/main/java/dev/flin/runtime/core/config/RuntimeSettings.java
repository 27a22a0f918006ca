package dev.flin.runtime.core.config;

import dev.flin.runtime.core.Dispatchers;
import dev.flin.runtime.core.RuntimeOptions;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.List;
import java.util.Objects;

/**
 * The runtime's settings ({@code --workers}, {@code --idle-strategy}, {@code --mailbox-capacity},
 * {@code --batch-size}) and the {@link RuntimeOptions} they make.
 *
 * <p>Threading: stateless; any thread.
 */
public final class RuntimeSettings {

    /** What an idle worker does, see {@link IdleStrategy}. */
    public enum Idle {
        /** Spin, then yield, then park up to 10 ms: {@link Dispatchers#defaultIdleStrategy()}. */
        BACKOFF,
        /** Spin on the CPU: lowest latency, a core per worker. */
        BUSY_SPIN,
        /** Yield the CPU in a loop. */
        YIELDING,
        /** Park at once until woken: least CPU, highest wake-up latency. */
        PARKING;

        /** @return a fresh strategy of this kind */
        public IdleStrategy strategy() {
            return switch (this) {
                case BACKOFF -> Dispatchers.defaultIdleStrategy();
                case BUSY_SPIN -> IdleStrategy.busySpin();
                case YIELDING -> IdleStrategy.yielding();
                case PARKING -> IdleStrategy.parking();
            };
        }
    }

    /** {@code --workers}: worker threads of the shared pool. */
    public static final Setting<Integer> WORKERS = Setting.of("workers", SettingType.integer(),
            Runtime.getRuntime().availableProcessors(), "worker threads of the shared pool")
            .range(1, 1024).defaultShownAs("one per processor, " + Runtime.getRuntime().availableProcessors() + " here");
    /** {@code --idle-strategy}: what an idle worker does. */
    public static final Setting<Idle> IDLE_STRATEGY = Setting.of("idle-strategy", SettingType.enumeration(Idle.class),
            Idle.BACKOFF, "what an idle worker does");
    /** {@code --mailbox-capacity}: the capacity of a mailbox whose spawn asks for none. */
    public static final Setting<Integer> MAILBOX_CAPACITY = Setting.of("mailbox-capacity", SettingType.integer(),
            RuntimeOptions.DEFAULT_MAILBOX_CAPACITY, "capacity of a mailbox whose spawn names none (rule 2.1)")
            .range(1, 1 << 24);
    /** {@code --batch-size}: messages an agent processes before it yields its thread. */
    public static final Setting<Integer> BATCH_SIZE = Setting.of("batch-size", SettingType.integer(),
            RuntimeOptions.DEFAULT_BATCH_SIZE, "messages an agent processes before it yields its thread")
            .range(1, 1 << 16);

    /** {@code --agent-mdc}: callbacks run with their agent's id, name and correlation id in the SLF4J MDC. */
    public static final Setting<Boolean> AGENT_MDC = Setting.of("agent-mdc", SettingType.bool(), false,
            "callbacks run with the agent's id, name and correlation id in the SLF4J MDC (rule 8.12)");

    private RuntimeSettings() {
    }

    /** @return the group {@code Runtime}: the five settings above */
    public static SettingGroup group() {
        return SettingGroup.of("Runtime", List.of(WORKERS, IDLE_STRATEGY, MAILBOX_CAPACITY, BATCH_SIZE, AGENT_MDC));
    }

    /**
     * @param config settings read by a registry holding {@link #group()}
     * @return {@link RuntimeOptions#defaults()} with the configured capacity, batch size and a
     *     worker pool of the configured threads and idle strategy
     */
    public static RuntimeOptions options(final Configuration config) {
        Objects.requireNonNull(config, "config");
        final int workers = config.get(WORKERS);
        final Idle idle = config.get(IDLE_STRATEGY);
        return RuntimeOptions.defaults()
                .withDefaultMailboxCapacity(config.get(MAILBOX_CAPACITY))
                .withBatchSize(config.get(BATCH_SIZE))
                .withAgentMdc(config.get(AGENT_MDC))
                .withDispatcher(() -> Dispatchers.workerPool(workers, idle.strategy(), "flin"));
    }
}
