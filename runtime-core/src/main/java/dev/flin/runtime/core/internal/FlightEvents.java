package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The runtime's JDK Flight Recorder events, and the one place that emits them. Names, fields and
 * how to record them: {@code docs/observability.md}; the settings that enable them all:
 * {@code dev/flin/runtime/core/flin.jfc} in this module's jar.
 *
 * <h2>Off by default, and cheap when off</h2>
 * Every event is {@code @Enabled(false)}: a recording pays for them only when its settings enable
 * them (flin.jfc does). Until then each emitter below costs a branch:
 * <ul>
 *   <li>The gate is {@code new X().isEnabled()} on an object used for nothing else. While no
 *       recording was ever started, the event classes are not instrumented and
 *       {@link Event#isEnabled()} is the JDK's constant {@code false}; once a recording has
 *       instrumented them, it reads the event's handler (a static field, then its flag). The gate
 *       object never escapes, so escape analysis removes its allocation; the event that is
 *       committed is another object, made inside the branch. (Gated on the committed object itself,
 *       the allocation stays wherever C2 compiled the commit, a call it does not inline, as
 *       reachable: C2 has no partial escape analysis. That is, once the event had been enabled, on
 *       every call, even after it was disabled again.)</li>
 *   <li>Not a cached {@code static final EventType}: {@code EventType.getEventType} initializes
 *       the Flight Recorder's metadata, which took 390 ms and 8 MB of a JVM that records nothing
 *       (JDK 17, 2 cores).</li>
 *   <li>The instant events (spawn, termination, failure, restart, mailbox full, dead letter, ask
 *       timeout) are emitted off the per-message path: a refused send, a terminating agent, a
 *       timer. Their fields (a name read, an id's string) are computed only when enabled.
 *       MailboxFull is sampled when enabled ({@link Sampler}): a sender that retries a refused
 *       send would otherwise write an event per try.</li>
 *   <li>{@link SlowHandler} is the only per-message event. Timing a handler costs two clock reads
 *       ({@link Event#begin}, {@link Event#end}), which the instrumented methods make whether or not
 *       the event is enabled, and an event object (it escapes into the commit), so the run loop asks
 *       {@link #slowHandlersTimed()} once per batch (32 messages by default) and times nothing
 *       unless it answered true. Enabling the event while a batch runs takes effect at the next
 *       batch. The threshold is JFR's own (the event's {@code threshold} setting, 20 ms by
 *       default), applied by {@link Event#shouldCommit()}: a handler faster than it is timed and
 *       never written.</li>
 * </ul>
 * Measured with OneToOneTell and PingPong, with and without a recording, against the commit before
 * these events: docs/observability.md.
 *
 * No static state is kept here (no cached flag, no listener): enablement is JFR's, read where it
 * is needed, so a setting changed by any means (a .jfc file, {@code jcmd JFR.start},
 * {@code Recording.enable}, JMC) applies without anything of ours to keep in sync.
 *
 * <p>Threading: every method may be called from any thread; each event is a new object of the
 * calling thread, committed by it (JFR writes it to that thread's buffer). Agent names are read
 * from the cell (a volatile read) only when an event is written.
 */
final class FlightEvents {

    private static final String CATEGORY = "FLIN";

    private FlightEvents() {
    }

    // ------------------------------------------------------------------------------ emitters

    /** The spawning thread, once the agent is registered. */
    static void spawned(final AgentCell<?> cell, final SpawnOptions options) {
        if (new AgentSpawned().isEnabled()) { // a gate that never escapes (see the class comment)
            final AgentSpawned event = new AgentSpawned();
            event.agent = cell.id.toString();
            event.agentName = options.name();
            event.messageType = cell.type;
            event.mailboxCapacity = cell.capacity();
            event.dispatcher = options.dispatcher().toString();
            event.commit();
        }
    }

    /** The agent thread, once the agent left the registry. */
    static void terminated(final AgentCell<?> cell) {
        if (new AgentTerminated().isEnabled()) { // a gate that never escapes (see the class comment)
            final AgentTerminated event = new AgentTerminated();
            event.agent = cell.id.toString();
            event.agentName = cell.name();
            event.cause = cell.stopCauseOrUnknown().name();
            event.commit();
        }
    }

    /** The agent thread, once the failure's decision is made. */
    static void failed(final AgentFailure failure, final RuntimeCore runtime) {
        if (new AgentFailed().isEnabled()) { // a gate that never escapes (see the class comment)
            final AgentFailed event = new AgentFailed();
            event.agent = failure.agent().toString();
            event.agentName = nameOf(runtime.cell(failure.agent()));
            event.phase = failure.phase().name();
            event.messageType = failure.messageType();
            event.exceptionClass = failure.cause().getClass();
            event.exceptionMessage = failure.cause().getMessage();
            event.decision = failure.decision().name();
            event.commit();
        }
    }

    /** The agent thread, as a restart begins (the failed instance has stopped). */
    static void restarted(final AgentCell<?> cell, final int restartCount, final long backoffNanos) {
        if (new AgentRestarted().isEnabled()) { // a gate that never escapes (see the class comment)
            final AgentRestarted event = new AgentRestarted();
            event.agent = cell.id.toString();
            event.agentName = cell.name();
            event.restartCount = restartCount;
            event.backoff = backoffNanos;
            event.commit();
        }
    }

    /**
     * The sending thread, for a send or published event refused because the mailbox is full:
     * written if no MailboxFull event of the runtime was in the last {@link Sampler#INTERVAL_NANOS}.
     */
    static void mailboxFull(final AgentCell<?> cell, final Object message, final boolean published) {
        if (new MailboxFull().isEnabled()) { // a gate that never escapes (see the class comment)
            final RuntimeCore runtime = cell.runtime();
            final long skipped = runtime.mailboxFullSampler.acquire(runtime.dispatcher.nanoTime());
            if (skipped < 0) {
                return; // counted, and reported by the next event written
            }
            final MailboxFull event = new MailboxFull();
            event.refusalsSkipped = skipped;
            event.agent = cell.id.toString();
            event.agentName = cell.name();
            event.capacity = cell.capacity();
            event.messageType = message instanceof TimersImpl<?>.Entry timer ? timer.message.getClass()
                    : message.getClass(); // a timer's message is sent in its entry (rule 2.9)
            event.published = published;
            event.commit();
        }
    }

    /** The thread that dead-letters: the terminating agent's, still registered. */
    static void deadLetter(final DeadLetter deadLetter, final RuntimeCore runtime) {
        if (new DeadLetterEvent().isEnabled()) { // a gate that never escapes (see the class comment)
            final DeadLetterEvent event = new DeadLetterEvent();
            event.agent = deadLetter.recipient().toString();
            event.agentName = nameOf(runtime.cell(deadLetter.recipient()));
            event.messageType = deadLetter.message().getClass();
            event.reason = deadLetter.reason().name();
            event.commit();
        }
    }

    /** The thread that timed the ask out (the timer's, or whoever found the deadline passed). */
    static void askTimedOut(final AgentCell<?> target, final Class<?> requestType, final Duration timeout) {
        if (new AskTimedOut().isEnabled()) { // a gate that never escapes (see the class comment)
            final AskTimedOut event = new AskTimedOut();
            event.agent = target.id.toString();
            event.agentName = target.name();
            event.requestType = requestType;
            event.timeout = Durations.saturatedNanos(timeout);
            event.commit();
        }
    }

    /**
     * The agent thread, once per batch: whether its handlers are to be timed, that is whether
     * {@link SlowHandler} is enabled in some recording right now. See the class comment.
     */
    static boolean slowHandlersTimed() {
        return new SlowHandler().isEnabled();
    }

    /** The agent thread, just before a handler runs, in a batch that is timed. */
    static SlowHandler handlerStarts() {
        final SlowHandler event = new SlowHandler();
        event.begin();
        return event;
    }

    /** The agent thread, just after the handler started by {@link #handlerStarts} returned. */
    static void handlerReturned(final SlowHandler event, final AgentCell<?> cell, final Object message) {
        event.end();
        if (event.shouldCommit()) { // enabled, and longer than the threshold
            event.agent = cell.id.toString();
            event.agentName = cell.name();
            event.messageType = message.getClass();
            event.commit();
        }
    }

    /** The registered name of an agent found in the registry, or null (no name, or gone). */
    private static String nameOf(final AgentCell<?> cell) {
        return cell == null ? null : cell.name();
    }

    /**
     * At most one event per interval, for a runtime: a refused send is met by retrying, which is how
     * a producer outside the runtime waits (the benchmarks' senders spin on {@code tryTell}), and one
     * MailboxFull per refusal then wrote 2.4 million events (62 MB) in three seconds of OneToOneTell.
     * Sampled instead: the first refusal of each interval is written with the count of those skipped
     * before it, so the events show which agents were full and how often, at a bounded cost. Exact
     * totals are the runtime's counters ({@code rejectedFull}, {@code droppedEvents}).
     *
     * <p>Threading: any thread, lock-free: a CAS on the time of the last event written, as
     * {@code RuntimeCore.LogLimiter}; used only while MailboxFull is enabled.
     */
    static final class Sampler {
        /** One MailboxFull event per millisecond and runtime at most. */
        static final long INTERVAL_NANOS = 1_000_000L;

        /** {@link #lastWritten} before the first event (a clock may start anywhere, at 0 among others). */
        private static final long NONE = Long.MIN_VALUE;

        private final AtomicLong lastWritten = new AtomicLong(NONE);
        private final AtomicLong skipped = new AtomicLong();

        /**
         * @param now the runtime's clock ({@code Dispatcher.nanoTime}: a test's clock moves only when told)
         * @return the refusals skipped since the last event written, to be written with this one; or
         *         -1 if this one is skipped too (and counted)
         */
        long acquire(final long now) {
            final long last = lastWritten.get();
            if ((last == NONE || now - last >= INTERVAL_NANOS) && lastWritten.compareAndSet(last, now)) {
                return skipped.getAndSet(0);
            }
            skipped.incrementAndGet();
            return -1;
        }
    }

    // ------------------------------------------------------------------------------- events

    @Name("dev.flin.AgentSpawned")
    @Label("Agent Spawned")
    @Category(CATEGORY)
    @Description("An agent was spawned: registered, and scheduled to start")
    @Enabled(false)
    @StackTrace(false)
    static final class AgentSpawned extends Event {
        @Label("Agent")
        @Description("The agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The agent's registered name; null if it has none")
        String agentName;

        @Label("Message Type")
        @Description("The type of the messages the agent accepts")
        Class<?> messageType;

        @Label("Mailbox Capacity")
        @Description("The mailbox's capacity, after rounding up to a power of two (rule 2.1)")
        int mailboxCapacity;

        @Label("Dispatcher")
        @Description("Where the agent runs (rule 1.7): DEFAULT, BLOCKING or PINNED")
        String dispatcher;
    }

    @Name("dev.flin.AgentTerminated")
    @Label("Agent Terminated")
    @Category(CATEGORY)
    @Description("An agent terminated: onStop ran, its mailbox was closed and it left the registry")
    @Enabled(false)
    @StackTrace(false)
    static final class AgentTerminated extends Event {
        @Label("Agent")
        @Description("The agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The agent's registered name; null if it had none")
        String agentName;

        @Label("Cause")
        @Description("Why it terminated: STOPPED, FAILED (its restart policy gave up) or RUNTIME_SHUTDOWN")
        String cause;
    }

    @Name("dev.flin.AgentFailed")
    @Label("Agent Failed")
    @Category(CATEGORY)
    @Description("An agent's callback threw (rule 4.5), and what its restart policy decided")
    @Enabled(false)
    @StackTrace(false)
    static final class AgentFailed extends Event {
        @Label("Agent")
        @Description("The agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The agent's registered name; null if it has none")
        String agentName;

        @Label("Phase")
        @Description("The callback that threw: START, MESSAGE, SIGNAL or STOP")
        String phase;

        @Label("Message Type")
        @Description("The class of the message (or signal) being handled; null for START and STOP")
        Class<?> messageType;

        @Label("Exception Class")
        @Description("The class of what the callback threw")
        Class<?> exceptionClass;

        @Label("Exception Message")
        @Description("The message of what the callback threw; null if it has none")
        String exceptionMessage;

        @Label("Decision")
        @Description("What was done: RESTART, STOP, or IGNORE (a failure in onStop)")
        String decision;
    }

    @Name("dev.flin.AgentRestarted")
    @Label("Agent Restarted")
    @Category(CATEGORY)
    @Description("A failed agent is restarting: a fresh instance starts after the backoff (rules 4.2, 4.4)")
    @Enabled(false)
    @StackTrace(false)
    static final class AgentRestarted extends Event {
        @Label("Agent")
        @Description("The agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The agent's registered name; null if it has none")
        String agentName;

        @Label("Restart Count")
        @Description("Restarts of this agent so far, this one included")
        int restartCount;

        @Label("Backoff")
        @Description("How long the agent waits before the fresh instance starts (rule 4.4)")
        @Timespan(Timespan.NANOSECONDS)
        long backoff;
    }

    @Name("dev.flin.MailboxFull")
    @Label("Mailbox Full")
    @Category(CATEGORY)
    @Description("A send (tell, tryTell, ask, timer) or a published event was refused: the mailbox was full"
            + " (rules 2.2, 6.6). Sampled: at most one event per millisecond and runtime, counting the refusals"
            + " skipped before it")
    @Enabled(false)
    @StackTrace(false)
    static final class MailboxFull extends Event {
        @Label("Agent")
        @Description("The receiving agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The receiving agent's registered name; null if it has none")
        String agentName;

        @Label("Capacity")
        @Description("The mailbox's capacity")
        int capacity;

        @Label("Message Type")
        @Description("The class of the refused message or event")
        Class<?> messageType;

        @Label("Published")
        @Description("Whether it was a topic's event, dropped for this subscriber (rule 6.6), rather than a send")
        boolean published;

        @Label("Refusals Skipped")
        @Description("Refusals by full mailboxes (of any agent of the runtime) since the previous MailboxFull event"
                + " that were not written: at most one event is written per millisecond")
        long refusalsSkipped;
    }

    @Name("dev.flin.DeadLetter")
    @Label("Dead Letter")
    @Category(CATEGORY)
    @Description("An accepted message will never be processed: its agent terminated first (rules 2.4, 2.8, 3.7)")
    @Enabled(false)
    @StackTrace(false)
    static final class DeadLetterEvent extends Event {
        @Label("Agent")
        @Description("The recipient's id")
        String agent;

        @Label("Agent Name")
        @Description("The recipient's registered name; null if it has none")
        String agentName;

        @Label("Message Type")
        @Description("The class of the dead-lettered message")
        Class<?> messageType;

        @Label("Reason")
        @Description("RECIPIENT_TERMINATED, or RUNTIME_SHUTDOWN")
        String reason;
    }

    @Name("dev.flin.AskTimedOut")
    @Label("Ask Timed Out")
    @Category(CATEGORY)
    @Description("An ask was completed with AskTimeoutException: no reply within its timeout (rule 5.2)")
    @Enabled(false)
    @StackTrace(false)
    static final class AskTimedOut extends Event {
        @Label("Target Agent")
        @Description("The asked agent's id")
        String agent;

        @Label("Target Agent Name")
        @Description("The asked agent's registered name; null if it has none")
        String agentName;

        @Label("Request Type")
        @Description("The class of the request")
        Class<?> requestType;

        @Label("Timeout")
        @Description("The ask's timeout")
        @Timespan(Timespan.NANOSECONDS)
        long timeout;
    }

    @Name("dev.flin.SlowHandler")
    @Label("Slow Handler")
    @Category(CATEGORY)
    @Description("An agent's onMessage took longer than the threshold (the event's duration is the handler's)."
            + " A handler that throws is recorded as AgentFailed instead")
    @Enabled(false)
    @StackTrace(false)
    @Threshold("20 ms")
    static final class SlowHandler extends Event {
        @Label("Agent")
        @Description("The agent's id")
        String agent;

        @Label("Agent Name")
        @Description("The agent's registered name; null if it has none")
        String agentName;

        @Label("Message Type")
        @Description("The class of the message handled")
        Class<?> messageType;
    }
}
