package dev.flin.testkit;

import dev.flin.runtime.Reply;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Reply} handle a test puts into a request message itself, instead of asking: send
 * {@code new Get(key, replyProbe)} to the agent under test, then {@link #expectReply()} or
 * {@link #expectFailure(Class)}. Unlike an ask it has no timeout of its own, so a test can also check
 * that an agent did <em>not</em> answer ({@link #expectNoReply}), and it counts completions after
 * the first ({@link #lateCompletions()}), which an agent that replies twice makes.
 *
 * <p>Threading: {@link #reply}, {@link #fail} and {@link #isCompleted} from any thread (the agent's);
 * the {@code expect} methods from the test's thread. Completing happens-before the expectation that
 * returns the outcome.
 *
 * @param <R> the reply type
 */
public final class ReplyProbe<R> implements Reply<R> {

    /** What completed the probe: a value (possibly null) or a failure. */
    private record Outcome(@Nullable Object value, @Nullable Throwable failure) {
    }

    private final FlinTestKit kit;
    private final AtomicReference<Outcome> outcome = new AtomicReference<>();
    private final AtomicInteger lateCompletions = new AtomicInteger();

    ReplyProbe(final FlinTestKit kit) {
        this.kit = kit;
    }

    @Override
    public boolean reply(final @Nullable R value) {
        return complete(new Outcome(value, null));
    }

    @Override
    public boolean fail(final Throwable cause) {
        Objects.requireNonNull(cause, "cause");
        return complete(new Outcome(null, cause));
    }

    private boolean complete(final Outcome completion) {
        if (outcome.compareAndSet(null, completion)) {
            return true;
        }
        lateCompletions.incrementAndGet();
        return false;
    }

    @Override
    public boolean isCompleted() {
        return outcome.get() != null;
    }

    /** @return how many times an agent tried to complete this probe after it was completed */
    public int lateCompletions() {
        return lateCompletions.get();
    }

    /**
     * Waits up to the kit's default timeout for a reply value.
     *
     * @return the value (null if the agent replied null)
     * @throws AssertionError if none comes in time, or the reply is a failure
     */
    public @Nullable R expectReply() {
        return expectReply(kit.defaultTimeout());
    }

    /**
     * Waits for a reply value.
     *
     * @param within how long, on the kit's clock
     * @return the value (null if the agent replied null)
     * @throws AssertionError if none comes in time, or the reply is a failure
     */
    public @Nullable R expectReply(final Duration within) {
        final Outcome got = await(within, "a reply");
        if (got.failure() != null) {
            throw new AssertionError("expected a reply but the request failed with " + got.failure(), got.failure());
        }
        @SuppressWarnings("unchecked") // only reply(R) stores a value
        final @Nullable R value = (R) got.value();
        return value;
    }

    /**
     * Waits for the request to fail with a cause of the given type.
     *
     * @param type the cause's class
     * @param <T>  its type
     * @return the cause
     * @throws AssertionError if nothing comes in time, a value comes, or the cause has another type
     */
    public <T extends Throwable> T expectFailure(final Class<T> type) {
        Objects.requireNonNull(type, "type");
        final Outcome got = await(kit.defaultTimeout(), "a failure of type " + type.getName());
        if (got.failure() == null) {
            throw new AssertionError("expected a failure of type " + type.getName() + " but got the reply " + got.value());
        }
        if (!type.isInstance(got.failure())) {
            throw new AssertionError("expected a failure of type " + type.getName() + " but got " + got.failure(),
                    got.failure());
        }
        return type.cast(got.failure());
    }

    /**
     * Checks that nothing completes the probe during {@code period}.
     *
     * @param period how long to watch, on the kit's clock
     * @throws AssertionError if it is completed
     */
    public void expectNoReply(final Duration period) {
        if (kit.waiting().until(this::isCompleted, period)) {
            final Outcome got = Objects.requireNonNull(outcome.get(), "completed");
            throw new AssertionError("expected no reply during " + period + " but got "
                    + (got.failure() != null ? "the failure " + got.failure() : "the reply " + got.value()));
        }
    }

    private Outcome await(final Duration within, final String expected) {
        if (!kit.waiting().until(this::isCompleted, within)) {
            throw new AssertionError("expected " + expected + " within " + within + " but the request was not answered");
        }
        return Objects.requireNonNull(outcome.get(), "completed");
    }

    @Override
    public String toString() {
        final Outcome got = outcome.get();
        return got == null ? "ReplyProbe[pending]"
                : got.failure() != null ? "ReplyProbe[failed: " + got.failure() + "]" : "ReplyProbe[" + got.value() + "]";
    }
}
