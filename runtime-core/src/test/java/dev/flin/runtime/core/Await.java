package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.MailboxFullException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting without sleeping: every helper waits for a condition, a latch or a stage, with a
 * generous deadline after which the test fails. Deadlines only bound a broken runtime; a correct
 * one never gets near them, so no test depends on timing.
 */
final class Await {

    /** The default deadline of every wait. */
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Await() {
    }

    /**
     * Polls {@code condition} (spin, then short parks) until it holds; fails after {@code deadline}.
     */
    static void awaitTrue(final BooleanSupplier condition, final Duration deadline) {
        awaitTrue(() -> "condition", condition, deadline);
    }

    /** {@link #awaitTrue(BooleanSupplier, Duration)} with the default deadline. */
    static void awaitTrue(final BooleanSupplier condition) {
        awaitTrue(condition, TIMEOUT);
    }

    /** Same, with a description of what was awaited for the failure message. */
    static void awaitTrue(final String what, final BooleanSupplier condition) {
        awaitTrue(() -> what, condition, TIMEOUT);
    }

    /** Same, with a lazily built description (e.g. including the current value). */
    static void awaitTrue(final Supplier<String> what, final BooleanSupplier condition, final Duration deadline) {
        final long end = System.nanoTime() + deadline.toNanos();
        int rounds = 0;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                fail("timed out after " + deadline + " waiting for: " + what.get());
            }
            if (++rounds < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(200_000L);
            }
        }
    }

    /** Waits for a latch; fails after the default deadline. */
    static void await(final CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("timed out after " + TIMEOUT + " waiting for a latch at " + latch.getCount());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted", e);
        }
    }

    /** Gets a stage's value; fails after the default deadline; rethrows its failure as the cause. */
    static <T> T get(final CompletionStage<T> stage) throws ExecutionException {
        try {
            return stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (TimeoutException e) {
            throw new AssertionError("stage not completed within " + TIMEOUT, e);
        }
    }

    /** {@link #get} for stages expected to succeed. */
    static <T> T value(final CompletionStage<T> stage) {
        try {
            return get(stage);
        } catch (ExecutionException e) {
            throw new AssertionError("stage failed", e.getCause());
        }
    }

    /**
     * Tells, retrying while the mailbox is full (the receiver is draining it); fails if it stays
     * full past the deadline.
     */
    static <M> void tellRetrying(final AgentRef<M> ref, final M message) {
        long end = 0;
        while (true) {
            try {
                ref.tell(message);
                return;
            } catch (MailboxFullException e) {
                final long now = System.nanoTime();
                if (end == 0) {
                    end = now + TIMEOUT.toNanos();
                } else if (now - end > 0) {
                    throw new AssertionError("mailbox of " + ref.id() + " stayed full for " + TIMEOUT, e);
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Joins a thread; fails after the default deadline. */
    static void join(final Thread thread) {
        try {
            thread.join(TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted", e);
        }
        if (thread.isAlive()) {
            fail("thread " + thread.getName() + " did not finish within " + TIMEOUT);
        }
    }

    /** @return the live threads whose name starts with {@code prefix} */
    static List<Thread> liveThreadsNamed(final String prefix) {
        final List<Thread> live = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix) && thread.isAlive()) {
                live.add(thread);
            }
        }
        return live;
    }
}
