package dev.flin.conformance;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A probe agent: records every message and signal it receives, counts instances, starts and stops,
 * and detects overlapping callbacks (rule 1.1). An optional behaviour runs after each message is
 * recorded. The probe's records are shared with the kit on purpose; agents under test never do this.
 *
 * <p>Threading: the record accessors are safe from any thread; the behaviour runs on the agent
 * thread.
 *
 * @param <M> the message type
 */
public final class Recorder<M> {

    /** What to do with a message after it was recorded. */
    @FunctionalInterface
    public interface Behaviour<M> {
        /**
         * @param message the message
         * @param context the agent's context
         * @throws Exception to make the agent fail
         */
        void handle(M message, AgentContext<M> context) throws Exception;
    }

    private final Kit kit;
    private final ConcurrentLinkedQueue<M> messages = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Signal> signals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger instances = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicBoolean overlap = new AtomicBoolean();
    private volatile Behaviour<M> behaviour = (m, c) -> { };
    private volatile AgentRef<M> ref;

    Recorder(final Kit kit) {
        this.kit = kit;
    }

    void bind(final AgentRef<M> boundRef) {
        this.ref = boundRef;
    }

    /** @return the probe's ref */
    public AgentRef<M> ref() {
        return ref;
    }

    /** @return the probe's id */
    public AgentId id() {
        return ref.id();
    }

    /**
     * @param next what to do after recording each message from now on
     * @return this
     */
    public Recorder<M> behave(final Behaviour<M> next) {
        this.behaviour = next;
        return this;
    }

    /** @return the messages received so far, in order */
    public List<M> messages() {
        return new ArrayList<>(messages);
    }

    /** @return the signals received so far, in order */
    public List<Signal> signals() {
        return new ArrayList<>(signals);
    }

    /** @return how many messages were received */
    public int count() {
        return messages.size();
    }

    /** @return instances the factory made */
    public int instances() {
        return instances.get();
    }

    /** @return completed {@code onStart} calls */
    public int starts() {
        return starts.get();
    }

    /** @return {@code onStop} calls */
    public int stops() {
        return stops.get();
    }

    /** @return whether two callbacks of this agent ever overlapped */
    public boolean overlapSeen() {
        return overlap.get();
    }

    /**
     * Waits until at least {@code n} messages arrived.
     *
     * @param n how many
     */
    public void awaitCount(final int n) {
        kit.await(ref + " to receive " + n + " messages (has " + count() + ")", () -> count() >= n);
    }

    Agent<M> newInstance() {
        instances.incrementAndGet();
        return new Agent<>() {
            @Override
            public void onStart(final AgentContext<M> context) {
                enter();
                try {
                    starts.incrementAndGet();
                } finally {
                    exit();
                }
            }

            @Override
            public void onMessage(final M message, final AgentContext<M> context) throws Exception {
                enter();
                try {
                    messages.add(message);
                    behaviour.handle(message, context);
                } finally {
                    exit();
                }
            }

            @Override
            public void onSignal(final Signal signal, final AgentContext<M> context) {
                enter();
                try {
                    signals.add(signal);
                } finally {
                    exit();
                }
            }

            @Override
            public void onStop(final AgentContext<M> context) {
                enter();
                try {
                    stops.incrementAndGet();
                } finally {
                    exit();
                }
            }
        };
    }

    private void enter() {
        if (inside.incrementAndGet() != 1) {
            overlap.set(true);
        }
    }

    private void exit() {
        inside.decrementAndGet();
    }
}
