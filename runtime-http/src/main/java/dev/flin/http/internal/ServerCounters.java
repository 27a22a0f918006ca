package dev.flin.http.internal;

import dev.flin.http.ExpiredAsks;
import dev.flin.http.HttpServerStats;
import dev.flin.http.internal.ws.WebSocketSupport;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The counters of one server, and its in-flight gauge.
 *
 * <p>Threading: thread-safe. The counters are {@link LongAdder}s, written by every event loop and
 * handler agent without contention and read as a sum; a snapshot reads them one after the other,
 * so it is exact only at quiescence. The in-flight gauge is an {@link AtomicLong} because admission
 * (rule 9.3, {@code maxInFlightRequests}) needs the value of its own increment.
 *
 * <p>Draining (rule 9.8): {@link #startDraining()} is a volatile write followed by a volatile read
 * of the gauge, and {@link #requestFinished()} a volatile decrement followed by a volatile read
 * of the flag; since volatile accesses are sequentially consistent, whichever of the two comes last
 * sees the other and completes {@link #drained()}, so the last request to finish never goes unseen.
 */
final class ServerCounters {

    final LongAdder connectionsAccepted = new LongAdder();
    final LongAdder connectionsRefused = new LongAdder();
    final LongAdder requestsAccepted = new LongAdder();
    final LongAdder responses2xx = new LongAdder();
    final LongAdder responses4xx = new LongAdder();
    final LongAdder responses5xx = new LongAdder();
    final LongAdder rejectedOverload = new LongAdder();
    final LongAdder askTimeouts = new LongAdder();
    final LongAdder handlerFailures = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder responsesLost = new LongAdder();
    final LongAdder droppedNotReading = new LongAdder();
    final LongAdder rejectedMemory = new LongAdder();
    final LongAdder rejectedOrigin = new LongAdder();
    /** Requests a handler agent dropped unrun because their client had already been answered 504 (rule 9.10). */
    final ExpiredAsks expired = ExpiredAsks.create();

    /** Connections open now: the gauge {@code maxConnections} bounds (an atomic, for the admission check). */
    private final AtomicInteger connectionsOpen = new AtomicInteger();

    private final AtomicLong inFlight = new AtomicLong();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private volatile boolean draining;

    /**
     * Admits a new connection if fewer than {@code max} are open (rule 9.10).
     *
     * @return whether it was admitted; if so, {@link #connectionClosed()} must follow once it closes
     */
    boolean tryOpenConnection(final int max) {
        while (true) {
            final int open = connectionsOpen.get();
            if (open >= max) {
                connectionsRefused.increment();
                return false;
            }
            if (connectionsOpen.compareAndSet(open, open + 1)) {
                connectionsAccepted.increment();
                return true;
            }
        }
    }

    /** An admitted connection closed. */
    void connectionClosed() {
        connectionsOpen.decrementAndGet();
    }

    /**
     * Counts a request as accepted and in flight.
     *
     * @return the number of requests in flight, this one included
     */
    long requestAccepted() {
        requestsAccepted.increment();
        return inFlight.incrementAndGet();
    }

    /** An accepted request was answered (its response handed to the channel) or lost with its connection. */
    void requestFinished() {
        if (inFlight.decrementAndGet() == 0 && draining) {
            drained.complete(null);
        }
    }

    /** Counts a response by its status class. */
    void responseWritten(final int status) {
        if (status >= 500) {
            responses5xx.increment();
        } else if (status >= 400) {
            responses4xx.increment();
        } else {
            responses2xx.increment();
        }
    }

    /** From now on {@link #drained()} completes when nothing is in flight. Idempotent. */
    void startDraining() {
        draining = true;
        if (inFlight.get() == 0) {
            drained.complete(null);
        }
    }

    /** @return whether {@link #startDraining()} was called */
    boolean isDraining() {
        return draining;
    }

    /** @return completed once draining started and no request is in flight */
    CompletableFuture<Void> drained() {
        return drained;
    }

    /** @return requests accepted and not yet answered */
    long inFlight() {
        return inFlight.get();
    }

    HttpServerStats snapshot(final WebSocketSupport webSockets, final RequestMemory memory) {
        return HttpServerStats.builder()
                .connectionsOpen(connectionsOpen.get())
                .connectionsAccepted(connectionsAccepted.sum())
                .requestsAccepted(requestsAccepted.sum())
                .requestsInFlight(inFlight.get())
                .responses2xx(responses2xx.sum())
                .responses4xx(responses4xx.sum())
                .responses5xx(responses5xx.sum())
                .rejectedOverload(rejectedOverload.sum())
                .askTimeouts(askTimeouts.sum())
                .handlerFailures(handlerFailures.sum())
                .wsConnectionsOpen(webSockets == null ? 0 : webSockets.openConnections())
                .wsFramesOut(webSockets == null ? 0 : webSockets.framesOut())
                .wsDroppedSlow(webSockets == null ? 0 : webSockets.droppedSlow())
                .wsRefusedUpgrades(webSockets == null ? 0 : webSockets.refusedUpgrades())
                .protocolErrors(protocolErrors.sum())
                .responsesLost(responsesLost.sum())
                .droppedNotReading(droppedNotReading.sum())
                .connectionsRefused(connectionsRefused.sum())
                .rejectedMemory(rejectedMemory.sum())
                .rejectedOrigin(rejectedOrigin.sum())
                .requestsExpired(expired.dropped())
                .requestBytesBuffered(memory.reserved())
                .build();
    }
}
