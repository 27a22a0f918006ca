package dev.flin.conformance;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.EnumSet;
import java.util.Set;
import dev.flin.runtime.core.FlinRuntime;

/** Runs the kit against runtime-core, the reference runtime (worker-pool dispatcher, defaults). */
@ConformanceClaim(implementation = "runtime-core and runtime-http", profile = Profile.CORE_AND_HTTP)
class ReferenceRuntimeConformanceVerification extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return FlinRuntime.create();
            }

            @Override
            public AgentRuntime create(final FatalErrorHandler handler) {
                return FlinRuntime.create(RuntimeOptions.defaults().withFatalErrorHandler(handler));
            }

            @Override
            public AgentRuntime create(final DeadLetterObserver observer) {
                return FlinRuntime.create(RuntimeOptions.defaults().withDeadLetterObserver(observer));
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public java.time.Duration shutdownGrace() {
                return FlinRuntime.SHUTDOWN_GRACE;
            }
        };
    }
}
