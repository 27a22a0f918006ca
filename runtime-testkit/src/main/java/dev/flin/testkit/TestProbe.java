package dev.flin.testkit;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * An agent that records every message it receives, for a test to assert on: give its
 * {@link #ref()} to the agent under test wherever that agent expects a ref of type {@code M}, then
 * expect what it should have sent. As Pekko's {@code TestProbe}.
 *
 * <p>Every {@code expect...} and {@code receive...} method takes the oldest message not yet taken
 * and fails with an {@link AssertionError} naming what was expected, what arrived (if anything) and
 * the wait, when the expectation does not hold. Waits are on the kit's clock: real time on the
 * worker pool; on the deterministic dispatcher they run its tasks and move its manual clock, so a
 * timer-driven message arrives without any real wait.
 *
 * <p>Threading: the probe's agent appends from its own thread; the {@code expect} and
 * {@code receive} methods belong to the test's thread (on the deterministic dispatcher they must be
 * called from the thread that drives it). The probe's agent handing a message over happens-before
 * the expectation that returns it.
 *
 * @param <M> the type of message the probe accepts
 */
public final class TestProbe<M> {

    private final FlinTestKit kit;
    private final AgentRef<M> ref;
    private final Queue<M> received;

    TestProbe(final FlinTestKit kit, final AgentRef<M> ref, final Queue<M> received) {
        this.kit = kit;
        this.ref = ref;
        this.received = received;
    }

    /** The probe's agent: appends each message to the probe's queue. */
    static <M> Agent<M> recorder(final Queue<M> into) {
        return (final M message, final AgentContext<M> context) -> into.add(message);
    }

    /** @return the probe's ref, to hand to the agents under test */
    public AgentRef<M> ref() {
        return ref;
    }

    /** @return the probe's agent id */
    public AgentId id() {
        return ref.id();
    }

    /** @return how many messages arrived and were not taken yet */
    public int pendingCount() {
        return received.size();
    }

    /**
     * Takes the next message, waiting up to the kit's {@linkplain FlinTestKit#defaultTimeout() default timeout}.
     *
     * @return the message
     * @throws AssertionError if none arrives in time
     */
    public M expectMessage() {
        return expectMessage(kit.defaultTimeout());
    }

    /**
     * Takes the next message, waiting up to {@code within}.
     *
     * @param within how long to wait, on the kit's clock
     * @return the message
     * @throws AssertionError if none arrives in time
     */
    public M expectMessage(final Duration within) {
        return next("a message", within);
    }

    /**
     * Takes the next message and checks that it equals {@code expected}.
     *
     * @param expected the message it must equal
     * @return the message
     * @throws AssertionError if none arrives in time or it differs
     */
    public M expectMessage(final M expected) {
        Objects.requireNonNull(expected, "expected");
        final M message = next(String.valueOf(expected), kit.defaultTimeout());
        if (!expected.equals(message)) {
            throw new AssertionError(describe() + " expected " + expected + " but received " + message);
        }
        return message;
    }

    /**
     * Takes the next message and checks that it is of the given type.
     *
     * @param type the class it must be an instance of
     * @param <T>  that type
     * @return the message, cast
     * @throws AssertionError if none arrives in time or it is of another type
     */
    public <T extends M> T expectMessageOfType(final Class<T> type) {
        return expectMessageOfType(type, kit.defaultTimeout());
    }

    /**
     * Takes the next message and checks that it is of the given type.
     *
     * @param type   the class it must be an instance of
     * @param within how long to wait, on the kit's clock
     * @param <T>    that type
     * @return the message, cast
     * @throws AssertionError if none arrives in time or it is of another type
     */
    public <T extends M> T expectMessageOfType(final Class<T> type, final Duration within) {
        Objects.requireNonNull(type, "type");
        final M message = next("a " + type.getName(), within);
        if (!type.isInstance(message)) {
            throw new AssertionError(describe() + " expected a " + type.getName() + " but received "
                    + message + " (a " + message.getClass().getName() + ")");
        }
        return type.cast(message);
    }

    /**
     * Takes the next message and checks it against a predicate.
     *
     * @param description what the predicate accepts, for the failure message
     * @param predicate   what the message must satisfy
     * @return the message
     * @throws AssertionError if none arrives in time or it does not satisfy the predicate
     */
    public M expectMessageMatching(final String description, final Predicate<? super M> predicate) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        final M message = next(description, kit.defaultTimeout());
        if (!predicate.test(message)) {
            throw new AssertionError(describe() + " expected " + description + " but received " + message);
        }
        return message;
    }

    /**
     * Checks that no message arrives during the kit's {@linkplain FlinTestKit#defaultNoMessageWait()
     * no-message wait}.
     *
     * @throws AssertionError if one does (it is left in place)
     */
    public void expectNoMessage() {
        expectNoMessage(kit.defaultNoMessageWait());
    }

    /**
     * Checks that no message arrives during {@code period} (on the manual clock: the clock moves by
     * {@code period} and every timer due in it fires).
     *
     * @param period how long to watch, on the kit's clock
     * @throws AssertionError if a message arrives (it is left in place)
     */
    public void expectNoMessage(final Duration period) {
        if (kit.waiting().until(() -> !received.isEmpty(), period)) {
            throw new AssertionError(describe() + " expected no message during " + period + " but received "
                    + received.peek());
        }
    }

    /**
     * Takes the next {@code count} messages, waiting up to the default timeout for all of them.
     *
     * @param count how many, at least 0
     * @return them, oldest first
     * @throws AssertionError if fewer arrive in time
     */
    public List<M> receiveMessages(final int count) {
        return receiveMessages(count, kit.defaultTimeout());
    }

    /**
     * Takes the next {@code count} messages.
     *
     * @param count  how many, at least 0
     * @param within how long to wait for all of them, on the kit's clock
     * @return them, oldest first
     * @throws AssertionError if fewer arrive in time
     */
    public List<M> receiveMessages(final int count, final Duration within) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, was " + count);
        }
        if (!kit.waiting().until(() -> received.size() >= count, within)) {
            throw new AssertionError(describe() + " expected " + count + " messages within " + within
                    + " but received " + received.size() + ": " + List.copyOf(received));
        }
        final List<M> messages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            messages.add(received.remove());
        }
        return messages;
    }

    /**
     * Takes messages until one satisfies the predicate, discarding the others, waiting up to the
     * default timeout in all.
     *
     * @param description what the predicate accepts, for the failure message
     * @param predicate   what the message looked for satisfies
     * @return the first message that satisfies it
     * @throws AssertionError if none arrives in time (the discarded ones are listed)
     */
    public M fishForMessage(final String description, final Predicate<? super M> predicate) {
        return fishForMessage(description, predicate, kit.defaultTimeout());
    }

    /**
     * Takes messages until one satisfies the predicate, discarding the others.
     *
     * @param description what the predicate accepts, for the failure message
     * @param predicate   what the message looked for satisfies
     * @param within      how long to look, in all, on the kit's clock
     * @return the first message that satisfies it
     * @throws AssertionError if none arrives in time (the discarded ones are listed)
     */
    public M fishForMessage(final String description, final Predicate<? super M> predicate, final Duration within) {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(predicate, "predicate");
        final List<M> discarded = new ArrayList<>();
        final Object[] found = new Object[1];
        final boolean ok = kit.waiting().until(() -> {
            M message;
            while ((message = received.poll()) != null) {
                if (predicate.test(message)) {
                    found[0] = message;
                    return true;
                }
                discarded.add(message);
            }
            return false;
        }, within);
        if (!ok) {
            throw new AssertionError(describe() + " fished for " + description + " for " + within
                    + " without finding it; discarded " + discarded);
        }
        @SuppressWarnings("unchecked") // only messages of the probe's queue go there
        final M message = (M) found[0];
        return message;
    }

    private M next(final String expected, final Duration within) {
        if (!kit.waiting().until(() -> !received.isEmpty(), within)) {
            throw new AssertionError(describe() + " expected " + expected + " within " + within + " but received nothing");
        }
        return received.remove();
    }

    private String describe() {
        return "probe " + ref.id();
    }

    /** @return the probe's queue type, for the kit */
    static <M> Queue<M> newQueue() {
        return new ConcurrentLinkedQueue<>();
    }

    @Override
    public String toString() {
        return "TestProbe[" + ref.id() + ", " + ref.messageType().getSimpleName() + ", " + received.size() + " pending]";
    }
}
