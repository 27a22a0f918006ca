package dev.flin.conformance;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.SpawnOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What a check uses: runtimes from the provider (destroyed after the check), the two timeouts, and
 * waiting helpers that fail with a message naming what was awaited. Nothing here sleeps to wait:
 * conditions are polled against a deadline.
 *
 * <p>Threading: one kit per check (per try of a property), used from the check's thread; the
 * helpers are safe to call from threads the check starts.
 */
public final class Kit implements AutoCloseable {

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final RuntimeProvider provider;
    private final KitTimeouts timeouts;
    private final Set<Capability> capabilities;
    private final KitWaits waits;
    private final List<AgentRuntime> runtimes = new ArrayList<>();
    private ExecutorService helpers;
    private AgentRuntime runtime;

    /**
     * @param provider the runtime under test
     */
    public Kit(final RuntimeProvider provider) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.timeouts = Objects.requireNonNull(provider.timeouts(), "provider.timeouts()");
        final Set<Capability> declared = provider.capabilities();
        this.capabilities = declared.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(declared);
        this.waits = new KitWaits(timeouts, KitChecksHook.currentCheck());
    }

    /**
     * @return the budget of a wait starting now: {@link KitTimeouts#awaitSignal()}, or
     *     {@link KitTimeouts#shortWait()} once this run or check has timed out (see {@link KitTimeouts})
     */
    public KitWaits.Budget waitBudget() {
        return waits.next();
    }

    /**
     * Counts a wait of this check that timed out and returns its failure; for checks that wait
     * with {@link #waitBudget()} themselves.
     *
     * @param budget the wait's budget
     * @param what   what was awaited
     * @return the failure to throw
     */
    public AssertionError timedOut(final KitWaits.Budget budget, final String what) {
        waits.timedOut();
        return new AssertionError(budget.timedOut(what));
    }

    /** @return the check's runtime, created on first use */
    public synchronized AgentRuntime runtime() {
        if (runtime == null) {
            runtime = newRuntime();
        }
        return runtime;
    }

    /** @return another runtime, also destroyed after the check */
    public synchronized AgentRuntime newRuntime() {
        final AgentRuntime created = Objects.requireNonNull(provider.create(), "provider.create() returned null");
        runtimes.add(created);
        return created;
    }

    /**
     * @param handler where the runtime's fatal errors go (rule 4.9)
     * @return another runtime, from {@link RuntimeProvider#create(FatalErrorHandler)}, destroyed after the check
     */
    public synchronized AgentRuntime newRuntime(final dev.flin.runtime.FatalErrorHandler handler) {
        final AgentRuntime created = Objects.requireNonNull(provider.create(handler),
                "provider.create(FatalErrorHandler) returned null");
        runtimes.add(created);
        return created;
    }

    /**
     * @param observer told every dead letter of the runtime, with its reason (rule 2.8)
     * @return another runtime, from {@link RuntimeProvider#create(dev.flin.runtime.DeadLetterObserver)},
     *     destroyed after the check
     */
    public synchronized AgentRuntime newRuntime(final dev.flin.runtime.DeadLetterObserver observer) {
        final AgentRuntime created = Objects.requireNonNull(provider.create(observer),
                "provider.create(DeadLetterObserver) returned null");
        runtimes.add(created);
        return created;
    }

    /** @return the shutdown grace the provider declares for rule 8.7 */
    public Duration shutdownGrace() {
        return Objects.requireNonNull(provider.shutdownGrace(), "provider.shutdownGrace()");
    }

    /** @return the provider's timeouts */
    public KitTimeouts timeouts() {
        return timeouts;
    }

    /**
     * @param capability an optional feature
     * @return whether the provider declares it
     */
    public boolean has(final Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * Waits for a condition that must become true.
     *
     * @param what      what is awaited, for the failure message
     * @param condition polled until true or until {@link KitTimeouts#awaitSignal()} passes
     */
    public void await(final String what, final BooleanSupplier condition) {
        final KitWaits.Budget budget = waits.next();
        final long deadline = System.nanoTime() + budget.limit().toNanos();
        long park = 10_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                if (condition.getAsBoolean()) {
                    return;
                }
                throw timedOut(budget, what);
            }
            LockSupport.parkNanos(park);
            park = Math.min(park * 2, 2_000_000L);
        }
    }

    /**
     * Waits for a stage that must complete normally.
     *
     * @param what  what is awaited
     * @param stage the stage
     * @param <T>   its value type
     * @return its value
     */
    public <T> T await(final String what, final CompletionStage<T> stage) {
        final KitWaits.Budget budget = waits.next();
        try {
            return stage.toCompletableFuture().get(budget.limit().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw timedOut(budget, what);
        } catch (ExecutionException e) {
            final Throwable cause = unwrap(e.getCause());
            throw new AssertionError(KitFailures.stageFailed(cause, what), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for: " + what, e);
        }
    }

    /**
     * Waits for a stage that must complete exceptionally.
     *
     * @param what  what is awaited
     * @param stage the stage
     * @return the failure, unwrapped from {@link CompletionException} / {@link ExecutionException}
     */
    public Throwable awaitFailure(final String what, final CompletionStage<?> stage) {
        final KitWaits.Budget budget = waits.next();
        try {
            final Object value = stage.toCompletableFuture().get(budget.limit().toNanos(), TimeUnit.NANOSECONDS);
            throw new AssertionError("the kit required the stage to fail, but your runtime completed it with the value "
                    + value + ": " + what);
        } catch (TimeoutException e) {
            throw timedOut(budget, "the stage to fail: " + what);
        } catch (ExecutionException e) {
            return unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for: " + what, e);
        }
    }

    /**
     * Watches for something that must not happen, for {@link KitTimeouts#expectNothing()}.
     *
     * @param what     what must not happen
     * @param happened polled; must stay false
     */
    public void expectNothing(final String what, final BooleanSupplier happened) {
        final long deadline = System.nanoTime() + timeouts.expectNothing().toNanos();
        do {
            if (happened.getAsBoolean()) {
                throw new AssertionError("happened although it must not: " + what);
            }
            LockSupport.parkNanos(1_000_000L);
        } while (System.nanoTime() - deadline < 0);
        if (happened.getAsBoolean()) {
            throw new AssertionError("happened although it must not: " + what);
        }
    }

    /**
     * Runs an action on a kit thread and fails if it does not return within
     * {@link KitTimeouts#awaitSignal()}: the way to check that something never blocks.
     *
     * @param what   the action, for the failure message
     * @param action the action
     * @param <T>    its result type
     * @return its result
     * @throws Exception what the action threw
     */
    public <T> T within(final String what, final Callable<T> action) throws Exception {
        final Future<T> future = helpers().submit(action);
        return getWithin(waits.next(), future, "the call to return (blocked?): " + what);
    }

    /**
     * Waits for a task this check {@linkplain #fork forked}, within the wait budget: the way the
     * check's thread joins its helpers. What the task threw is thrown here (an {@link AssertionError}
     * of the task keeps its message).
     *
     * @param what what the task does, for the failure message
     * @param task the task's future
     * @param <T>  the task's result type
     * @return the task's result
     * @throws Exception what the task threw
     */
    public <T> T join(final String what, final Future<T> task) throws Exception {
        return join(what, task, 1);
    }

    /**
     * {@link #join(String, Future)} for a task that itself waits up to {@code waits} times (each
     * within its budget), so it gets that many budgets.
     *
     * @param what  what the task does, for the failure message
     * @param task  the task's future
     * @param waits how many budgets the task may take, at least 1
     * @param <T>   the task's result type
     * @return the task's result
     * @throws Exception what the task threw
     */
    public <T> T join(final String what, final Future<T> task, final int waits) throws Exception {
        if (waits < 1) {
            throw new IllegalArgumentException("waits must be >= 1: " + waits);
        }
        final KitWaits.Budget one = this.waits.next();
        return getWithin(new KitWaits.Budget(one.limit().multipliedBy(waits), one.note()), task,
                "a task of the check to finish: " + what);
    }

    /**
     * {@link #join(String, Future)} within a budget the check made from {@link #waitBudget()}, for a
     * wait the rule itself bounds (e.g. a shutdown timeout plus its grace, plus the budget as slack).
     *
     * @param what   what is awaited, for the failure message
     * @param task   the task's future
     * @param budget the wait's budget; a timeout is counted as every wait of the kit
     * @param <T>    the task's result type
     * @return the task's result
     * @throws Exception what the task threw
     */
    public <T> T join(final String what, final Future<T> task, final KitWaits.Budget budget) throws Exception {
        return getWithin(budget, task, what);
    }

    /**
     * The task's result within the budget; on a timeout the task is cancelled and the timeout counted.
     * What the task threw is thrown as it is.
     */
    private <T> T getWithin(final KitWaits.Budget budget, final Future<T> task, final String what) throws Exception {
        try {
            return task.get(budget.limit().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw timedOut(budget, what);
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    /**
     * How long a wait that cannot fail by itself may take: a latch or barrier in a thread the check
     * forked or in an agent's callback, an ask's timeout, a deadline the check polls against. The
     * budget of a wait starting now ({@link #waitBudget()}), so that on a runtime that already
     * timed out these waits are short too; a timeout there shows as a failure of the check's own
     * wait for their outcome.
     *
     * @return {@link KitTimeouts#awaitSignal()}, or {@link KitTimeouts#shortWait()} once this run or
     *     check has timed out
     */
    public Duration waitLimit() {
        return waits.next().limit();
    }

    /**
     * How long a callback the check holds (a gate, a latch the check opens later) may block: always
     * the full {@link KitTimeouts#awaitSignal()}, never shortened. The check releases it, on failure
     * too (in a {@code finally}), so a hold costs a broken runtime nothing; a shortened hold would end
     * the scenario early (a "callback that never returns" that returns after 300 ms).
     *
     * @return {@link KitTimeouts#awaitSignal()}
     */
    public Duration holdLimit() {
        return timeouts.awaitSignal();
    }

    /**
     * Starts a task on a kit thread (stopped when the check ends).
     *
     * @param task the task
     * @return its future
     */
    public Future<?> fork(final Runnable task) {
        return helpers().submit(task);
    }

    /**
     * Spawns a {@link Recorder} in the check's runtime.
     *
     * @param type the message type it accepts
     * @param <M>  the message type
     * @return the recorder
     */
    public <M> Recorder<M> recorder(final Class<M> type) {
        return recorder(runtime(), type, SpawnOptions.defaults());
    }

    /**
     * Spawns a {@link Recorder}.
     *
     * @param in      the runtime
     * @param type    the message type
     * @param options spawn options
     * @param <M>     the message type
     * @return the recorder
     */
    public <M> Recorder<M> recorder(final AgentRuntime in, final Class<M> type, final SpawnOptions options) {
        final Recorder<M> recorder = new Recorder<>(this);
        final AgentRef<M> ref = in.spawn(type, recorder::newInstance, options);
        recorder.bind(ref);
        return recorder;
    }

    /**
     * @param failure a failure, possibly wrapped
     * @return the innermost cause below {@link CompletionException} / {@link ExecutionException}
     */
    public static Throwable unwrap(final Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private synchronized ExecutorService helpers() {
        if (helpers == null) {
            helpers = Executors.newCachedThreadPool(r -> {
                final Thread thread = new Thread(r, "flin-kit-" + THREADS.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return helpers;
    }

    /** Destroys every runtime of the check and stops the kit's threads. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (final AgentRuntime created : runtimes) {
            try {
                destroyWithDeadline(created);
            } catch (RuntimeException | AssertionError e) {
                if (first == null) {
                    first = e instanceof RuntimeException re ? re : new IllegalStateException(e.getMessage(), e);
                }
            }
        }
        runtimes.clear();
        runtime = null;
        if (helpers != null) {
            helpers.shutdownNow();
            helpers = null;
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * Destroys a runtime on a separate daemon thread, so that a runtime whose shutdown hangs fails
     * the check instead of hanging the whole kit run.
     */
    private void destroyWithDeadline(final AgentRuntime created) {
        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        final Thread destroyer = new Thread(() -> {
            try {
                provider.destroy(created);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "flin-kit-destroy-" + THREADS.incrementAndGet());
        destroyer.setDaemon(true);
        destroyer.start();
        final Duration limit = timeouts.awaitSignal().plusSeconds(30);
        try {
            done.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("provider.destroy did not return within " + limit + ": the runtime's shutdown hangs");
        } catch (ExecutionException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError("provider.destroy failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while destroying a runtime", e);
        }
    }

    /**
     * Sends, retrying while the mailbox is full (the agent is expected to make room), for at most
     * {@link KitTimeouts#awaitSignal()}.
     *
     * @param ref     the agent
     * @param message the message
     * @param <M>     its type
     * @return true if accepted, false if the agent is no longer alive
     */
    public <M> boolean tellPatiently(final AgentRef<M> ref, final M message) {
        final KitWaits.Budget budget = waits.next();
        final long deadline = System.nanoTime() + budget.limit().toNanos();
        int spins = 0;
        while (true) {
            try {
                ref.tell(message);
                return true;
            } catch (dev.flin.runtime.MailboxFullException full) {
                if (System.nanoTime() - deadline > 0) {
                    throw timedOut(budget, "room in the mailbox of " + ref.id() + " (it stayed full)");
                }
                if (++spins < 64) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(50_000L);
                }
            } catch (dev.flin.runtime.AgentNotFoundException gone) {
                return false;
            }
        }
    }

    /**
     * Waits for a latch that must open.
     *
     * @param what  what is awaited
     * @param latch the latch
     */
    public void awaitLatch(final String what, final java.util.concurrent.CountDownLatch latch) {
        await(what, () -> latch.getCount() == 0);
    }

    /**
     * Waits for a latch, at most {@link KitTimeouts#awaitSignal()}, without failing: for code that
     * must not hang (inside agents under test) where another check reports the failure.
     *
     * @param latch the latch
     */
    public void awaitQuietly(final java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await(waits.next().limit().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return a short duration helpers can use for timers and asks that must fire soon */
    public Duration shortDelay() {
        return Duration.ofMillis(20);
    }
}
