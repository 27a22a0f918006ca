package com.example.hello;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Reply;
import java.util.Objects;

/**
 * A typed agent: a counter that only it can touch. It adds what it is told to add, answers what it
 * holds when asked, and tells a listener each time the total reaches another multiple of
 * {@code step}.
 *
 * <p>Threading: the runtime runs one message at a time, so {@code total} needs no lock.
 */
public final class Counter implements Agent<Counter.Command> {

    /** What the counter understands. */
    public sealed interface Command permits Add, Get {
    }

    /**
     * Adds {@code amount} to the total.
     *
     * @param amount what to add, at least 0
     */
    public record Add(long amount) implements Command {
        /**
         * Checks the amount.
         *
         * @param amount what to add, at least 0
         */
        public Add {
            if (amount < 0) {
                throw new IllegalArgumentException("amount must be >= 0, was " + amount);
            }
        }
    }

    /**
     * Asks for the total.
     *
     * @param replyTo where the total goes
     */
    public record Get(Reply<Long> replyTo) implements Command {
        /**
         * Checks the reply handle.
         *
         * @param replyTo where the total goes
         */
        public Get {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * Told to the listener when the total reaches or passes a multiple of the step.
     *
     * @param total the total at that moment
     */
    public record Milestone(long total) {
    }

    private final long step;
    private final AgentRef<Milestone> listener;
    private long total;

    /**
     * Creates a counter at zero.
     *
     * @param step     every how much the listener hears, at least 1
     * @param listener who hears of each milestone
     */
    public Counter(final long step, final AgentRef<Milestone> listener) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1, was " + step);
        }
        this.step = step;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void onMessage(final Command command, final AgentContext<Command> context) {
        if (command instanceof Add add) {
            final long before = total;
            total += add.amount();
            if (total / step > before / step) {
                listener.tell(new Milestone(total));
            }
        } else if (command instanceof Get get) {
            get.replyTo().reply(total);
        }
    }
}
