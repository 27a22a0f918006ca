package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Correlated;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.core.spi.HandlerTimer;
import dev.flin.runtime.core.spi.NamedAgentListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The observability hooks of {@link RuntimeOptions}: the {@link HandlerTimer}, the
 * {@link NamedAgentListener} and the agent MDC (rule 8.12).
 */
class ObservabilityHooksTest extends RuntimeTestSupport {

    private static final String ID = "flin.agent.id";
    private static final String NAME = "flin.agent.name";
    private static final String CORRELATION = "flin.correlation.id";

    /** A message with a correlation id. */
    record Traced(String correlationId) implements Correlated {
    }

    /** One handler call as the timer saw it. */
    record Timed(AgentId agent, String name, Class<?> type, long nanos) {
    }

    @AfterEach
    void theTestThreadKeepsNoAgentKeys() {
        MDC.remove(ID);
        MDC.remove(NAME);
        MDC.remove(CORRELATION);
    }

    // ---------------------------------------------------------------- handler timer

    @Test
    void shouldTimeEveryHandlerCallWithTheAgentsIdNameAndMessageType() {
        final ConcurrentLinkedQueue<Timed> calls = new ConcurrentLinkedQueue<>();
        final HandlerTimer timer = (agent, name, type, nanos) -> calls.add(new Timed(agent, name, type, nanos));
        final AgentRuntime rt = deterministic(1, RuntimeOptions.defaults().withHandlerTimer(timer));
        final AgentRef<Object> named = rt.spawn(Object.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName("timed"));
        final AgentRef<Object> anonymous = rt.spawn(Object.class, () -> (m, ctx) -> {
            if (m instanceof Integer) {
                throw new IllegalStateException("a handler that throws is timed too");
            }
        });
        runUntilIdle();
        named.tell("one");
        named.tell(2L);
        anonymous.tell(3);
        runUntilIdle();
        final List<Timed> seen = new ArrayList<>(calls);
        assertEquals(3, seen.size(), seen::toString);
        final List<Timed> ofNamed = seen.stream().filter(t -> t.agent().equals(named.id())).toList();
        assertEquals(List.of(String.class, Long.class), ofNamed.stream().map(Timed::type).toList());
        assertTrue(ofNamed.stream().allMatch(t -> "timed".equals(t.name()) && t.nanos() >= 0), ofNamed::toString);
        final Timed thrown = seen.stream().filter(t -> t.agent().equals(anonymous.id())).findFirst().orElseThrow();
        assertNull(thrown.name());
        assertEquals(Integer.class, thrown.type());
        assertEquals(1, rt.counters().failures(), "the handler's failure, not the timer's");
    }

    @Test
    void shouldNotTreatATimerThatThrowsAsTheAgentsFailure() {
        final HandlerTimer throwing = (agent, name, type, nanos) -> {
            throw new IllegalStateException("a broken metrics library");
        };
        final AgentRuntime rt = deterministic(2, RuntimeOptions.defaults().withHandlerTimer(throwing));
        final List<Object> handled = new ArrayList<>();
        final AgentRef<Object> agent = rt.spawn(Object.class, () -> (m, ctx) -> handled.add(m));
        runUntilIdle();
        agent.tell("a");
        agent.tell("b");
        runUntilIdle();
        assertEquals(List.of("a", "b"), handled);
        assertEquals(0, rt.counters().failures());
        assertEquals(0, rt.counters().restarts());
        assertEquals(2, rt.counters().processed());
        assertEquals(2, ((dev.flin.runtime.core.internal.RuntimeCore) rt).observerFailures());
    }

    // ---------------------------------------------------------------- named agents

    @Test
    void shouldTellTheListenerWhenNamedAgentsComeAndGoAndNothingOfAnonymousOnes() {
        final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        final NamedAgentListener listener = new NamedAgentListener() {
            @Override
            public void registered(final String name, final AgentId agent) {
                events.add("+" + name + "/" + agent);
            }

            @Override
            public void unregistered(final String name, final AgentId agent) {
                events.add("-" + name + "/" + agent);
            }
        };
        final AgentRuntime rt = deterministic(3, RuntimeOptions.defaults().withNamedAgentListener(listener));
        final AgentRef<Object> named = rt.spawn(Object.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName("n"));
        rt.spawn(Object.class, () -> (m, ctx) -> { });
        runUntilIdle();
        assertEquals(List.of("+n/" + named.id()), new ArrayList<>(events));
        rt.stop(named.id());
        runUntilIdle();
        assertEquals(List.of("+n/" + named.id(), "-n/" + named.id()), new ArrayList<>(events));
    }

    @Test
    void shouldSpawnAndStopNamedAgentsEvenIfTheListenerThrows() {
        final NamedAgentListener throwing = new NamedAgentListener() {
            @Override
            public void registered(final String name, final AgentId agent) {
                throw new IllegalStateException("registered");
            }

            @Override
            public void unregistered(final String name, final AgentId agent) {
                throw new IllegalStateException("unregistered");
            }
        };
        final AgentRuntime rt = deterministic(4, RuntimeOptions.defaults().withNamedAgentListener(throwing));
        final AgentRef<Object> named = rt.spawn(Object.class, () -> (m, ctx) -> { }, SpawnOptions.defaults().withName("n"));
        runUntilIdle();
        rt.stop(named.id());
        runUntilIdle();
        assertEquals(1, rt.counters().terminated());
        assertTrue(rt.lookup("n").isEmpty(), "the name is free again");
        assertEquals(2, ((dev.flin.runtime.core.internal.RuntimeCore) rt).observerFailures());
    }

    // ---------------------------------------------------------------- MDC (rule 8.12)

    /** Records the MDC keys at every callback, as "callback:id:name:correlation". */
    static final class MdcRecorder implements Agent<Object> {
        private final ConcurrentLinkedQueue<String> seen;

        MdcRecorder(final ConcurrentLinkedQueue<String> seen) {
            this.seen = seen;
        }

        private void record(final String callback) {
            seen.add(callback + ":" + MDC.get(ID) + ":" + MDC.get(NAME) + ":" + MDC.get(CORRELATION));
        }

        @Override
        public void onStart(final AgentContext<Object> context) {
            record("start");
        }

        @Override
        public void onMessage(final Object message, final AgentContext<Object> context) {
            record("message");
            if (message instanceof CountDownLatch done) {
                done.countDown();
            }
        }

        @Override
        public void onStop(final AgentContext<Object> context) {
            record("stop");
        }
    }

    @Test
    void shouldRunEveryCallbackWithItsOwnAgentsIdNameAndCorrelationId() {
        final AgentRuntime rt = deterministic(5, RuntimeOptions.defaults().withAgentMdc(true));
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> named = rt.spawn(Object.class, () -> new MdcRecorder(seen), SpawnOptions.defaults().withName("alpha"));
        runUntilIdle();
        named.tell(new Traced("req-1"));
        named.tell("plain");
        runUntilIdle();
        rt.stop(named.id());
        runUntilIdle();
        final String id = named.id().toString();
        assertEquals(List.of("start:" + id + ":alpha:null", "message:" + id + ":alpha:req-1",
                "message:" + id + ":alpha:null", "stop:" + id + ":alpha:null"), new ArrayList<>(seen));
        assertNull(MDC.get(ID), "the deterministic dispatcher runs agents on this thread: nothing is left on it");
        assertNull(MDC.get(NAME));
        assertNull(MDC.get(CORRELATION));
    }

    @Test
    void shouldNeverShowOneAgentsKeysToTheNextAgentOnTheSameWorker() {
        final AgentRuntime rt = workerPool(1, uniquePrefix("mdc"), RuntimeOptions.defaults().withAgentMdc(true));
        final ConcurrentLinkedQueue<String> first = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> second = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> named = rt.spawn(Object.class, () -> new MdcRecorder(first), SpawnOptions.defaults().withName("first"));
        final AgentRef<Object> anonymous = rt.spawn(Object.class, () -> new MdcRecorder(second));
        for (int round = 0; round < 50; round++) {
            final CountDownLatch both = new CountDownLatch(2);
            named.tell(new Traced("r" + round));
            anonymous.tell(both);
            named.tell(both);
            Await.await(both);
        }
        final String namedId = named.id().toString();
        final String anonymousId = anonymous.id().toString();
        assertTrue(first.stream().allMatch(s -> s.startsWith("start:" + namedId + ":first:")
                || s.startsWith("message:" + namedId + ":first:")), () -> first.toString());
        assertTrue(second.stream().allMatch(s -> s.endsWith(":" + anonymousId + ":null:null")), () -> second.toString());
        assertEquals(51, second.size(), "onStart and 50 messages");
        assertTrue(first.contains("message:" + namedId + ":first:r49"), "the correlation id while its handler runs");
        assertEquals(50, first.stream().filter(s -> s.endsWith(":null") && s.startsWith("message")).count(),
                "and not for the next message");
        assertTrue(rt.shutdown(Duration.ofSeconds(10)));
    }

    @Test
    void shouldLeaveTheMdcAloneWhenSwitchedOff() {
        final AgentRuntime rt = deterministic(6, RuntimeOptions.defaults().withAgentMdc(false));
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<Object> named = rt.spawn(Object.class, () -> new MdcRecorder(seen), SpawnOptions.defaults().withName("quiet"));
        named.tell(new Traced("req"));
        runUntilIdle();
        assertEquals(List.of("start:null:null:null", "message:null:null:null"), new ArrayList<>(seen));
    }
}
