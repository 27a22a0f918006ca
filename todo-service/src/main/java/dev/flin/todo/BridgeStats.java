package dev.flin.todo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@link TodoBridge}'s figures, shown under {@code "bridge"} in {@code /api/stats}. Shared by
 * every instance its restart policy makes, so they cover the bridge's whole life.
 *
 * <p>Threading: written by the bridge's agent thread, read from any thread; each figure is
 * atomic on its own (a reader may see one figure updated and not yet the next).
 */
final class BridgeStats {

    private final String node;
    private final AtomicLong notifications = new AtomicLong();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong resynchronised = new AtomicLong();
    private final AtomicLong readFromLog = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong disconnects = new AtomicLong();
    private final AtomicLong lastSequence = new AtomicLong(-1);
    private volatile boolean connected;
    private final java.util.concurrent.CompletableFuture<Long> firstConnection = new java.util.concurrent.CompletableFuture<>();

    BridgeStats(final String node) {
        this.node = node;
    }

    void notification() {
        notifications.incrementAndGet();
    }

    void published(final long sequence) {
        published.incrementAndGet();
        lastSequence.set(sequence);
    }

    void countResynchronised() {
        resynchronised.incrementAndGet();
    }

    void readFromLog() {
        readFromLog.incrementAndGet();
    }

    void duplicate() {
        duplicates.incrementAndGet();
    }

    void dropped(final long count, final long lastMissing) {
        dropped.addAndGet(count);
        lastSequence.set(lastMissing);
    }

    void startedAt(final long sequence) {
        lastSequence.set(sequence);
    }

    void connected() {
        connects.incrementAndGet();
        connected = true;
        firstConnection.complete(lastSequence.get());
    }

    /** @return completed with the starting sequence number when the bridge first listens */
    java.util.concurrent.CompletableFuture<Long> firstConnection() {
        return firstConnection.copy();
    }

    void disconnected() {
        if (connected) {
            disconnects.incrementAndGet();
        }
        connected = false;
    }

    /** @return changes published on the local topic */
    long published() {
        return published.get();
    }

    /** @return changes the bridge knows were committed but could not publish (gone from the log) */
    long dropped() {
        return dropped.get();
    }

    /** @return changes published from the log after a reconnect or a gap, not from a notification */
    long resynchronised() {
        return resynchronised.get();
    }

    /** @return connections made, the first one included */
    long connects() {
        return connects.get();
    }

    /** @return the last sequence number published (or dropped); -1 before the first connection */
    long lastSequence() {
        return lastSequence.get();
    }

    /** @return whether the listening connection is up */
    boolean isConnected() {
        return connected;
    }

    /** @return the figures by name, for {@code /api/stats} */
    Map<String, Object> asMap() {
        final Map<String, Object> map = new LinkedHashMap<>();
        map.put("node", node);
        map.put("connected", connected);
        map.put("lastSequence", lastSequence.get());
        map.put("notifications", notifications.get());
        map.put("published", published.get());
        map.put("resynchronised", resynchronised.get());
        map.put("readFromLog", readFromLog.get());
        map.put("duplicatesSkipped", duplicates.get());
        map.put("dropped", dropped.get());
        map.put("connects", connects.get());
        map.put("disconnects", disconnects.get());
        return map;
    }
}
