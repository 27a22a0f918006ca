package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link ForwardingRuntime} whose users see ids of its own, mapped to the real runtime's ids:
 * refs, lookups, control calls, errors, signals and system events all translate. Ids are handed out
 * in order from a first value; with {@code reuse}, the id of a terminated agent goes back to a free
 * list and the next spawn gets it (the fault of {@link ReusesIds}). Without reuse it is a correct
 * runtime whose ids never coincide with the real ones (the matrix's control that the translation
 * itself is sound).
 *
 * <p>An id nobody was given (a kit's made-up id, or a freed one) maps to a phantom real id the real
 * runtime never issued, so it answers "not found" the way an unknown id must.
 *
 * <p>Threading: any thread; the maps are concurrent and an id is allocated under a lock (once per
 * agent).
 */
public class IdTranslatingRuntime extends ForwardingRuntime {

    private final boolean reuse;
    private final AtomicLong next;
    private final AtomicLong phantoms = new AtomicLong(Long.MAX_VALUE);
    private final ConcurrentHashMap<AgentId, AgentId> toExported = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<AgentId, AgentId> toReal = new ConcurrentHashMap<>();
    private final Set<AgentId> allocatedReals = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedDeque<AgentId> free = new ConcurrentLinkedDeque<>();
    private final Object allocation = new Object();

    /**
     * @param delegate  the real runtime
     * @param firstId   the first id handed out
     * @param reuse     whether the id of a terminated agent is handed out again
     */
    public IdTranslatingRuntime(final AgentRuntime delegate, final long firstId, final boolean reuse) {
        super(delegate);
        this.next = new AtomicLong(firstId);
        this.reuse = reuse;
    }

    /**
     * runtime-core built with {@code options}, behind the translating wrapper {@code wrap} makes; the
     * options' dead-letter observer, if any, sees the wrapper's ids, as a DEAD_LETTERS subscriber
     * does. The wrapper is bound before anything is spawned through it, so before any dead letter.
     *
     * @param options runtime-core's options
     * @param wrap    makes the wrapper around the real runtime
     * @param <R>     the wrapper's type
     * @return the wrapper
     */
    static <R extends IdTranslatingRuntime> R overCore(final RuntimeOptions options,
            final Function<AgentRuntime, R> wrap) {
        final DeadLetterObserver observer = options.deadLetterObserver();
        if (observer == null) {
            return wrap.apply(FlinRuntime.create(options));
        }
        final AtomicReference<IdTranslatingRuntime> wrapper = new AtomicReference<>();
        final R created = wrap.apply(FlinRuntime.create(options.withDeadLetterObserver(letter -> observer.onDeadLetter(
                (DeadLetter) Objects.requireNonNull(wrapper.get(), "wrapper").translateIncoming(letter)))));
        wrapper.set(created);
        return created;
    }

    @Override
    protected boolean translatesIds() {
        return true;
    }

    @Override
    protected AgentId exportId(final AgentId real) {
        Objects.requireNonNull(real, "real");
        final AgentId known = toExported.get(real);
        if (known != null) {
            return known;
        }
        final AgentId exported;
        synchronized (allocation) {
            final AgentId raced = toExported.get(real);
            if (raced != null) {
                return raced;
            }
            final AgentId recycled = reuse ? free.pollFirst() : null;
            exported = recycled != null ? recycled : new AgentId(next.getAndIncrement());
            toReal.put(exported, real);
            toExported.put(real, exported);
            allocatedReals.add(real);
        }
        if (reuse) {
            delegate.whenTerminated(real).thenRun(() -> release(real));
        }
        return exported;
    }

    @Override
    protected AgentId importId(final AgentId exported) {
        Objects.requireNonNull(exported, "id");
        final AgentId real = toReal.get(exported);
        if (real != null) {
            return real;
        }
        synchronized (allocation) {
            final AgentId raced = toReal.get(exported);
            if (raced != null) {
                return raced;
            }
            final AgentId phantom = new AgentId(phantoms.getAndDecrement());
            toReal.put(exported, phantom);
            toExported.put(phantom, exported);
            return phantom;
        }
    }

    /** The agent with this real id terminated: with reuse, its exported id becomes free. */
    private void release(final AgentId real) {
        if (!reuse || !allocatedReals.remove(real)) {
            return;
        }
        synchronized (allocation) {
            final AgentId exported = toExported.get(real);
            if (exported != null && toReal.remove(exported, real)) {
                free.addFirst(exported);
            }
        }
    }

    @Override
    public CompletionStage<TerminationCause> whenTerminated(final AgentId target) {
        final AgentId real = importId(Objects.requireNonNull(target, "target"));
        // release before the caller sees the termination, so "terminated, then spawn" reuses the id
        return delegate.whenTerminated(real).thenApply(cause -> {
            release(real);
            return cause;
        });
    }
}
