package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.Topic;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import net.jqwik.api.Example;

/**
 * Checks of rules 2.10 (message adapters) and 6.9 (a subscription with an adapter) of
 * {@code docs/spec.md}: the adapted value reaches the agent as the adapter's result, on the agent's
 * thread, in mailbox order, within the bound, and an adapter that throws is the agent's failure.
 */
public interface AdapterRules extends KitSupport {

    /** A request to the "text" agent through its adapter. */
    record Length(String text, Reply<Integer> reply) { }

    /**
     * A String agent that makes an Integer adapter ("n=" + i) in onStart, hands it out, and records
     * each message with the thread that ran the adapter and the handler.
     */
    private static AgentRef<String> textAgent(final AgentRuntime runtime, final CompletableFuture<AgentRef<Integer>> adapter,
            final ConcurrentLinkedQueue<String> seen, final SpawnOptions options) {
        return runtime.spawn(String.class, () -> new Agent<>() {
            private Thread adapterThread;

            @Override
            public void onStart(final AgentContext<String> ctx) {
                adapter.complete(ctx.messageAdapter(Integer.class, i -> {
                    if (i < 0) {
                        throw new IllegalArgumentException("planned failure of the adapter");
                    }
                    adapterThread = Thread.currentThread(); // an agent field: the adapter runs on its thread
                    return "n=" + i;
                }));
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> ctx) {
                final boolean adapted = message.startsWith("n=");
                seen.add(adapted && adapterThread != Thread.currentThread() ? "WRONG THREAD " + message : message);
                adapterThread = null;
            }
        }, options);
    }

    @Example
    default void required_spec_2_10_adaptedMessagesArriveMappedInMailboxOrderOnTheAgentsThread() {
        final Kit kit = kit();
        final CompletableFuture<AgentRef<Integer>> made = new CompletableFuture<>();
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<String> agent = textAgent(kit.runtime(), made, seen, SpawnOptions.defaults());
        final AgentRef<Integer> adapter = kit.await("the adapter made in onStart", made);
        assertEquals(agent.id(), adapter.id(), "the adapter is the agent's ref under another type");
        assertEquals(Integer.class, adapter.messageType());
        for (int i = 0; i < 20; i++) {
            agent.tell("t" + i);
            adapter.tell(i);
        }
        kit.await("all 40 messages", () -> seen.size() == 40);
        for (int i = 0; i < 20; i++) {
            assertEquals(List.of("t" + i, "n=" + i), List.copyOf(seen).subList(2 * i, 2 * i + 2),
                    "per-sender order through the adapter (rule 2.3), adapter run on the agent's thread: " + seen);
        }
    }

    @Example
    @SuppressWarnings({"unchecked", "rawtypes"})
    default void required_spec_2_10_anAdapterChecksTheTypeAndTheBound() {
        final Kit kit = kit();
        final CompletableFuture<AgentRef<Integer>> made = new CompletableFuture<>();
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final AgentRef<String> agent = textAgent(kit.runtime(), made, seen, SpawnOptions.defaults().withMailboxCapacity(4));
        final AgentRef<Integer> adapter = kit.await("the adapter", made);
        assertThrows(MessageTypeException.class, () -> ((AgentRef) adapter).tell("not an Integer"), "rule 2.6 through an adapter");
        kit.await("the pause", kit.runtime().pause(agent.id()));
        final int capacity = kit.runtime().mailboxCapacity(agent.id());
        for (int i = 0; i < capacity; i++) {
            adapter.tell(i);
        }
        assertFalse(adapter.tryTell(99), "a full mailbox refuses an adapted send too (rule 2.2)");
        assertThrows(MailboxFullException.class, () -> adapter.tell(100));
        kit.await("the resume", kit.runtime().resume(agent.id()));
        kit.await("every accepted adapted message", () -> seen.size() == capacity);
    }

    @Example
    default void required_spec_2_10_anAdapterThatThrowsIsAFailureOfTheAgent() {
        final Kit kit = kit();
        final Recorder<AgentFailure> failures = kit.recorder(AgentFailure.class);
        kit.runtime().subscribe(SystemTopics.FAILURES, failures.ref());
        final CompletableFuture<AgentRef<Integer>> made = new CompletableFuture<>();
        final AgentRef<String> agent = textAgent(kit.runtime(), made, new ConcurrentLinkedQueue<>(), SpawnOptions.defaults());
        kit.await("the adapter", made).tell(-1);
        kit.await("the adapter's failure", () -> failures.messages().stream().anyMatch(f -> f.agent().equals(agent.id())));
        final AgentFailure failure = failures.messages().stream().filter(f -> f.agent().equals(agent.id())).findFirst().orElseThrow();
        assertEquals(AgentFailure.Phase.MESSAGE, failure.phase());
        assertInstanceOf(IllegalArgumentException.class, failure.cause());
        assertEquals(Integer.class, failure.messageType(), "the failure names the value as it was sent");
    }

    @Example
    default void required_spec_2_10_anAskThroughAnAdapterIsAnswered() {
        final Kit kit = kit();
        final CompletableFuture<AgentRef<Length>> made = new CompletableFuture<>();
        kit.runtime().spawn(Integer.class, () -> new Agent<>() {
            private Reply<Integer> pending;

            @Override
            public void onStart(final AgentContext<Integer> ctx) {
                made.complete(ctx.messageAdapter(Length.class, request -> {
                    pending = request.reply();
                    return request.text().length();
                }));
            }

            @Override
            public void onMessage(final Integer length, final AgentContext<Integer> ctx) {
                pending.reply(length * 10);
            }
        });
        final AgentRef<Length> adapter = kit.await("the adapter", made);
        final CompletionStage<Integer> answer = adapter.ask(r -> new Length("four", r), java.time.Duration.ofHours(1));
        assertEquals(Integer.valueOf(40), kit.await("the answer through the adapter", answer));
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_9_aSubscriptionWithAnAdapterDeliversTheAdaptedEvents() {
        final Kit kit = kit();
        final Topic<Integer> numbers = Topic.of("kit.adapted.numbers", Integer.class);
        final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        final Function<Integer, String> adapter = i -> "event " + i;
        final AgentRef<String> agent = kit.runtime().spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                ctx.subscribe(numbers, adapter);
                subscribed.complete(null);
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> ctx) {
                if (message.equals("leave")) {
                    ctx.unsubscribe(numbers);
                    seen.add("left");
                } else {
                    seen.add(message);
                }
            }
        });
        kit.await("the subscription (rule 6.2: acknowledged when subscribe returns)", subscribed);
        assertEquals(1, kit.runtime().subscriberCount(numbers));
        assertEquals(1, kit.runtime().publish(numbers, 1));
        assertEquals(1, kit.runtime().publish(numbers, 2));
        kit.await("both adapted events", () -> seen.size() == 2);
        assertEquals(List.of("event 1", "event 2"), List.copyOf(seen));
        agent.tell("leave");
        kit.await("the unsubscribe", () -> seen.contains("left"));
        assertEquals(0, kit.runtime().publish(numbers, 3), "unsubscribe ends an adapted subscription (rule 6.4)");
        assertEquals(0, kit.runtime().subscriberCount(numbers));
    }

    @Example
    @RequiresCapability(Capability.PUBSUB)
    default void required_spec_6_9_aSubscriptionWithAnAdapterFromAnyThread() {
        final Kit kit = kit();
        final Topic<Integer> numbers = Topic.of("kit.adapted.registry", Integer.class);
        final Recorder<String> probe = kit.recorder(String.class);
        kit.runtime().subscribe(numbers, probe.ref(), i -> "event " + i);
        assertEquals(1, kit.runtime().publish(numbers, 7),
                "rule 6.2: a subscription made by TopicBroker.subscribe(topic, ref, adapter) holds when it returns");
        probe.awaitCount(1);
        assertEquals(List.of("event 7"), probe.messages(), "rule 6.9: the event reaches the agent as the adapter's result");
        kit.runtime().subscribe(numbers, probe.ref(), i -> "again " + i);
        assertEquals(1, kit.runtime().publish(numbers, 8), "rule 6.9: subscribing again replaces, not adds");
        probe.awaitCount(2);
        assertEquals(List.of("event 7", "again 8"), probe.messages(), "rule 6.9: subscribing again replaces the adapter");

        final CompletableFuture<AgentRef<Integer>> made = new CompletableFuture<>();
        final AgentRef<String> adaptee = kit.runtime().spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> ctx) {
                made.complete(ctx.messageAdapter(Integer.class, i -> "n=" + i));
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> ctx) {
            }
        });
        final AgentRef<Integer> adapterRef = kit.await("the message adapter", made);
        assertThrows(MessageTypeException.class,
                () -> kit.runtime().subscribe(numbers, adapterRef, i -> i),
                "rule 6.9: a message adapter's ref is not the agent's own; subscribing it must be refused");
        kit.runtime().stop(adaptee.id());
        kit.await("the stopped agent's end", kit.runtime().whenTerminated(adaptee.id()));
        assertThrows(dev.flin.runtime.AgentNotFoundException.class,
                () -> kit.runtime().subscribe(numbers, adaptee, i -> "late " + i),
                "rule 6.9: subscribing a terminated agent must be refused with AgentNotFoundException");
        assertEquals(1, kit.runtime().subscriberCount(numbers), "only the probe is subscribed");
    }
}
