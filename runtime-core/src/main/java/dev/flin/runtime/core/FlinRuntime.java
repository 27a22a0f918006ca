package dev.flin.runtime.core;

import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.internal.RuntimeCore;
import java.time.Duration;
import java.util.Objects;

/**
 * Creates runtimes. The returned {@link AgentRuntime} owns its dispatcher's threads until
 * {@link AgentRuntime#shutdown} returns.
 *
 * <pre>{@code
 * try (AgentRuntime runtime = FlinRuntime.create()) {
 *     AgentRef<String> greeter = runtime.spawn(String.class, () -> (name, ctx) -> System.out.println("hi " + name));
 *     greeter.tell("Ada");
 * }
 * }</pre>
 *
 * <p>Threading: stateless; any thread.
 */
public final class FlinRuntime {

    /**
     * How long {@link AgentRuntime#shutdown} may take beyond its timeout when a callback never
     * returns (rule 8.7): half for agents terminated at the timeout to finish, half for the threads
     * to exit; a callback still running then is left on its interrupted daemon thread and logged.
     */
    public static final Duration SHUTDOWN_GRACE = RuntimeCore.SHUTDOWN_GRACE;

    private FlinRuntime() {
    }

    /**
     * @return a runtime with {@link RuntimeOptions#defaults()}
     */
    public static AgentRuntime create() {
        return create(RuntimeOptions.defaults());
    }

    /**
     * @param options how to build it
     * @return a started runtime
     */
    public static AgentRuntime create(final RuntimeOptions options) {
        Objects.requireNonNull(options, "options");
        final Dispatcher dispatcher = Objects.requireNonNull(options.dispatcher().get(), "dispatcher factory returned null");
        return new RuntimeCore(dispatcher, options.defaultMailboxCapacity(), options.batchSize(), options.fatalErrorHandler(),
                options.handlerTimer(), options.namedAgentListener(), options.agentMdc(), options.deadLetterObserver());
    }
}
