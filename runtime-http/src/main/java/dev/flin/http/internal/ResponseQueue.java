package dev.flin.http.internal;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The one ordered queue of a connection's exchanges (rule 9.1): every request gets its entry, in
 * arrival order, as soon as its head is decoded, and responses leave from the front only, so they
 * are written in request order however their handlers finish. It also counts what bounds a
 * connection ({@code maxPipelinedRequests}): exchanges at handler agents, and answered ones whose
 * responses wait in memory for their turn.
 *
 * <p>Threading: event-loop confined, like the connection that owns it.
 */
final class ResponseQueue implements Iterable<Exchange> {

    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();
    private int dispatched;
    private int answered;

    void add(final Exchange ex) {
        exchanges.addLast(ex);
    }

    boolean isEmpty() {
        return exchanges.isEmpty();
    }

    int size() {
        return exchanges.size();
    }

    /** @return the oldest exchange, whose response goes next; null if none */
    Exchange first() {
        return exchanges.peekFirst();
    }

    /** @return handlers running plus answers not yet written: what maxPipelinedRequests bounds */
    int busy() {
        return dispatched + answered;
    }

    /** Moves {@code ex} to {@code stage}, keeping the counts of dispatched and answered exchanges. */
    void move(final Exchange ex, final Exchange.Stage stage) {
        count(ex.stage, -1);
        ex.stage = stage;
        count(stage, +1);
    }

    /** Takes the first exchange off the queue as written. */
    Exchange pollWritten() {
        final Exchange ex = exchanges.pollFirst();
        move(ex, Exchange.Stage.WRITTEN);
        return ex;
    }

    /** Removes an exchange that leaves the connection without a response here (a WebSocket upgrade). */
    void remove(final Exchange ex) {
        exchanges.remove(ex);
        count(ex.stage, -1);
    }

    /** Marks every exchange abandoned and empties the queue; the caller has iterated it first. */
    void clearAbandoned() {
        for (final Exchange ex : exchanges) {
            ex.stage = Exchange.Stage.ABANDONED;
        }
        exchanges.clear();
        dispatched = 0;
        answered = 0;
    }

    @Override
    public Iterator<Exchange> iterator() {
        return exchanges.iterator();
    }

    private void count(final Exchange.Stage stage, final int delta) {
        if (stage == Exchange.Stage.DISPATCHED) {
            dispatched += delta;
        } else if (stage == Exchange.Stage.ANSWERED) {
            answered += delta;
        }
    }
}
