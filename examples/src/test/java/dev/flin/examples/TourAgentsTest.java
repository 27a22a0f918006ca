package dev.flin.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.testkit.DeterministicRuntime;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.FlinTestKitExtension;
import dev.flin.testkit.ReplyProbe;
import dev.flin.testkit.TestProbe;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tour's agents one at a time, with the testkit: what each sends, replies and publishes. */
@ExtendWith(FlinTestKitExtension.class)
class TourAgentsTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @Test
    void theStoreRepliesAndPublishesEachChange(final FlinTestKit kit) {
        final TestProbe<Tour.EntityChanged> changes = kit.createProbe(Tour.EntityChanged.class);
        kit.runtime().subscribe(Tour.StoreAgent.TODO_TOPIC, changes.ref());
        final AgentRef<Tour.StoreMessage> store = kit.spawn(Tour.StoreMessage.class, Tour.StoreAgent::new);

        final Tour.Todo saved = kit.askAndAwait(store, r -> new Tour.Save("write tests", r));
        assertEquals(new Tour.Todo(1, "write tests", false), saved);
        assertEquals(new Tour.EntityChanged("Todo", Tour.ChangeType.CREATE, saved), changes.expectMessage());

        final Tour.Todo done = kit.askAndAwait(store, r -> new Tour.Complete(1, r));
        assertTrue(done.done());
        assertEquals(Tour.ChangeType.UPDATE, changes.expectMessage().change());
        assertEquals(1, kit.<Tour.StoreMessage, Integer>askAndAwait(store, Tour.Count::new));
    }

    @Test
    @DeterministicRuntime
    void completingAnUnknownTodoFailsTheReplyAndPublishesNothing(final FlinTestKit kit) {
        final TestProbe<Tour.EntityChanged> changes = kit.createProbe(Tour.EntityChanged.class);
        kit.runtime().subscribe(Tour.StoreAgent.TODO_TOPIC, changes.ref());
        final AgentRef<Tour.StoreMessage> store = kit.spawn(Tour.StoreMessage.class, Tour.StoreAgent::new);
        final ReplyProbe<Tour.Todo> reply = kit.createReplyProbe();
        store.tell(new Tour.Complete(42, reply));
        assertTrue(reply.expectFailure(IllegalArgumentException.class).getMessage().contains("42"));
        changes.expectNoMessage();
    }

    @Test
    @DeterministicRuntime
    void theDashboardCountsWhatItSawOnTheTopic(final FlinTestKit kit) {
        final AgentRef<Tour.DashboardMessage> dashboard = kit.spawn(Tour.DashboardMessage.class, () -> new Tour.DashboardAgent(QUIET));
        kit.runUntilIdle(); // its onStart subscribes
        final Tour.Todo todo = new Tour.Todo(1, "t", false);
        assertEquals(1, kit.runtime().publish(Tour.StoreAgent.TODO_TOPIC, new Tour.EntityChanged("Todo", Tour.ChangeType.CREATE, todo)));
        assertEquals(1, kit.<Tour.DashboardMessage, Integer>askAndAwait(dashboard, Tour.Seen::new));
    }

    @Test
    @DeterministicRuntime
    void theFlakyAgentIsRestartedWithAFreshInstanceAndAnswersAgain(final FlinTestKit kit) {
        final AgentRef<Tour.Work> flaky = kit.spawn(Tour.Work.class, Tour.FlakyAgent::new, SpawnOptions.defaults()
                .withRestartPolicy(RestartPolicy.onFailure(3, Duration.ofMinutes(1), Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))));
        assertTrue(kit.<Tour.Work, String>askAndAwait(flaky, r -> new Tour.Work("a", r)).startsWith("A (instance #0"));
        flaky.tell(new Tour.Work("boom", kit.createReplyProbe()));
        final AgentFailure failure = kit.expectFailure(IllegalStateException.class);
        assertEquals(AgentFailure.Decision.RESTART, failure.decision());
        assertEquals(Tour.Work.class, failure.messageType());
        final String again = kit.askAndAwait(flaky, r -> new Tour.Work("b", r));
        assertTrue(again.startsWith("B (instance #1, message 1 of this instance)"), again);
    }

    @Test
    @DeterministicRuntime
    void theHeartbeatTicksThreeTimesOnTheManualClockThenStops(final FlinTestKit kit) {
        final AgentRef<Tour.Tick> heartbeat = kit.spawn(Tour.Tick.class, () -> new Tour.HeartbeatAgent(QUIET));
        kit.watch(heartbeat.id());
        heartbeat.tell(Tour.Tick.START);
        kit.advanceTime(Duration.ofMillis(40));
        assertTrue(kit.runtime().state(heartbeat.id()).isPresent(), "two ticks in 40 ms: still running");
        kit.advanceTime(Duration.ofMillis(20));
        assertEquals(TerminationCause.STOPPED, kit.expectTerminated(heartbeat.id(), TerminationCause.STOPPED));
    }
}
