package dev.flin.flow;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Predicate;

/**
 * A {@link Topic} as a {@link Flow.Publisher}: each subscriber receives the events published on
 * the topic after its {@link #subscribe} returned, no faster than it requests them.
 *
 * <h2>How</h2>
 * Each {@link #subscribe} spawns one agent, subscribes it to the topic (rule 6.2) and hands the
 * subscriber a {@link Flow.Subscription} that talks to that agent. The agent delivers an event
 * only against demand (Reactive Streams rule 1.1). When the demand runs out it holds the event it
 * has just taken, pauses itself (rule 3.4) and so leaves the following events in its mailbox:
 * <b>the mailbox is the buffer</b>, {@link #bufferCapacity()} events (rounded up by the runtime,
 * see {@link dev.flin.runtime.AgentRegistry#mailboxCapacity}) plus the one the agent holds.
 * {@code request(n)} adds to the demand and resumes the agent if it paused. The agent runs one
 * callback at a time (rule 1.1), so {@code onSubscribe}, {@code onNext}, {@code onError} and
 * {@code onComplete} are signalled serially (Reactive Streams rule 1.3), each happening-before the
 * next (rule 1.2).
 *
 * <h2>Overflow: the stream is lossy</h2>
 * A topic never waits for a subscriber (rule 6.6). When events are published faster than the
 * subscriber requests them and the buffer is full, the topic drops each further event for that
 * subscriber only: {@link dev.flin.runtime.TopicBroker#publish} does not count it among the
 * subscribers that took it, and {@link RuntimeCounters#droppedEvents()} counts it. The subscriber
 * sees a <b>lossy, back-pressure-bounded</b> stream: the events it gets are in publish order
 * (rule 6.3), never more than it requested, and some may be missing. Nothing else can report the
 * loss: the publish drops the event before this subscriber's agent sees it. A publisher that must
 * not lose events publishes again while {@code publish} says that a subscriber did not take it
 * (the topic's {@link dev.flin.runtime.TopicBroker#subscriberCount} tells "full" from "gone"), or
 * sizes the buffer for its bursts.
 *
 * <h2>End of the stream</h2>
 * <ul>
 *   <li><b>Runtime shutdown, or a stop request for the agent</b>: {@code onComplete}, after the
 *       events the subscriber had already requested. Events still buffered beyond the demand are
 *       discarded. A topic has no end of its own, and a shutdown is the orderly end of every
 *       stream on it; a subscriber that must tell it apart checks
 *       {@link AgentRuntime#isShutdown()}.</li>
 *   <li><b>A completing event</b> ({@link #completingOn}): {@code onComplete} once the events
 *       before it were delivered, without needing more demand; the completing event itself is not
 *       delivered. For streams with a natural end, such as an entity's changes ending with its
 *       deletion.</li>
 *   <li><b>{@code cancel()}</b>: no further signal (Reactive Streams rule 3.5); the agent leaves
 *       the topic before {@code cancel} returns (rule 6.4) and stops.</li>
 *   <li><b>{@code request(n)} with {@code n <= 0}</b>: {@code onError} with an
 *       {@link IllegalArgumentException} citing Reactive Streams rule 3.9; the agent leaves the
 *       topic and stops.</li>
 *   <li><b>Subscribing to a runtime that has shut down</b>: {@code onSubscribe}, then
 *       {@code onError} with the {@link dev.flin.runtime.RuntimeStoppedException} (Reactive
 *       Streams rule 1.9), on the calling thread: the stream could not start, which is not the end
 *       of one that did.</li>
 *   <li><b>A subscriber callback that throws</b> (Reactive Streams rule 2.13 forbids it): treated
 *       as a cancel, with no further signal.</li>
 * </ul>
 *
 * <h2>Where the subscriber runs</h2>
 * The subscriber's methods are called on its agent's thread, by default the runtime's shared
 * dispatcher: they must not block (rule 1.6). A subscriber that blocks is placed with
 * {@link #withDispatcher}({@link DispatcherSelector#BLOCKING}).
 *
 * <p>Threading: an immutable value; {@link #subscribe} may be called from any thread, also from an
 * agent, and never blocks (it spawns and subscribes, rule 8.5). Each subscriber has its own agent
 * and buffer; any number may subscribe. A publish that returned happens-before the {@code onNext}
 * that delivers its event (rules 1.2, 2.9).
 *
 * @param <E> the topic's event type
 */
public final class TopicPublisher<E> implements Flow.Publisher<E> {

    private final AgentRuntime runtime;
    private final Topic<E> topic;
    private final int bufferCapacity;
    private final Predicate<? super E> completesStream;
    private final DispatcherSelector dispatcher;

    private TopicPublisher(final AgentRuntime runtime, final Topic<E> topic, final int bufferCapacity,
                           final Predicate<? super E> completesStream, final DispatcherSelector dispatcher) {
        this.runtime = runtime;
        this.topic = topic;
        this.bufferCapacity = bufferCapacity;
        this.completesStream = completesStream;
        this.dispatcher = dispatcher;
    }

    /**
     * A publisher of a topic's events, no event completing the stream, subscribers on the shared
     * dispatcher.
     *
     * @param runtime        the runtime the topic lives in
     * @param topic          the topic
     * @param bufferCapacity how many events may wait for each subscriber's demand (its agent's
     *                       mailbox capacity, rule 2.1), at least 1
     * @param <E>            the event type
     * @return the publisher
     * @throws NullPointerException     if {@code runtime} or {@code topic} is null
     * @throws IllegalArgumentException if {@code bufferCapacity} is below 1
     */
    public static <E> TopicPublisher<E> of(final AgentRuntime runtime, final Topic<E> topic, final int bufferCapacity) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(topic, "topic");
        if (bufferCapacity < 1) {
            throw new IllegalArgumentException("bufferCapacity must be >= 1, was " + bufferCapacity);
        }
        return new TopicPublisher<>(runtime, topic, bufferCapacity, event -> false, DispatcherSelector.DEFAULT);
    }

    /**
     * A copy whose streams complete at the first event that {@code last} accepts: the events
     * before it are delivered (against demand), then {@code onComplete}, without further demand;
     * the completing event is not delivered. {@code last} runs on each subscriber's agent thread,
     * once per event; it must not block, and if it throws, that subscriber gets {@code onError}
     * with what it threw.
     *
     * @param last recognises the event that ends the stream
     * @return the copy
     * @throws NullPointerException if {@code last} is null
     */
    public TopicPublisher<E> completingOn(final Predicate<? super E> last) {
        return new TopicPublisher<>(runtime, topic, bufferCapacity, Objects.requireNonNull(last, "last"), dispatcher);
    }

    /**
     * A copy whose subscribers' agents run where {@code selector} says (rule 1.7):
     * {@link DispatcherSelector#BLOCKING} for subscribers whose methods block.
     *
     * @param selector where each subscriber's agent runs
     * @return the copy
     * @throws NullPointerException if {@code selector} is null
     */
    public TopicPublisher<E> withDispatcher(final DispatcherSelector selector) {
        return new TopicPublisher<>(runtime, topic, bufferCapacity, completesStream,
                Objects.requireNonNull(selector, "selector"));
    }

    /**
     * @return the topic whose events this publishes
     */
    public Topic<E> topic() {
        return topic;
    }

    /**
     * @return how many events may wait for each subscriber's demand, as asked; the runtime may
     *         round each agent's mailbox up (rule 2.1), and the agent holds one more
     */
    public int bufferCapacity() {
        return bufferCapacity;
    }

    /**
     * Subscribes (Reactive Streams rule 1.9): spawns the subscriber's agent and subscribes it to
     * the topic before returning, so every event published after this returns is offered to the
     * subscriber (rule 6.2), within the buffer. {@code onSubscribe} follows on the agent's thread.
     * Never blocks, never throws but for a null subscriber; a subscription the runtime refuses is
     * signalled as {@code onSubscribe} then {@code onError}, on this thread.
     *
     * <p>Each call is a new, independent subscription, also for a subscriber already subscribed
     * (which Reactive Streams rule 2.12 forbids the subscriber to do).
     *
     * @param subscriber the subscriber
     * @throws NullPointerException if {@code subscriber} is null (Reactive Streams rule 1.9)
     */
    @Override
    public void subscribe(final Flow.Subscriber<? super E> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber must not be null (Reactive Streams rule 1.9)");
        final TopicSubscription<E> subscription = new TopicSubscription<>(runtime, topic, subscriber);
        final AgentRef<TopicSignal> agent;
        try {
            agent = runtime.spawn(TopicSignal.class,
                    () -> new TopicSubscriberAgent<>(subscription, topic, completesStream),
                    new SpawnOptions(null, bufferCapacity, RestartPolicy.never(), dispatcher));
        } catch (final RuntimeException refused) { // RuntimeStoppedException: nothing was spawned
            subscription.refuse(refused);
            return;
        }
        // An agent the shutdown terminates before it ever ran calls no onStart: the subscriber
        // then gets onSubscribe and onComplete from here instead (the two never both happen).
        runtime.whenTerminated(agent.id()).whenComplete((cause, failure) -> subscription.endUnstarted());
        try {
            runtime.subscribe(topic, agent, TopicSignal.Event::new);
        } catch (final RuntimeException raced) {
            // The shutdown started between the spawn and here: the agent is being stopped, and its
            // end completes the stream (or endUnstarted does). Nothing to subscribe to any more.
        }
    }

    @Override
    public String toString() {
        return "TopicPublisher[" + topic.name() + ", buffer " + bufferCapacity + "]";
    }
}
