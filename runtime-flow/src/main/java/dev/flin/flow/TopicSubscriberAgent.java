package dev.flin.flow;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.Topic;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The agent behind one {@link TopicSubscription}: subscribed to the topic, it signals the
 * subscriber, on its own thread, one callback at a time (rule 1.1, Reactive Streams rule 1.3).
 *
 * <p>It takes an event out of its mailbox, delivers it if the subscriber asked for one, and
 * otherwise holds it and pauses itself (rule 3.4), so that the following events wait in the
 * mailbox, which is the buffer, and the topic drops what does not fit (rule 6.6). A request
 * resumes it (the hand-shake is in {@link TopicSubscription}). Outside a stop it holds at most one
 * event: it pauses whenever it holds one, and a paused agent takes nothing. While it stops, the
 * pause has no effect (rule 3.6 processes what was accepted) and what it takes beyond the demand
 * is discarded with the end of the stream.
 *
 * <p>Threading: the runtime calls it on its agent thread only; its fields are plain (rule 1.2).
 *
 * @param <E> the event type
 */
final class TopicSubscriberAgent<E> implements Agent<TopicSignal> {

    private final TopicSubscription<E> subscription;
    private final Topic<E> topic;
    private final Predicate<? super E> completesStream;
    /** Events taken out of the mailbox and not yet delivered, in order. */
    private final ArrayDeque<E> held = new ArrayDeque<>(2);
    /** Null once the stream has ended for this agent. */
    private Flow.@Nullable Subscriber<? super E> subscriber;
    /** Demand taken from the subscription and not yet used; Long.MAX_VALUE is unbounded. */
    private long demand;
    /** The completing event was taken: complete once {@link #held} is delivered. */
    private boolean completing;
    /** A subscriber method is running: if it throws an Error out of the agent, onStop sees this. */
    private boolean inSignal;

    TopicSubscriberAgent(final TopicSubscription<E> subscription, final Topic<E> topic,
                         final Predicate<? super E> completesStream) {
        this.subscription = subscription;
        this.topic = topic;
        this.completesStream = completesStream;
    }

    @Override
    public void onStart(final AgentContext<TopicSignal> context) {
        subscriber = subscription.start(context.self());
        if (subscriber == null) {
            context.stop();
            return;
        }
        inSignal = true;
        try {
            subscriber.onSubscribe(subscription); // Reactive Streams rule 1.9: before any other signal
        } catch (final RuntimeException broken) {
            abandon();
            return;
        }
        inSignal = false;
        drain(context);
    }

    @Override
    public void onMessage(final TopicSignal message, final AgentContext<TopicSignal> context) {
        if (subscriber == null) {
            return; // the stream ended; the agent is stopping and discards the rest
        }
        if (!subscription.isActive()) {
            finish(); // cancelled (nothing to signal) or an illegal request (onError)
            return;
        }
        if (message instanceof TopicSignal.Event signal && !completing) {
            final E event = topic.eventType().cast(signal.event());
            final boolean last;
            try {
                last = completesStream.test(event);
            } catch (final RuntimeException failure) {
                fail(failure, context);
                return;
            }
            if (last) {
                completing = true;
            } else {
                held.add(event);
            }
        }
        drain(context);
    }

    /**
     * Delivers what demand allows; completes if the completing event was reached; else, holding an
     * event without demand, pauses (the agent's half of the park hand-shake).
     */
    private void drain(final AgentContext<TopicSignal> context) {
        final AgentId self = context.self().id();
        while (true) {
            demand = addCapped(demand, subscription.takeRequested());
            while (demand > 0 && !held.isEmpty()) {
                demand--;
                if (!signalNext(held.poll())) {
                    return;
                }
            }
            if (!subscription.isActive()) {
                finish(); // cancelled or rejected from inside onNext or onSubscribe
                return;
            }
            if (held.isEmpty()) {
                if (completing) {
                    complete(context);
                }
                return; // the next event taken is held (or delivered, if demand comes first)
            }
            context.runtime().pause(self); // rule 3.4: from the next message on, nothing is taken
            if (!subscription.park()) {
                return; // a request will resume this agent
            }
            context.runtime().resume(self); // demand came meanwhile, and this agent won the resume
        }
    }

    /** @return false if the stream ended during the signal (cancelled, rejected, or the subscriber threw) */
    private boolean signalNext(final E event) {
        inSignal = true;
        try {
            Objects.requireNonNull(subscriber, "the stream has not ended").onNext(event);
        } catch (final RuntimeException broken) {
            abandon();
            return false;
        }
        inSignal = false;
        if (!subscription.isActive()) {
            finish();
            return false;
        }
        return true;
    }

    /** The completing event was reached with nothing held: onComplete, leave the topic, stop. */
    private void complete(final AgentContext<TopicSignal> context) {
        finish();
        context.unsubscribe(topic);
        context.stop();
    }

    /** The completing predicate threw: onError with what it threw, leave the topic, stop. */
    private void fail(final RuntimeException failure, final AgentContext<TopicSignal> context) {
        final Flow.Subscriber<? super E> s = Objects.requireNonNull(subscriber, "onMessage returns early once it ended");
        subscriber = null;
        held.clear();
        if (subscription.end()) {
            s.onError(failure);
        }
        subscription.release();
        context.unsubscribe(topic);
        context.stop();
    }

    /**
     * Ends the stream as the subscription's state says: an illegal request is signalled as
     * onError (Reactive Streams rule 3.9), a cancel as nothing (3.5), and otherwise (shutdown, a
     * stop request, the completing event) onComplete. Once only.
     */
    private void finish() {
        final Flow.Subscriber<? super E> s = subscriber;
        if (s == null) {
            return;
        }
        subscriber = null;
        held.clear();
        final IllegalArgumentException rejected = subscription.rejection();
        inSignal = true;
        try {
            if (rejected != null) {
                s.onError(rejected);
            } else if (subscription.end()) {
                s.onComplete();
            }
        } catch (final RuntimeException ignored) {
            // the stream has ended anyway (Reactive Streams rule 2.13 was broken)
        }
        inSignal = false;
        subscription.release();
    }

    /** The subscriber threw (Reactive Streams rule 2.13): treated as a cancel, no further signal. */
    private void abandon() {
        inSignal = false;
        subscriber = null;
        held.clear();
        subscription.cancel();
        subscription.release();
    }

    @Override
    public void onStop(final AgentContext<TopicSignal> context) {
        if (inSignal) {
            abandon(); // a subscriber method threw an Error out of this agent: no further signal
            return;
        }
        finish(); // runtime shutdown or a stop request: onComplete (or what the subscription says)
    }

    private static long addCapped(final long a, final long b) {
        final long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
