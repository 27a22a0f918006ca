package dev.flin.flow;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.Signal;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The bridging agent of one {@link AgentSubscriber}: it alone calls the upstream subscription
 * (Reactive Streams rule 2.7), forwards the signals to the target in order (one sender, rule 2.3),
 * keeps the demand window (see {@link AgentSubscriber}), and watches the target (rule 4.7) to
 * cancel upstream when it terminates.
 *
 * <p>Its mailbox holds the window plus {@link #EXTRA_SLOTS}: every element the publisher may send
 * (it never has more than the window requested and not yet arrived), {@link Start}, the terminal
 * signal, and its one timer message.
 *
 * <p>It requests nothing before {@link Start}, which {@link AgentSubscriber#onSubscribe} tells it
 * once it has recorded the bridge: a synchronous publisher may call {@code onNext} from inside
 * {@code request}, on this agent's thread, and that element must find the bridge.
 *
 * <p>Threading: the runtime calls it on its agent thread only; its fields are plain (rule 1.2).
 *
 * @param <T> the element type
 * @param <M> the target's message type
 */
final class SubscriberBridge<T, M> implements Agent<SubscriberBridge.Upstream> {

    /** Mailbox slots beyond the window: Start, the terminal signal, the timer's message, one spare. */
    static final int EXTRA_SLOTS = 4;
    /** The first delay before looking at the target's mailbox again. */
    static final Duration FIRST_LOOK = Duration.ofMillis(1);
    /** The longest delay between two looks at a full target. */
    static final Duration LAST_LOOK = Duration.ofMillis(64);

    /** What the bridge receives: the publisher's signals, and its own timer. Immutable values. */
    sealed interface Upstream permits Start, Next, Completed, Failed, Look {
    }

    /** The subscriber has recorded this bridge: request the first window. */
    enum Start implements Upstream { INSTANCE }

    /** {@code onNext(element)}. */
    record Next(Object element) implements Upstream {
    }

    /** {@code onComplete()}. */
    enum Completed implements Upstream { INSTANCE }

    /** {@code onError(error)}. */
    record Failed(Throwable error) implements Upstream {
    }

    /** The timer: look at the target's mailbox again, or retry the terminal message. */
    enum Look implements Upstream { INSTANCE }

    private final Flow.Subscription upstream;
    private final AgentRef<M> target;
    private final FlowMessages<T, M> messages;
    private final int window;
    /** Ask again once this much of the window is free (half of it), or whenever nothing is in flight. */
    private final int batch;
    private final AtomicReference<MailboxFullException> overflow;

    /** Elements requested from upstream, in total. */
    private long requested;
    /** Elements received from upstream, in total. */
    private long received;
    /** Upstream completed, failed or was cancelled: no more requests, no more forwarding. */
    private boolean upstreamDone;
    /** The terminal message the target's full mailbox refused; retried on the timer. */
    private @Nullable M terminal;
    private Duration nextLook = FIRST_LOOK;

    SubscriberBridge(final Flow.Subscription upstream, final AgentRef<M> target, final FlowMessages<T, M> messages,
                     final int window, final AtomicReference<MailboxFullException> overflow) {
        this.upstream = upstream;
        this.target = target;
        this.messages = messages;
        this.window = window;
        this.batch = Math.max(1, window / 2);
        this.overflow = overflow;
    }

    @Override
    public void onStart(final AgentContext<Upstream> context) {
        context.watch(target.id()); // a target already gone signals at once (rule 4.7)
    }

    @Override
    @SuppressWarnings("unchecked") // Next carries what AgentSubscriber.onNext took as a T
    public void onMessage(final Upstream message, final AgentContext<Upstream> context) {
        if (message == Start.INSTANCE) {
            if (!upstreamDone) {
                replenish(context);
            }
        } else if (message instanceof Next next) {
            received++;
            if (!upstreamDone) {
                forward((T) next.element(), context);
            }
        } else if (message instanceof Failed failed) {
            if (!upstreamDone) {
                finish(mapped(() -> messages.onError().apply(failed.error())), context);
            }
        } else if (message == Completed.INSTANCE) {
            if (!upstreamDone) {
                finish(mapped(() -> messages.onComplete().get()), context);
            }
        } else if (terminal != null) { // Look
            deliverTerminal(context);
        } else if (!upstreamDone) {
            replenish(context);
        }
    }

    private void forward(final T element, final AgentContext<Upstream> context) {
        final M message;
        try {
            message = mapped(() -> messages.onNext().apply(element));
        } catch (final RuntimeException mappingFailed) {
            cancelUpstream();
            finish(mapped(() -> messages.onError().apply(mappingFailed)), context);
            return;
        }
        try {
            target.tell(message);
        } catch (final MailboxFullException full) {
            cancelUpstream(); // other senders filled the target: this element is lost, and the error says so
            finish(mapped(() -> messages.onError().apply(full)), context);
            return;
        } catch (final AgentNotFoundException | RuntimeStoppedException gone) {
            targetGone(context);
            return;
        }
        replenish(context);
    }

    /**
     * Requests what the window allows: {@code window - inFlight - depth}, once it is at least half
     * the window or nothing is in flight; with no room and nothing in flight, looks again later.
     */
    private void replenish(final AgentContext<Upstream> context) {
        final int depth;
        try {
            depth = context.runtime().mailboxDepth(target.id());
        } catch (final AgentNotFoundException gone) {
            targetGone(context);
            return;
        }
        final long inFlight = Math.max(0, requested - received);
        final long credit = window - inFlight - depth;
        if (credit > 0 && (credit >= batch || inFlight == 0)) {
            requested += credit;
            nextLook = FIRST_LOOK;
            try {
                upstream.request(credit);
            } catch (final RuntimeException broken) { // Reactive Streams rule 3.16 forbids it
                cancelUpstream();
                finish(mapped(() -> messages.onError().apply(broken)), context);
            }
        } else if (inFlight == 0) {
            lookLater(context);
        }
    }

    /** Upstream ended (or was cancelled with an error to report): send the terminal message, then stop. */
    private void finish(final M message, final AgentContext<Upstream> context) {
        upstreamDone = true;
        terminal = message;
        deliverTerminal(context);
    }

    private void deliverTerminal(final AgentContext<Upstream> context) {
        try {
            if (!target.tryTell(Objects.requireNonNull(terminal, "set before it is delivered"))) {
                lookLater(context); // never drop a terminal message while the target lives
                return;
            }
        } catch (final AgentNotFoundException | RuntimeStoppedException gone) {
            // the target ended; nobody to tell
        }
        terminal = null;
        context.stop();
    }

    private void lookLater(final AgentContext<Upstream> context) {
        context.timers().startSingle(Look.INSTANCE, Look.INSTANCE, nextLook);
        final Duration doubled = nextLook.multipliedBy(2);
        nextLook = doubled.compareTo(LAST_LOOK) > 0 ? LAST_LOOK : doubled;
    }

    @Override
    public void onSignal(final Signal signal, final AgentContext<Upstream> context) {
        if (signal instanceof Signal.Terminated terminated && terminated.agent().equals(target.id())) {
            targetGone(context);
        }
    }

    private void targetGone(final AgentContext<Upstream> context) {
        cancelUpstream();
        terminal = null;
        context.stop();
    }

    private void cancelUpstream() {
        if (!upstreamDone) {
            upstreamDone = true;
            upstream.cancel();
        }
    }

    @Override
    public void onStop(final AgentContext<Upstream> context) {
        if (upstreamDone) {
            return;
        }
        cancelUpstream(); // runtime shutdown, or stopped for an overflow
        final MailboxFullException full = overflow.get();
        if (full != null) {
            try {
                target.tryTell(mapped(() -> messages.onError().apply(full)));
            } catch (final RuntimeException gone) {
                // best effort: the publisher broke Reactive Streams rule 1.1
            }
        }
    }

    /** Runs a mapping function and refuses a null result (rule 2.7). */
    private M mapped(final Supplier<? extends M> mapping) {
        return Objects.requireNonNull(mapping.get(), "a FlowMessages function returned null (rule 2.7)");
    }
}
