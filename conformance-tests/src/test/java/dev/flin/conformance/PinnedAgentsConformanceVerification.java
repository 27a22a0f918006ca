package dev.flin.conformance;

import dev.flin.conformance.faulty.RemapsPlacement;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runs the kit against runtime-core with every agent the kit spawns placed on {@code PINNED}
 * (rule 1.7): each on a thread of its own, whose run waits for more work instead of ending when
 * it catches up ({@code AgentCell.holdWhileCaughtUp}). Every rule the kit checks on the worker pool
 * (delivery, order, pause, stop, supervision, timers, death watch, shutdown) must hold on that path
 * too. Agents spawned from inside an agent keep the placement the kit gave them.
 */
class PinnedAgentsConformanceVerification extends FlinConformanceKit {

    @Override
    public RuntimeProvider provider() {
        return new RuntimeProvider() {
            @Override
            public AgentRuntime create() {
                return pinnedEverywhere(FlinRuntime.create());
            }

            @Override
            public AgentRuntime create(final FatalErrorHandler handler) {
                return pinnedEverywhere(FlinRuntime.create(RuntimeOptions.defaults().withFatalErrorHandler(handler)));
            }

            @Override
            public AgentRuntime create(final DeadLetterObserver observer) {
                return pinnedEverywhere(FlinRuntime.create(RuntimeOptions.defaults().withDeadLetterObserver(observer)));
            }

            @Override
            public Set<Capability> capabilities() {
                return EnumSet.allOf(Capability.class);
            }

            @Override
            public Duration shutdownGrace() {
                return FlinRuntime.SHUTDOWN_GRACE;
            }
        };
    }

    /** The reference runtime, with the default placement turned into {@code PINNED}. */
    private static AgentRuntime pinnedEverywhere(final AgentRuntime runtime) {
        return new RemapsPlacement(runtime, DispatcherSelector.DEFAULT, DispatcherSelector.PINNED);
    }
}
