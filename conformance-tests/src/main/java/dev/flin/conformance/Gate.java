package dev.flin.conformance;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds an agent inside a callback until the check releases it: the way to keep messages in a
 * mailbox without relying on pause. The hold is bounded by the kit's await timeout.
 *
 * <p>Threading: {@link #hold} on the agent thread; the other methods on the check's threads.
 */
public final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final Kit kit;

    /**
     * @param kit the check's kit
     */
    public Gate(final Kit kit) {
        this.kit = kit;
    }

    /**
     * Agent thread: signals entry and waits for the release.
     *
     * @throws InterruptedException if the runtime interrupts the agent thread
     */
    public void hold() throws InterruptedException {
        entered.countDown();
        if (!released.await(kit.holdLimit().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("gate never released");
        }
    }

    /** Waits until an agent is inside {@link #hold}. */
    public void awaitEntered() {
        kit.await("the agent to enter the gate", () -> entered.getCount() == 0);
    }

    /** Lets the agent go on. */
    public void release() {
        released.countDown();
    }
}
