package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runtime's JDK Flight Recorder events (docs/observability.md): each is written, with its
 * fields, when a recording enables it (with the settings shipped in flin.jfc), and none is written
 * when no recording enables them. Each test records what it makes its own agents do, named after
 * the test, and looks only at the events of those names.
 */
class FlightRecorderEventsTest extends RuntimeTestSupport {

    private static final String FLIN_JFC = "/dev/flin/runtime/core/flin.jfc";
    private static final List<String> EVENT_NAMES = List.of("dev.flin.AgentSpawned", "dev.flin.AgentTerminated",
            "dev.flin.AgentFailed", "dev.flin.AgentRestarted", "dev.flin.MailboxFull", "dev.flin.DeadLetter",
            "dev.flin.AskTimedOut", "dev.flin.SlowHandler");

    record Work(int n) {}

    record Boom(String why) {}

    record Slow(long nanos) {}

    record Question(Reply<String> replyTo) {}

    @TempDir
    Path files;

    // ------------------------------------------------------------------------------- the settings

    @Test
    void flinJfcEnablesEveryEventWithoutStackTracesAndASlowHandlerThresholdOf20ms() throws Exception {
        final Map<String, String> settings = flinJfc();
        for (final String event : EVENT_NAMES) {
            assertEquals("true", settings.get(event + "#enabled"), event);
            assertEquals("false", settings.get(event + "#stackTrace"), event);
        }
        assertEquals("20 ms", settings.get("dev.flin.SlowHandler#threshold"));
        final Set<String> named = settings.keySet().stream().map(key -> key.substring(0, key.indexOf('#')))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(EVENT_NAMES), named, "flin.jfc configures exactly the runtime's events");
    }

    // ------------------------------------------------------------------------------- off by default

    @Test
    void recordsNoneOfTheEventsWhenTheRecordingDoesNotEnableThem() throws Exception {
        final Map<String, String> jdkDefault = Configuration.getConfiguration("default").getSettings();
        for (final Map<String, String> settings : List.of(jdkDefault, Map.<String, String>of())) {
            final List<RecordedEvent> events = record(settings, () -> everyEventOnce("off"));
            assertEquals(List.of(), names(flin(events)), "no FLIN event unless a recording enables it");
        }
    }

    @Test
    void everyEventIsRecordedWhenFlinJfcEnablesThem() throws Exception {
        final Map<String, String> settings = new HashMap<>(flinJfc());
        settings.put("dev.flin.SlowHandler#threshold", "0 ms");
        final List<RecordedEvent> events = flin(record(settings, () -> everyEventOnce("on")));
        assertEquals(new TreeSet<>(EVENT_NAMES), new TreeSet<>(names(events)));
        for (final RecordedEvent event : events) {
            assertEquals(List.of("FLIN"), event.getEventType().getCategoryNames(), event.getEventType().getName());
            assertNotNull(event.getEventType().getLabel(), event.getEventType().getName());
            assertNotNull(event.getEventType().getDescription(), event.getEventType().getName());
        }
    }

    /** Makes each event happen once at least, on agents whose names start with {@code prefix}. */
    private void everyEventOnce(final String prefix) {
        final AgentRuntime rt = deterministic(1);
        final AgentRef<Object> agent = rt.spawn(Object.class, fresh((m, ctx) -> {
            if (m instanceof Boom boom) {
                throw new IllegalStateException(boom.why());
            }
            if (m instanceof Slow slow) {
                busyFor(slow.nanos());
            }
        }), SpawnOptions.defaults().withName(prefix + "-all").withMailboxCapacity(2)
                .withRestartPolicy(RestartPolicy.always(Backoff.NONE)));
        agent.tell(new Slow(0));
        agent.tell(new Boom("restart me"));
        assertFalse(agent.tryTell(new Work(1)), "full");
        runUntilIdle();
        final CompletionStage<Object> asked = agent.ask(r -> r, Duration.ofSeconds(1)); // nobody replies
        runUntilIdle();
        dispatcher.advanceTime(Duration.ofSeconds(2));
        assertTrue(asked.toCompletableFuture().isCompletedExceptionally());
        rt.pause(agent.id());
        runUntilIdle();
        agent.tell(new Work(2));
        rt.stop(agent.id()); // a pause ends for the stop: Work(2) is processed, not dead-lettered
        runUntilIdle();
        final AgentRef<Work> doomed = rt.spawn(Work.class, fresh((m, ctx) -> {
            throw new IllegalStateException("no");
        }), SpawnOptions.defaults().withName(prefix + "-doomed"));
        doomed.tell(new Work(3));
        doomed.tell(new Work(4)); // dead-lettered: the policy (never) stops the agent at Work(3)
        runUntilIdle();
    }

    // ------------------------------------------------------------------------------- each event's fields

    @Test
    void spawnAndStopRecordAgentSpawnedAndAgentTerminatedStopped() throws Exception {
        final String name = "jfr-stopped";
        final AtomicReference<AgentRef<Work>> ref = new AtomicReference<>();
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(2);
            ref.set(rt.spawn(Work.class, fresh((m, ctx) -> { }), SpawnOptions.defaults().withName(name)
                    .withMailboxCapacity(100)));
            runUntilIdle();
            final CompletionStage<TerminationCause> stopped = rt.stop(ref.get().id());
            runUntilIdle();
            assertEquals(TerminationCause.STOPPED, stopped.toCompletableFuture().join());
        }));
        assertEquals(List.of("dev.flin.AgentSpawned", "dev.flin.AgentTerminated"), names(events));
        final RecordedEvent spawned = events.get(0);
        assertEquals(ref.get().id().toString(), spawned.getString("agent"));
        assertEquals(Work.class.getName(), spawned.getClass("messageType").getName());
        assertEquals(128, spawned.getInt("mailboxCapacity"), "rounded up to a power of two (rule 2.1)");
        assertEquals("DEFAULT", spawned.getString("dispatcher"));
        final RecordedEvent terminated = events.get(1);
        assertEquals(ref.get().id().toString(), terminated.getString("agent"));
        assertEquals("STOPPED", terminated.getString("cause"));
    }

    @Test
    void aHandlerThatThrowsUnderTheDefaultPolicyRecordsAgentFailedThenAgentTerminatedFailed() throws Exception {
        final String name = "jfr-failed";
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(3);
            final AgentRef<Boom> agent = rt.spawn(Boom.class, fresh((m, ctx) -> {
                throw new IllegalArgumentException(m.why());
            }), SpawnOptions.defaults().withName(name));
            final CompletionStage<TerminationCause> terminated = rt.whenTerminated(agent.id());
            agent.tell(new Boom("bad input"));
            runUntilIdle();
            assertEquals(TerminationCause.FAILED, terminated.toCompletableFuture().join());
        }));
        assertEquals(List.of("dev.flin.AgentSpawned", "dev.flin.AgentFailed", "dev.flin.AgentTerminated"), names(events));
        final RecordedEvent failed = events.get(1);
        assertEquals("MESSAGE", failed.getString("phase"));
        assertEquals(Boom.class.getName(), failed.getClass("messageType").getName());
        assertEquals(IllegalArgumentException.class.getName(), failed.getClass("exceptionClass").getName());
        assertEquals("bad input", failed.getString("exceptionMessage"));
        assertEquals("STOP", failed.getString("decision"));
        assertEquals("FAILED", events.get(2).getString("cause"));
    }

    @Test
    void aFailureThatThePolicyRestartsRecordsAgentFailedRestartAndAgentRestarted() throws Exception {
        final String name = "jfr-restarted";
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(4);
            final AgentRef<Boom> agent = rt.spawn(Boom.class, fresh((m, ctx) -> {
                throw new IllegalStateException(m.why());
            }), SpawnOptions.defaults().withName(name).withRestartPolicy(
                    RestartPolicy.always(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1)))));
            agent.tell(new Boom("first"));
            runUntilIdle();
            dispatcher.advanceTime(Duration.ofMillis(10)); // the backoff ends
            agent.tell(new Boom("second"));
            runUntilIdle();
        }));
        assertEquals(List.of("dev.flin.AgentSpawned", "dev.flin.AgentFailed", "dev.flin.AgentRestarted",
                "dev.flin.AgentFailed", "dev.flin.AgentRestarted"), names(events));
        assertEquals("RESTART", events.get(1).getString("decision"));
        assertEquals("first", events.get(1).getString("exceptionMessage"));
        final RecordedEvent first = events.get(2);
        assertEquals(1, first.getInt("restartCount"));
        assertEquals(Duration.ofMillis(10), first.getDuration("backoff"));
        final RecordedEvent second = events.get(4);
        assertEquals(2, second.getInt("restartCount"));
        assertEquals(Duration.ofMillis(20), second.getDuration("backoff"), "exponential: the second waits twice as long");
    }

    @Test
    void fullMailboxRefusalsAreRecordedAsMailboxFullAtMostOncePerMillisecondWithTheSkippedCount() throws Exception {
        final String name = "jfr-full";
        final Topic<Work> topic = Topic.of("jfr-full-topic", Work.class);
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(5);
            final AgentRef<Work> agent = rt.spawn(Work.class, fresh((m, ctx) -> { }),
                    SpawnOptions.defaults().withName(name).withMailboxCapacity(2));
            rt.subscribe(topic, agent);
            assertTrue(agent.tryTell(new Work(1)));
            assertTrue(agent.tryTell(new Work(2)));
            assertFalse(agent.tryTell(new Work(3)), "full: nothing runs the agent yet"); // written
            assertEquals(0, rt.publish(topic, new Work(4)), "dropped (rule 6.6)"); // skipped: same instant
            assertFalse(agent.tryTell(new Work(5))); // skipped
            dispatcher.advanceTime(Duration.ofMillis(1)); // the agent takes its two messages
            assertTrue(agent.tryTell(new Work(6)));
            assertTrue(agent.tryTell(new Work(7)));
            assertEquals(0, rt.publish(topic, new Work(8))); // written: a millisecond later
            runUntilIdle();
        }));
        final List<RecordedEvent> full = ofType("dev.flin.MailboxFull", events);
        assertEquals(2, full.size(), "one per millisecond: " + full);
        for (final RecordedEvent event : full) {
            assertEquals(2, event.getInt("capacity"));
            assertEquals(Work.class.getName(), event.getClass("messageType").getName());
        }
        assertFalse(full.get(0).getBoolean("published"), "a send");
        assertEquals(0, full.get(0).getLong("refusalsSkipped"));
        assertTrue(full.get(1).getBoolean("published"), "a topic's event");
        assertEquals(2, full.get(1).getLong("refusalsSkipped"), "the publish and the send in the first millisecond");
    }

    @Test
    void aTimerRefusedByAFullMailboxIsRecordedWithItsMessagesType() throws Exception {
        final String name = "jfr-full-timer";
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(9);
            final AgentRef<Object> agent = rt.spawn(Object.class, fresh((m, ctx) -> {
                if (m.equals("arm")) {
                    ctx.timers().startSingle("tick", new Slow(0), Duration.ofMillis(10));
                }
            }), SpawnOptions.defaults().withName(name).withMailboxCapacity(2));
            agent.tell("arm");
            runUntilIdle();
            rt.pause(agent.id()); // takes nothing from here: the timer finds the mailbox full
            runUntilIdle();
            assertTrue(agent.tryTell(new Work(1)));
            assertTrue(agent.tryTell(new Work(2)));
            dispatcher.advanceTime(Duration.ofMillis(10));
        }));
        final List<RecordedEvent> full = ofType("dev.flin.MailboxFull", events);
        assertFalse(full.isEmpty(), "the timer's send was refused");
        assertEquals(Slow.class.getName(), full.get(0).getClass("messageType").getName(),
                "the timer's message, not the runtime's envelope");
    }

    @Test
    void aMessageLeftInTheMailboxOfAnAgentThatTerminatedRecordsDeadLetter() throws Exception {
        final String name = "jfr-dead-letter";
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(6);
            final AgentRef<Object> agent = rt.spawn(Object.class, fresh((m, ctx) -> {
                throw new IllegalStateException("stops at the first message");
            }), SpawnOptions.defaults().withName(name));
            agent.tell(new Boom("first"));
            agent.tell(new Work(2)); // behind the failing one: dead-lettered (rule 4.3)
            runUntilIdle();
        }));
        final List<RecordedEvent> dead = ofType("dev.flin.DeadLetter", events);
        assertEquals(1, dead.size());
        assertEquals(Work.class.getName(), dead.get(0).getClass("messageType").getName());
        assertEquals("RECIPIENT_TERMINATED", dead.get(0).getString("reason"));
        assertTrue(dead.get(0).getString("agent").startsWith("agent-"));
    }

    @Test
    void anAskWithoutAReplyWithinItsTimeoutRecordsAskTimedOut() throws Exception {
        final String name = "jfr-ask";
        final AtomicReference<AgentRef<Question>> ref = new AtomicReference<>();
        final List<RecordedEvent> events = ofAgent(name, recordWithFlinJfc(() -> {
            final AgentRuntime rt = deterministic(7);
            ref.set(rt.spawn(Question.class, fresh((m, ctx) -> { }), SpawnOptions.defaults().withName(name)));
            final CompletionStage<String> answer = ref.get().ask(Question::new, Duration.ofMillis(250));
            runUntilIdle();
            dispatcher.advanceTime(Duration.ofMillis(250));
            final CompletionException failure = assertThrows(CompletionException.class,
                    () -> answer.toCompletableFuture().join());
            assertInstanceOf(AskTimeoutException.class, failure.getCause());
        }));
        final List<RecordedEvent> timedOut = ofType("dev.flin.AskTimedOut", events);
        assertEquals(1, timedOut.size());
        assertEquals(ref.get().id().toString(), timedOut.get(0).getString("agent"));
        assertEquals(Question.class.getName(), timedOut.get(0).getClass("requestType").getName());
        assertEquals(Duration.ofMillis(250), timedOut.get(0).getDuration("timeout"));
    }

    @Test
    void aHandlerSlowerThanTheThresholdRecordsSlowHandlerWithItsDuration() throws Exception {
        final String name = "jfr-slow";
        final Duration threshold = Duration.ofMillis(20);
        final Map<String, String> settings = new HashMap<>(flinJfc());
        settings.put("dev.flin.SlowHandler#threshold", "20 ms");
        final List<RecordedEvent> events = ofAgent(name, record(settings, () -> {
            final AgentRuntime rt = workerPool(1); // real threads: the batch's check runs on a worker
            final AgentRef<Slow> agent = rt.spawn(Slow.class, fresh((m, ctx) -> busyFor(m.nanos())),
                    SpawnOptions.defaults().withName(name));
            agent.tell(new Slow(threshold.toNanos() * 2));
            rt.stop(agent.id());
            rt.whenTerminated(agent.id()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }));
        final List<RecordedEvent> slow = ofType("dev.flin.SlowHandler", events);
        assertEquals(1, slow.size());
        assertTrue(slow.get(0).getDuration().compareTo(threshold) >= 0, "at least the threshold: " + slow.get(0));
        assertEquals(Slow.class.getName(), slow.get(0).getClass("messageType").getName());
    }

    @Test
    void theSlowHandlerThresholdIsTheRecordingsSetting() throws Exception {
        final String name = "jfr-threshold";
        for (final String threshold : List.of("0 ms", "1 h")) {
            final Map<String, String> settings = new HashMap<>(flinJfc());
            settings.put("dev.flin.SlowHandler#threshold", threshold);
            final List<RecordedEvent> events = ofAgent(name, record(settings, () -> {
                final AgentRuntime rt = deterministic(8);
                final AgentRef<Work> agent = rt.spawn(Work.class, fresh((m, ctx) -> { }),
                        SpawnOptions.defaults().withName(name));
                for (int i = 0; i < 5; i++) {
                    agent.tell(new Work(i));
                }
                runUntilIdle();
                rt.stop(agent.id());
                runUntilIdle();
            }));
            assertEquals(threshold.equals("0 ms") ? 5 : 0, ofType("dev.flin.SlowHandler", events).size(),
                    "threshold " + threshold + ": every handler is at least 0 ms, none an hour");
        }
    }

    // ------------------------------------------------------------------------------- support

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private static Map<String, String> flinJfc() throws Exception {
        try (InputStream in = FlightRecorderEventsTest.class.getResourceAsStream(FLIN_JFC)) {
            assertNotNull(in, FLIN_JFC + " is in runtime-core's resources");
            return Configuration.create(new InputStreamReader(in, StandardCharsets.UTF_8)).getSettings();
        }
    }

    private List<RecordedEvent> recordWithFlinJfc(final Body body) throws Exception {
        return record(flinJfc(), body);
    }

    /** Runs {@code body} while a recording with {@code settings} runs; every event it recorded, in time order. */
    private List<RecordedEvent> record(final Map<String, String> settings, final Body body) throws Exception {
        final Path file = Files.createTempFile(files, "flin", ".jfr");
        try (Recording recording = new Recording(settings)) {
            recording.start();
            body.run();
            recording.stop();
            recording.dump(file);
        }
        final List<RecordedEvent> events = new ArrayList<>(RecordingFile.readAllEvents(file));
        events.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        return events;
    }

    private static List<RecordedEvent> flin(final List<RecordedEvent> events) {
        return events.stream().filter(e -> e.getEventType().getName().startsWith("dev.flin.")).toList();
    }

    /** The FLIN events of the agent named {@code name}: every one of them carries the name. */
    private static List<RecordedEvent> ofAgent(final String name, final List<RecordedEvent> events) {
        return flin(events).stream().filter(e -> name.equals(e.getString("agentName"))).toList();
    }

    private static List<RecordedEvent> ofType(final String type, final List<RecordedEvent> events) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }

    private static List<String> names(final List<RecordedEvent> events) {
        return events.stream().map(e -> e.getEventType().getName()).toList();
    }

    /** Keeps the calling thread busy (not asleep) for {@code nanos}: a handler that takes that long. */
    private static void busyFor(final long nanos) {
        final long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
