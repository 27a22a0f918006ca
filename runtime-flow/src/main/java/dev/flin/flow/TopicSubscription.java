package dev.flin.flow;

import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Topic;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * One subscriber's subscription to a {@link TopicPublisher}: the state that {@code request} and
 * {@code cancel} (any thread) share with the subscriber's agent ({@link TopicSubscriberAgent}).
 *
 * <h2>Why no message carries a request or a cancel</h2>
 * The agent's mailbox is the subscriber's buffer, and it is full exactly when the subscriber is
 * behind: a request sent as a message would then be refused (rule 2.2), and a request must neither
 * block nor be lost. So control goes around the mailbox, through calls the runtime always accepts:
 * <ul>
 *   <li>{@code request(n)} adds {@code n} to {@link #requested} (CAS), which the agent takes on
 *       its thread. If the agent paused itself for want of demand, the request resumes it
 *       (rule 8.11: registered when {@code resume} returns) and tells it {@link TopicSignal.Wake} so that it
 *       delivers the event it holds even if no other event comes.</li>
 *   <li>{@code cancel()} and an illegal {@code request} leave the topic (rule 6.4, effective when
 *       the call returns) and stop the agent (rule 3.6), which then ends the stream on its own
 *       thread.</li>
 * </ul>
 *
 * <h2>The park hand-shake</h2>
 * The agent pauses only while it holds an event and has no demand. Exactly one resume follows each
 * pause, made by whichever of the agent and a requester clears {@link #parked} (CAS):
 * <pre>
 * agent:     runtime.pause(self); parked = true (volatile); if requested != 0 and CAS parked true->false: resume(self)
 * requester: requested += n (CAS);                          if CAS parked true->false: resume(self), tell Wake
 * </pre>
 * The agent sets {@code parked} after its pause is registered, so a requester that clears it
 * resumes after that pause, never before. Either the agent's read of {@code requested} sees the
 * requester's add (then one of the two CASes wins and resumes), or it does not, and then the
 * requester's CAS comes after {@code parked = true} (all of these are volatile accesses, totally
 * ordered) and finds it set. So a request is never lost to a pause, and a pause is never undone by
 * a stale resume.
 *
 * <p>The {@link TopicSignal.Wake} may find the mailbox full; then the mailbox holds messages the paused agent
 * has not taken, and the resumed agent takes the next of them after the resume, which
 * happens-after the add: it sees the demand and delivers the held event first.
 *
 * <p>Threading: {@link #request} and {@link #cancel} from any thread, never blocking (Reactive
 * Streams rules 3.4, 3.5, 2.7 leaves their serialization to the subscriber; they need none).
 * {@code request} happens-before the delivery that its demand allows.
 *
 * @param <E> the event type
 */
final class TopicSubscription<E> implements Flow.Subscription {

    /** Signals may flow. */
    private static final int ACTIVE = 0;
    /** The subscriber cancelled: no further signal. */
    private static final int CANCELLED = 1;
    /** {@code request(n <= 0)}: the agent signals {@link #failure}, then nothing. */
    private static final int REJECTED = 2;
    /** The agent signalled {@code onComplete} or {@code onError}. */
    private static final int ENDED = 3;

    private final AgentRuntime runtime;
    private final Topic<E> topic;
    /** Cleared when the stream ends, so that a cancelled subscriber is not kept alive (Reactive Streams rule 3.13). */
    private final AtomicReference<Flow.Subscriber<? super E>> subscriber;
    private final AtomicInteger state = new AtomicInteger(ACTIVE);
    /** Demand added by {@code request} and not yet taken by the agent; saturates at Long.MAX_VALUE. */
    private final AtomicLong requested = new AtomicLong();
    /** Set by the agent after it paused itself; cleared by the one that resumes it. */
    private final AtomicBoolean parked = new AtomicBoolean();
    /** Set by whichever signals onSubscribe: the agent's onStart, or {@link #endUnstarted}. */
    private final AtomicBoolean started = new AtomicBoolean();
    /** The error of a {@code request(n <= 0)}, set before {@link #state} becomes REJECTED. */
    private final AtomicReference<IllegalArgumentException> failure = new AtomicReference<>();
    /** The agent, set on its thread before onSubscribe; null until then. */
    private volatile @Nullable AgentRef<TopicSignal> agent;

    TopicSubscription(final AgentRuntime runtime, final Topic<E> topic, final Flow.Subscriber<? super E> subscriber) {
        this.runtime = runtime;
        this.topic = topic;
        this.subscriber = new AtomicReference<>(subscriber);
    }

    // ---- the subscriber's side: any thread

    /**
     * Adds demand (Reactive Streams rules 3.8, 3.17: saturating at {@code Long.MAX_VALUE}, which
     * means "unbounded"); a no-op once cancelled or ended (3.6). {@code n <= 0} ends the stream with
     * {@code onError(IllegalArgumentException)} (3.9). Never blocks, never signals on the calling
     * thread (3.3).
     */
    @Override
    public void request(final long n) {
        if (n <= 0) {
            failure.compareAndSet(null, new IllegalArgumentException(
                    "non-positive subscription request " + n + " to " + topic.name() + " (Reactive Streams rule 3.9)"));
            if (state.compareAndSet(ACTIVE, REJECTED)) {
                leave();
            }
            return;
        }
        if (state.get() != ACTIVE) {
            return;
        }
        requested.accumulateAndGet(n, TopicSubscription::addCapped);
        if (parked.compareAndSet(true, false)) {
            final AgentRef<TopicSignal> self = Objects.requireNonNull(agent, "parked only after start");
            try {
                runtime.resume(self.id());
                self.tryTell(TopicSignal.Wake.INSTANCE); // full: the resumed agent takes a queued event instead
            } catch (final AgentNotFoundException | RuntimeStoppedException ended) {
                // the agent is ending; its end signals the subscriber
            }
        }
    }

    /**
     * Cancels (Reactive Streams rules 3.5, 3.7: idempotent, no-op once ended): the agent has left
     * the topic when this returns (rule 6.4), and stops; no signal follows.
     */
    @Override
    public void cancel() {
        if (state.compareAndSet(ACTIVE, CANCELLED)) {
            subscriber.set(null);
            leave();
        }
    }

    private void leave() {
        final AgentRef<TopicSignal> self = agent;
        if (self == null) {
            return; // the subscription of an agent that never started: nothing to leave
        }
        try {
            runtime.unsubscribe(topic, self.id());
            runtime.stop(self.id());
        } catch (final AgentNotFoundException | RuntimeStoppedException ended) {
            // already ending
        }
    }

    // ---- the agent's side: its thread

    /**
     * Agent thread, in onStart: records the agent and claims the right to signal.
     *
     * @return the subscriber to signal, or null if there is none (the claim lost, which the
     *         runtime rules out: a terminated agent runs no onStart)
     */
    Flow.@Nullable Subscriber<? super E> start(final AgentRef<TopicSignal> self) {
        agent = self;
        return started.compareAndSet(false, true) ? subscriber.get() : null;
    }

    /** Agent thread: the demand added since the last call (atomic swap). */
    long takeRequested() {
        return requested.getAndSet(0);
    }

    /**
     * Agent thread, right after it requested its own pause: the agent's half of the park
     * hand-shake (see the class comment).
     *
     * @return true if the agent must resume itself: demand came, and no requester will resume it
     */
    boolean park() {
        parked.set(true);
        return requested.get() != 0 && parked.compareAndSet(true, false);
    }

    /** @return whether signals may flow: not cancelled, rejected or ended (volatile read) */
    boolean isActive() {
        return state.get() == ACTIVE;
    }

    /** @return whether the subscriber cancelled */
    boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    /** @return the error to signal if a request was illegal, else null */
    @Nullable IllegalArgumentException rejection() {
        return state.get() == REJECTED ? failure.get() : null;
    }

    /**
     * Agent thread: marks the stream ended by the agent (onComplete or onError follows), so that
     * later requests and cancels are no-ops.
     *
     * @return false if it was no longer active (cancelled or rejected)
     */
    boolean end() {
        return state.compareAndSet(ACTIVE, ENDED);
    }

    /** Agent thread, once the stream ended: drops the subscriber (Reactive Streams rule 3.13). */
    void release() {
        subscriber.set(null);
    }

    // ---- no agent: the subscribing thread, or the thread that completes the termination stage

    /**
     * The runtime refused to spawn the agent (it shut down): onSubscribe, then onError
     * (Reactive Streams rule 1.9), on the calling thread.
     */
    void refuse(final RuntimeException cause) {
        started.set(true);
        state.set(ENDED);
        final Flow.Subscriber<? super E> s = subscriber.getAndSet(null);
        try {
            s.onSubscribe(this);
            s.onError(cause);
        } catch (final RuntimeException ignored) {
            // a subscriber that throws broke Reactive Streams rule 2.13; nothing more to signal
        }
    }

    /**
     * The agent terminated. If it never started (the shutdown ended it before it ran), nobody
     * signalled this subscriber: onSubscribe, then onComplete, as for a stream the shutdown ended.
     * Otherwise a no-op: the agent signalled.
     */
    void endUnstarted() {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        final Flow.Subscriber<? super E> s = subscriber.getAndSet(null);
        state.set(ENDED);
        if (s == null) {
            return;
        }
        try {
            s.onSubscribe(this);
            s.onComplete();
        } catch (final RuntimeException ignored) {
            // as in refuse
        }
    }

    private static long addCapped(final long a, final long b) {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
