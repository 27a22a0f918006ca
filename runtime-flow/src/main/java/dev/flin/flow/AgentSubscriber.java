package dev.flin.flow;

import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Flow.Subscriber} that feeds an agent: each element, the completion and the error become
 * messages to the agent ({@link FlowMessages}), and the stream goes no faster than the agent takes
 * them. Subscribe it to any {@code Flow.Publisher}: a JDK {@code SubmissionPublisher}, a response
 * body of the JDK HTTP client ({@code HttpResponse.BodyHandlers.fromSubscriber(agentSubscriber)}),
 * a Reactor {@code Flux} through {@code JdkFlowAdapter.publisherToFlowPublisher}, RxJava or Mutiny
 * through their Flow adapters.
 *
 * <h2>Demand: a bounded window</h2>
 * {@code onSubscribe} spawns a small <b>bridging agent</b>, which makes every {@code request} and
 * {@code cancel} (so they are serial, Reactive Streams rule 2.7) and forwards the signals to the
 * target agent in order (one sender, rule 2.3). It requests {@code window} elements at first, then
 * more as the target takes them out of its mailbox, keeping
 * <pre>
 *   elements requested and not yet arrived + the target's mailbox depth  &lt;=  window
 * </pre>
 * The mailbox depth (rule 8.4) counts every message waiting for the target, ours and other
 * senders', so it bounds ours from above: at most {@code window} of this stream's elements ever
 * wait in the target's mailbox, and other traffic to the target only slows the stream. It asks
 * again once half the window is free, or at once when nothing is in flight; when the target holds
 * the whole window and nothing is in flight, nothing else will trigger a look, so the bridge looks
 * again on a timer, after 1 ms, doubling up to 64 ms, until room appears.
 *
 * <p>So a target whose mailbox holds at least {@code window} messages (plus one for the terminal
 * message, plus what other senders need) never refuses an element. Should it refuse one anyway
 * ({@link MailboxFullException}, rule 2.2: other senders filled it), the bridge cancels upstream
 * and sends the target {@code onError(thatException)}; the refused element is lost and that message
 * says so. The publisher's threads never block and never touch the target: {@code onNext} only
 * tells the bridge, whose mailbox holds the window.
 *
 * <h2>End of the stream</h2>
 * <ul>
 *   <li>{@code onComplete} / {@code onError}: the bridge sends the target the mapped message after
 *       every element, retrying on its timer while the target's mailbox is full (a terminal message
 *       is never dropped while the target lives), then stops.</li>
 *   <li><b>The target terminates</b>: the bridge watches it (rule 4.7), cancels upstream and
 *       stops.</li>
 *   <li><b>The runtime shuts down</b>: the bridge cancels upstream as it stops; the target gets no
 *       terminal message (it is stopping too).</li>
 *   <li>{@code onSubscribe} when the runtime has shut down: the subscription is cancelled at once.
 *       A second {@code onSubscribe} is cancelled at once (Reactive Streams rule 2.5).</li>
 *   <li>A publisher that signals more than was requested (breaking Reactive Streams rule 1.1)
 *       overflows the bridge's mailbox: the bridge is stopped, cancels upstream and tries once to
 *       send the target {@code onError} with the {@link MailboxFullException}.</li>
 * </ul>
 *
 * <p>An instance subscribes once: make one per subscription.
 *
 * <p>Threading: the {@code Flow.Subscriber} methods may be called from any thread, serially
 * (Reactive Streams rule 1.3); they never block, and they return normally except for a null
 * argument (rule 2.13). A signal happens-before the target's processing of the message it became
 * (rule 1.2, through the bridge).
 *
 * @param <T> the element type
 * @param <M> the target agent's message type
 */
public final class AgentSubscriber<T, M> implements Flow.Subscriber<T> {

    /** The largest window: the bridge's mailbox is sized for it. */
    public static final int MAX_WINDOW = 1 << 20;

    private final AgentRuntime runtime;
    private final AgentRef<M> target;
    private final FlowMessages<T, M> messages;
    private final int window;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    /** Set by a signal the bridge could not take, for the bridge to report as it stops. */
    private final AtomicReference<MailboxFullException> overflow = new AtomicReference<>();
    /** The bridge; set in onSubscribe, which happens-before every other signal (rule 1.3). */
    private volatile @Nullable AgentRef<SubscriberBridge.Upstream> bridge;

    private AgentSubscriber(final AgentRuntime runtime, final AgentRef<M> target,
                            final FlowMessages<T, M> messages, final int window) {
        this.runtime = runtime;
        this.target = target;
        this.messages = messages;
        this.window = window;
    }

    /**
     * @param runtime  the runtime the target lives in; the bridging agent is spawned there
     * @param target   the agent to feed
     * @param messages how signals become the target's messages
     * @param window   how many elements may be requested and not yet taken by the target, 1 to
     *                 {@link #MAX_WINDOW}; size the target's mailbox to at least this plus one
     * @param <T>      the element type
     * @param <M>      the target's message type
     * @return a subscriber, to subscribe once
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code window} is out of range
     */
    public static <T, M> AgentSubscriber<T, M> create(final AgentRuntime runtime, final AgentRef<M> target,
                                                      final FlowMessages<T, M> messages, final int window) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messages, "messages");
        if (window < 1 || window > MAX_WINDOW) {
            throw new IllegalArgumentException("window must be in [1, " + MAX_WINDOW + "], was " + window);
        }
        return new AgentSubscriber<>(runtime, target, messages, window);
    }

    /**
     * @return the target agent
     */
    public AgentRef<M> target() {
        return target;
    }

    /**
     * @return the demand window
     */
    public int window() {
        return window;
    }

    /**
     * Spawns the bridging agent, which requests the first window. Cancels {@code subscription} at
     * once if this subscriber already has one (Reactive Streams rule 2.5) or the runtime has shut
     * down.
     *
     * @throws NullPointerException if {@code subscription} is null (Reactive Streams rule 2.13)
     */
    @Override
    public void onSubscribe(final Flow.Subscription subscription) {
        Objects.requireNonNull(subscription, "subscription must not be null (Reactive Streams rule 2.13)");
        if (!subscribed.compareAndSet(false, true)) {
            subscription.cancel();
            return;
        }
        final AgentRef<SubscriberBridge.Upstream> b;
        try {
            b = runtime.spawn(SubscriberBridge.Upstream.class,
                    () -> new SubscriberBridge<>(subscription, target, messages, window, overflow),
                    new SpawnOptions(null, window + SubscriberBridge.EXTRA_SLOTS, RestartPolicy.never()));
        } catch (final RuntimeException refused) { // RuntimeStoppedException: nothing will take the stream
            subscription.cancel();
            return;
        }
        bridge = b; // before the first request: its onNext may come at once, on any thread
        send(SubscriberBridge.Start.INSTANCE);
    }

    /**
     * Hands the element to the bridge. Never blocks.
     *
     * @throws NullPointerException if {@code item} is null (Reactive Streams rule 2.13)
     */
    @Override
    public void onNext(final T item) {
        Objects.requireNonNull(item, "item must not be null (Reactive Streams rule 2.13)");
        send(new SubscriberBridge.Next(item));
    }

    /**
     * Hands the error to the bridge, which sends the target the mapped message after the elements.
     *
     * @throws NullPointerException if {@code throwable} is null (Reactive Streams rule 2.13)
     */
    @Override
    public void onError(final Throwable throwable) {
        Objects.requireNonNull(throwable, "throwable must not be null (Reactive Streams rule 2.13)");
        send(new SubscriberBridge.Failed(throwable));
    }

    /** Hands the completion to the bridge, which sends the target the mapped message after the elements. */
    @Override
    public void onComplete() {
        send(SubscriberBridge.Completed.INSTANCE);
    }

    private void send(final SubscriberBridge.Upstream signal) {
        final AgentRef<SubscriberBridge.Upstream> b = bridge;
        if (b == null) {
            return; // no subscription, or the runtime refused the bridge and it was cancelled
        }
        try {
            b.tell(signal);
        } catch (final MailboxFullException full) {
            // More than the window arrived: the publisher broke Reactive Streams rule 1.1. The bridge
            // alone calls the subscription (rule 2.7), so it is told to stop, and cancels as it does.
            overflow.compareAndSet(null, full);
            stopBridge(b);
        } catch (final AgentNotFoundException | RuntimeStoppedException ended) {
            // The bridge ended (the target terminated, or shutdown) and cancelled upstream; signals
            // may still arrive after a cancel (Reactive Streams rule 2.8).
        }
    }

    private void stopBridge(final AgentRef<SubscriberBridge.Upstream> b) {
        try {
            runtime.stop(b.id());
        } catch (final AgentNotFoundException | RuntimeStoppedException ended) {
            // already ending
        }
    }

    @Override
    public String toString() {
        return "AgentSubscriber[" + target.id() + ", window " + window + "]";
    }
}
