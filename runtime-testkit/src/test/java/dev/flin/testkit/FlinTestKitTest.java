package dev.flin.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.TerminationCause;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Captured failures, dead letters, lifecycle and termination; and what closing a kit checks. */
class FlinTestKitTest {

    static List<TestProbeTest.Named> kits() {
        return TestProbeTest.kits();
    }

    /** Throws on "boom", otherwise does nothing. */
    private static AgentRef<String> fragile(final FlinTestKit kit) {
        return kit.spawn(String.class, () -> (message, context) -> {
            if (message.equals("boom")) {
                throw new IllegalStateException("boom on purpose");
            }
        });
    }

    @ParameterizedTest
    @MethodSource("kits")
    void anUnexpectedFailureFailsTheCloseWithItsCauseAndStillShutsDown(final TestProbeTest.Named named) {
        final FlinTestKit kit = named.maker().get();
        final AgentRef<String> agent = fragile(kit);
        agent.tell("boom");
        kit.await("the failure", () -> kit.runtime().counters().failures() == 1);
        final AssertionError error = assertThrows(AssertionError.class, kit::close);
        assertTrue(error.getMessage().contains("1 unexpected agent failure") && error.getMessage().contains(agent.id().toString()),
                error.getMessage());
        assertTrue(error.getCause() instanceof IllegalStateException, String.valueOf(error.getCause()));
        assertTrue(kit.runtime().isShutdown(), "the runtime is shut down even though the check failed");
        assertThrows(RuntimeStoppedException.class, () -> kit.runtime().spawn(String.class, () -> (m, c) -> { }));
        kit.close(); // a second close does nothing
    }

    @ParameterizedTest
    @MethodSource("kits")
    void aFailureWhileClosingIsReportedToo(final TestProbeTest.Named named) {
        final FlinTestKit kit = named.maker().get();
        final CountDownLatch failing = new CountDownLatch(1);
        final AgentRef<String> agent = kit.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
                failing.countDown();
            }

            @Override
            public void onStop(final AgentContext<String> context) {
                throw new IllegalStateException("failed in onStop");
            }
        });
        agent.tell("go");
        kit.await("the message", () -> failing.getCount() == 0);
        final AssertionError error = assertThrows(AssertionError.class, kit::close);
        assertTrue(error.getMessage().contains("while the kit was closing"), error.getMessage());
    }

    @ParameterizedTest
    @MethodSource("kits")
    void anExpectedFailureIsTakenOnceAndTheCloseSucceeds(final TestProbeTest.Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final AgentRef<String> agent = fragile(kit);
            kit.watch(agent.id());
            agent.tell("boom");
            final AgentFailure failure = kit.expectFailure(IllegalStateException.class);
            assertEquals(agent.id(), failure.agent());
            assertEquals(AgentFailure.Phase.MESSAGE, failure.phase());
            assertEquals(AgentFailure.Decision.STOP, failure.decision());
            assertEquals(TerminationCause.FAILED, kit.expectTerminated(agent.id(), TerminationCause.FAILED));
            assertTrue(kit.unexpectedFailures().isEmpty());
            final AssertionError twice = assertThrows(AssertionError.class, () -> kit.expectFailure(IllegalStateException.class));
            assertTrue(twice.getMessage().contains("captured failures"), twice.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void allowedFailuresDoNotFailTheClose(final TestProbeTest.Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            kit.allowFailures(f -> f.cause() instanceof IllegalStateException);
            fragile(kit).tell("boom");
            fragile(kit).tell("boom");
            kit.await("both failures captured", () -> kit.failures().size() == 2);
            assertTrue(kit.unexpectedFailures().isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void aWatchedAgentsCauseIsKnownAfterItTerminated(final TestProbeTest.Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final AgentRef<String> agent = fragile(kit);
            kit.watch(agent.id());
            kit.runtime().stop(agent.id());
            kit.await("the stop", () -> kit.runtime().state(agent.id()).isEmpty());
            assertEquals(TerminationCause.STOPPED, kit.expectTerminated(agent.id(), TerminationCause.STOPPED));
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void anUnwatchedAgentThatAlreadyTerminatedIsUnknownAndTheMessageSaysToWatch(final TestProbeTest.Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final AgentRef<String> agent = fragile(kit);
            kit.runtime().stop(agent.id());
            kit.await("the stop", () -> kit.runtime().state(agent.id()).isEmpty());
            final AssertionError error = assertThrows(AssertionError.class,
                    () -> kit.expectTerminated(agent.id(), TerminationCause.STOPPED));
            assertTrue(error.getMessage().contains("kit.watch"), error.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void deadLettersAndLifecycleAreCaptured(final TestProbeTest.Named named) {
        try (FlinTestKit kit = named.maker().get()) {
            final TestProbe<String> bystander = kit.createProbe(String.class);
            final AgentRef<String> agent = fragile(kit);
            final CompletableFuture<AgentState> paused = kit.runtime().pause(agent.id()).toCompletableFuture();
            kit.await("the pause", paused::isDone);
            agent.tell("boom");
            agent.tell("after");   // accepted while paused; the failure on "boom" dead-letters it
            kit.runtime().resume(agent.id());
            kit.expectFailure(IllegalStateException.class);
            final DeadLetter letter = kit.expectDeadLetter("the message after the failure", d -> d.message().equals("after"));
            assertEquals(agent.id(), letter.recipient());
            assertEquals(DeadLetter.Reason.RECIPIENT_TERMINATED, letter.reason());
            kit.await("the termination event", () -> kit.statesOf(agent.id()).contains(AgentState.TERMINATED));
            final List<AgentState> states = kit.statesOf(agent.id());
            assertEquals(AgentState.STARTING, states.get(0), states.toString());
            assertTrue(states.contains(AgentState.PAUSED), states.toString());
            assertEquals(List.of(AgentState.SHUTTING_DOWN, AgentState.TERMINATED), states.subList(states.size() - 2, states.size()));
            assertTrue(kit.lifecycleEvents().stream().allMatch(e -> e.agent().equals(agent.id()) || e.agent().equals(bystander.id())),
                    "the kit's own agents are left out: " + kit.lifecycleEvents());
        }
    }

    @ParameterizedTest
    @MethodSource("kits")
    void theSameKitObjectIsNotSharedBetweenFactories(final TestProbeTest.Named named) {
        final Supplier<FlinTestKit> maker = named.maker();
        try (FlinTestKit a = maker.get(); FlinTestKit b = maker.get()) {
            assertFalse(a == b || a.runtime() == b.runtime());
            assertSame(a.runtime(), a.runtime());
        }
    }

    @org.junit.jupiter.api.Test
    void anAttachedKitChecksFailuresFromItsStartAndLeavesTheRuntimeRunning() {
        try (dev.flin.runtime.AgentRuntime service = dev.flin.runtime.core.FlinRuntime.create()) {
            final AgentRef<String> earlier = service.spawn(String.class, () -> (m, c) -> {
                throw new IllegalStateException("before the kit");
            });
            earlier.tell("x");
            final long deadline = System.nanoTime() + FlinTestKit.DEFAULT_TIMEOUT.toNanos();
            while (service.counters().failures() < 1 && System.nanoTime() - deadline < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
            assertEquals(1, service.counters().failures(), "the failure before the kit happened");

            final FlinTestKit kit = FlinTestKit.attach(service);
            final TestProbe<String> probe = kit.createProbe(String.class);
            probe.ref().tell("hello");
            probe.expectMessage("hello");
            kit.close(); // the failure before the kit is not its concern
            assertFalse(service.isShutdown(), "an attached kit leaves the runtime to its owner");
            assertTrue(service.state(probe.id()).isEmpty(), "its probe is stopped");

            final FlinTestKit second = FlinTestKit.attach(service);
            service.spawn(String.class, () -> (m, c) -> {
                throw new IllegalStateException("while attached");
            }).tell("y");
            second.await("the failure", () -> service.counters().failures() == 2);
            final AssertionError error = assertThrows(AssertionError.class, second::close);
            assertTrue(error.getMessage().contains("1 unexpected agent failure"), error.getMessage());
            assertFalse(service.isShutdown());
        }
    }
}
