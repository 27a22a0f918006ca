package dev.flin.flow;

import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting for a condition without sleeping a fixed time: polls with short parks until it holds,
 * and fails after a generous deadline that only a broken implementation reaches. No test depends
 * on how long anything takes.
 */
final class Await {

    static final Duration DEADLINE = Duration.ofSeconds(20);

    private Await() {
    }

    static void until(final String what, final BooleanSupplier condition) {
        until(() -> what, condition);
    }

    static void until(final Supplier<String> what, final BooleanSupplier condition) {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + DEADLINE + ": " + what.get());
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /**
     * Publishes {@code event} again while its one subscriber's buffer is full (a lossless
     * publisher over a lossy topic, rule 6.6); fails if the subscriber leaves, or if the buffer
     * never drains before the deadline (a stalled stream).
     */
    static <E> void publishUntilTaken(final AgentRuntime runtime, final Topic<E> topic, final E event) {
        final long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (runtime.publish(topic, event) == 0) {
            if (runtime.subscriberCount(topic) != 1) {
                fail("the subscriber left " + topic.name() + " while " + event + " was being published");
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the stream on " + topic.name() + " stalled: " + event + " not taken within " + DEADLINE);
            }
            Thread.onSpinWait();
        }
    }
}
