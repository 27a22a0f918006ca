package dev.flin.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A subscriber that records what it is signalled and checks, as signals arrive, the rules a
 * publisher owes it: onSubscribe first and once (Reactive Streams rule 1.9), signals never
 * concurrent (1.3), never more onNext than requested through {@link #request} (1.1), nothing after
 * a terminal signal (1.7). A broken rule is recorded in {@link #violations()}.
 *
 * <p>Threading: signals from any thread (serially, if the publisher is right); the accessors from
 * any thread.
 *
 * @param <T> the element type
 */
final class RecordingSubscriber<T> implements Flow.Subscriber<T> {

    final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
    final CompletableFuture<Throwable> terminated = new CompletableFuture<>();
    private final List<T> received = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final AtomicBoolean inSignal = new AtomicBoolean();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger onCompleteCalls = new AtomicInteger();

    /** Requests through the subscription, counting first, so onNext can check rule 1.1. */
    void request(final long n) {
        requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        subscription.join().request(n);
    }

    void cancel() {
        subscription.join().cancel();
    }

    synchronized List<T> received() {
        return List.copyOf(received);
    }

    synchronized int count() {
        return received.size();
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** @return whether onComplete was signalled */
    boolean completed() {
        return onCompleteCalls.get() > 0;
    }

    /** @return the error signalled, or null */
    Throwable error() {
        return terminated.isDone() ? terminated.join() : null;
    }

    @Override
    public void onSubscribe(final Flow.Subscription s) {
        enter("onSubscribe");
        if (!subscription.complete(s)) {
            violation("a second onSubscribe (Reactive Streams rule 1.9)");
        }
        leave();
    }

    @Override
    public void onNext(final T item) {
        enter("onNext");
        synchronized (this) {
            if (!subscription.isDone()) {
                violation("onNext before onSubscribe (Reactive Streams rule 1.9)");
            }
            if (terminated.isDone()) {
                violation("onNext after the end (Reactive Streams rule 1.7)");
            }
            received.add(item);
            if (received.size() > requested.get()) {
                violation("onNext #" + received.size() + " with " + requested.get() + " requested (Reactive Streams rule 1.1)");
            }
        }
        leave();
    }

    @Override
    public void onError(final Throwable throwable) {
        enter("onError");
        if (!terminated.complete(throwable)) {
            violation("a second terminal signal (Reactive Streams rule 1.7)");
        }
        leave();
    }

    @Override
    public void onComplete() {
        enter("onComplete");
        onCompleteCalls.incrementAndGet();
        if (!terminated.complete(null)) {
            violation("a second terminal signal (Reactive Streams rule 1.7)");
        }
        leave();
    }

    private void enter(final String signal) {
        if (!inSignal.compareAndSet(false, true)) {
            violation(signal + " concurrent with another signal (Reactive Streams rule 1.3)");
        }
    }

    private void leave() {
        inSignal.set(false);
    }

    private synchronized void violation(final String what) {
        violations.add(what);
    }
}
