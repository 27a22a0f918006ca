package dev.flin.conformance;

import dev.flin.http.Transport;
import dev.flin.http.core.EventLoopDispatcher;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the kit against runtime-core with runtime-http's {@link EventLoopDispatcher}: agents on two
 * Netty event loops instead of the worker pool. Every rule must still hold, except that an agent
 * blocking its loop stalls the agents queued behind it on that loop: the runtime declares no
 * {@link Capability#INDEPENDENT_PROGRESS}, so the checks that hold an agent's thread to model a
 * slow agent are skipped (with that reason in the report).
 */
@ConformanceClaim(implementation = "runtime-core and runtime-http on event loops", profile = Profile.CORE_AND_HTTP)
class EventLoopRuntimeConformanceVerification extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return FlinRuntime.create(RuntimeOptions.defaults()
                        .withDispatcher(() -> EventLoopDispatcher.create(2, Transport.AUTO)));
            }

            @Override
            public AgentRuntime create(final FatalErrorHandler handler) {
                return FlinRuntime.create(RuntimeOptions.defaults().withFatalErrorHandler(handler)
                        .withDispatcher(() -> EventLoopDispatcher.create(2, Transport.AUTO)));
            }

            @Override
            public AgentRuntime create(final DeadLetterObserver observer) {
                return FlinRuntime.create(RuntimeOptions.defaults().withDeadLetterObserver(observer)
                        .withDispatcher(() -> EventLoopDispatcher.create(2, Transport.AUTO)));
            }

            @Override
            public Set<Capability> capabilities() {
                final Set<Capability> all = EnumSet.allOf(Capability.class);
                all.remove(Capability.INDEPENDENT_PROGRESS);
                return all;
            }
        };
    }
}
