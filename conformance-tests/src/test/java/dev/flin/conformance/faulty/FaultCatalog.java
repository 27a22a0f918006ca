package dev.flin.conformance.faulty;

import java.util.List;
import java.util.Objects;

/**
 * Every deliberately faulty runtime of the matrix, with the kit class that runs against it, a
 * one-line description of its fault and the rules expected to catch it.
 */
public final class FaultCatalog {

    /**
     * One faulty runtime.
     *
     * @param kit         the kit class that runs against it
     * @param fault       what is wrong, one line
     * @param expected    rules expected to catch it (for the report; the assertion only needs one
     *                    REQUIRED rule)
     */
    public record Fault(Class<? extends MatrixKit> kit, String fault, String expected) {
        /** Checks arguments. */
        public Fault {
            Objects.requireNonNull(kit, "kit");
            Objects.requireNonNull(fault, "fault");
            Objects.requireNonNull(expected, "expected");
        }

        /** @return the faulty runtime's class name */
        public String name() {
            return kit.getEnclosingClass() == null ? kit.getSimpleName() : kit.getEnclosingClass().getSimpleName();
        }
    }

    /** All faults, in the order of the brief. */
    public static final List<Fault> ALL = List.of(
            new Fault(DropsMessages.Conformance.class,
                    "drops 1 send in 50 (the 5th, 55th, ...); the send returns normally", "2.3, 2.4, 1.1"),
            new Fault(ReordersMessages.Conformance.class,
                    "swaps two consecutive tells of one sender (3rd and 4th, 13th and 14th, ...)", "2.3, 3.5"),
            new Fault(RunsCallbacksConcurrently.Conformance.class,
                    "runs every other onMessage on an extra thread: two messages of one agent at once", "1.1, 1.2, 2.3"),
            new Fault(IgnoresMailboxCapacity.Conformance.class,
                    "never throws MailboxFullException: overflow buffered unbounded, delivered later", "2.1, 2.2"),
            new Fault(BlocksWhenFull.Conformance.class,
                    "blocks the sender on a full mailbox until there is room (gives up after 2.5 s)", "2.2, 8.5"),
            new Fault(ReusesIds.Conformance.class,
                    "gives the id of a terminated agent to the next agent spawned", "3.8, 2.5, 3.10"),
            new Fault(SkipsOnStop.Conformance.class,
                    "never calls onStop", "3.3"),
            new Fault(RunsOnStopTwice.Conformance.class,
                    "calls onStop twice per started instance", "3.3"),
            new Fault(AskNeverTimesOut.Conformance.class,
                    "ignores the ask timeout (asks the real runtime with one day)", "5.1, 5.2"),
            new Fault(DeliversTimerAfterCancel.Conformance.class,
                    "cancel(key) returns true but the timer's message is delivered once more", "7.3"),
            new Fault(IgnoresUnsubscribe.Conformance.class,
                    "unsubscribe returns true but the subscriber keeps getting events", "6.4"),
            new Fault(ReportsIllegalState.Conformance.class,
                    "state() reports a paused agent TERMINATED, then RUNNING after resume", "3.1, 3.4, 8.1"),
            new Fault(RestartsWithOldInstance.Conformance.class,
                    "calls the factory once and restarts with that first instance, state and all", "1.3, 4.8"),
            new Fault(HidesPauseEvents.Conformance.class,
                    "does not deliver LIFECYCLE events into PAUSED", "3.9, 6.7"),
            new Fault(HidesDeadLettersInCounters.Conformance.class,
                    "counters() always reports 0 dead letters", "2.4, 2.8, 8.3"),
            new Fault(SkipsTypeCheckById.Conformance.class,
                    "send by id enqueues a message of the wrong type", "2.6"),
            new Fault(FiresTimersEarly.Conformance.class,
                    "timers fire after a quarter of their delay", "7.2"),
            new Fault(LosesAcceptedMessages.Conformance.class,
                    "loses 1 accepted message in 50 before onMessage; derives accepted so the counters balance",
                    "2.4, 8.3"),
            new Fault(RefsAreContexts.Conformance.class,
                    "every ref is also an AgentContext (as runtime-core's were up to 0.2): runtime() works on any thread",
                    "1.4"),
            new Fault(ContextWorksOffThread.Conformance.class,
                    "the context's stop, subscribe, pipeToSelf and runtime go through the registry from any thread",
                    "1.4"),
            new Fault(IgnoresBlocking.Conformance.class,
                    "accepts DispatcherSelector.BLOCKING and runs such agents on the shared worker pool", "1.7"),
            new Fault(IgnoresPinning.Conformance.class,
                    "accepts DispatcherSelector.PINNED and runs such agents on the shared worker pool", "1.7"),
            new Fault(FreesNameAtStopRequest.Conformance.class,
                    "frees a name when its agent's stop is requested, not once it terminated", "8.2"),
            new Fault(AcceptsSupertypeRefs.Conformance.class,
                    "ref(id, type) and lookup(name, type) accept any supertype of the declared type", "8.1"),
            new Fault(LabelsDeadLettersRecipientTerminated.Conformance.class,
                    "every dead letter carries RECIPIENT_TERMINATED, a runtime shutdown's too", "2.8"),
            new Fault(LabelsDeadLettersRuntimeShutdown.Conformance.class,
                    "every dead letter carries RUNTIME_SHUTDOWN, a failure-stop's leftovers too", "2.8"),
            new Fault(HidesShutdownDeadLetters.Conformance.class,
                    "counts a runtime shutdown's dead letters but passes them to neither the observer nor the topic",
                    "2.8"));

    private FaultCatalog() {
    }
}
