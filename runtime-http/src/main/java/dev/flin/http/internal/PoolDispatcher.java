package dev.flin.http.internal;

import dev.flin.http.ExpiredAsks;
import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BiConsumer;
import java.util.function.IntConsumer;

/**
 * {@link dev.flin.http.HandlerMode#POOL}: a fixed pool of long-lived handler agents
 * ({@link RestartPolicy#always} with a short backoff), fed round-robin.
 *
 * <p>Admission keeps every mailbox within its bound without ever filling it: each pool agent may
 * have at most {@code mailboxCapacity} requests outstanding (from the send of the request until the
 * agent has answered it). A request occupies at most one message in the mailbox at a time (its
 * {@code Handle}, later its {@code Settle} or {@code Expire}), so the mailbox can never refuse the
 * agent's own {@code pipeToSelf} result or timer, and the answer of an accepted request is never
 * lost. When every agent is at its bound the request is refused at once: 503 (rule 9.3).
 *
 * <p>Threading: thread-safe. The outstanding counts are an {@link AtomicIntegerArray}: acquired by
 * CAS on the event loops, released by the agents.
 */
final class PoolDispatcher implements HandlerDispatcher {

    private static final Backoff RESTART_BACKOFF = Backoff.exponential(Duration.ofMillis(1), Duration.ofMillis(200));

    private final AgentRuntime runtime;
    private final List<AgentRef<HandlerMessage>> agents;
    private final AtomicIntegerArray outstanding;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final int capacity;

    PoolDispatcher(final AgentRuntime runtime, final ServerHandlerContext handlerContext, final ErrorResponses errors,
            final ExpiredAsks expired, final int poolSize, final int mailboxCapacity) {
        this.runtime = runtime;
        this.capacity = mailboxCapacity;
        this.outstanding = new AtomicIntegerArray(poolSize);
        final SpawnOptions options = SpawnOptions.defaults().withMailboxCapacity(mailboxCapacity)
                .withRestartPolicy(RestartPolicy.always(RESTART_BACKOFF));
        final IntConsumer release = releaser(outstanding);
        final List<AgentRef<HandlerMessage>> spawned = new ArrayList<>(poolSize);
        try {
            for (int i = 0; i < poolSize; i++) {
                // one Promises per agent, handed to each of its instances: a restart keeps them
                final HandlerAgent.Promises promises = new HandlerAgent.Promises();
                spawned.add(runtime.spawn(HandlerMessage.class,
                        () -> new HandlerAgent(handlerContext, errors, expired, release, false, promises), options));
            }
        } catch (final RuntimeException e) {
            for (final AgentRef<HandlerMessage> agent : spawned) {
                stopQuietly(agent);
            }
            throw e;
        }
        this.agents = List.copyOf(spawned);
    }

    @Override
    public boolean dispatch(final HttpRequest request, final HttpHandler handler, final long deadlineNanos,
            final BiConsumer<HandlerResult, Throwable> onResult) {
        final int n = agents.size();
        final int first = Math.floorMod(next.getAndIncrement(), n);
        for (int k = 0; k < n; k++) {
            final int slot = (first + k) % n;
            if (!tryAcquire(slot)) {
                continue;
            }
            CompletionStage<HandlerResult> stage;
            try {
                stage = agents.get(slot).ask(reply -> new HandlerMessage.Handle(request, handler, slot, deadlineNanos, reply),
                        HandlerDispatcher.timeLeft(deadlineNanos));
            } catch (final RuntimeException e) {
                stage = CompletableFuture.failedFuture(e);
            }
            // A refused send completes the stage before ask returns (rule 5.3): the agent never saw
            // the request, so its slot is free again. Only a refusal: an accepted ask can also have
            // timed out by now (a stalled loop), and then the agent releases the slot itself.
            if (refused(stage)) {
                release(slot);
            }
            stage.whenComplete(onResult);
            return true;
        }
        return false;
    }

    /** @return the pool's agents, for tests and diagnostics */
    List<AgentRef<HandlerMessage>> agents() {
        return agents;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (final AgentRef<HandlerMessage> agent : agents) {
                stopQuietly(agent);
            }
        }
    }

    private boolean tryAcquire(final int slot) {
        while (true) {
            final int current = outstanding.get(slot);
            if (current >= capacity) {
                return false;
            }
            if (outstanding.compareAndSet(slot, current, current + 1)) {
                return true;
            }
        }
    }

    private static boolean refused(final CompletionStage<HandlerResult> stage) {
        final CompletableFuture<HandlerResult> f = stage.toCompletableFuture();
        if (!f.isCompletedExceptionally()) {
            return false;
        }
        // Every failure known by the time ask returns is a refusal (full, not found, stopped, a bad
        // request message, or accepted-then-dead-lettered), except a timeout of an accepted ask.
        return !(ErrorResponses.unwrap(f.handle((r, t) -> t).join()) instanceof dev.flin.runtime.AskTimeoutException);
    }

    private void release(final int slot) {
        outstanding.decrementAndGet(slot);
    }

    /** The agents' way to free a slot; captures only the array, never a half-built dispatcher. */
    private static IntConsumer releaser(final AtomicIntegerArray counts) {
        return slot -> {
            if (slot >= 0) {
                counts.decrementAndGet(slot);
            }
        };
    }

    private void stopQuietly(final AgentRef<HandlerMessage> agent) {
        try {
            runtime.stop(agent.id());
        } catch (final AgentNotFoundException | RuntimeStoppedException gone) {
            // already stopped, or the runtime is shutting down and stops it anyway
        }
    }
}
