package dev.flin.conformance.faulty;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.FlinException;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.Signal;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Timers;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An {@link AgentRuntime} that forwards every call to a real one, with hooks at every place a
 * runtime can go wrong, so that a deliberately faulty runtime is a small subclass that overrides
 * one or two of them.
 *
 * <p>What it wraps:
 * <ul>
 *   <li><b>agents</b>: spawn hands the real runtime a factory ({@link #wrapFactory}) whose
 *       instances ({@link #wrapAgent}) route every callback through {@link #onStart},
 *       {@link #onMessage}, {@link #onSignal} and {@link #onStop}, and show the agent a context
 *       ({@link #wrapContext}) whose {@code self()} is a wrapped ref, whose {@code runtime()} is
 *       this runtime, whose {@code timers()} are wrapped ({@link #wrapTimers}) and whose watch and
 *       subscription calls go through {@link #contextWatch}, {@link #contextUnwatch},
 *       {@link #contextSubscribe} and {@link #contextUnsubscribe};</li>
 *   <li><b>refs</b> ({@link #wrapRef}): {@code tell} and {@code ask} go through {@link #tell} and
 *       {@link #ask};</li>
 *   <li><b>registry and broker</b>: every public method forwards and may be overridden;</li>
 *   <li><b>ids</b>: {@link #exportId} / {@link #importId} translate between the ids users see and
 *       the real runtime's ids (identity here; see {@link IdTranslatingRuntime}).</li>
 * </ul>
 * Without overrides it is a correct runtime: the matrix runs the kit against it as a control.
 *
 * <p>Threading: as thread-safe as the runtime it wraps. {@link #later} and {@link #offThread}
 * give faults their own threads, stopped by {@link #shutdown}.
 */
public class ForwardingRuntime implements AgentRuntime {

    private static final AtomicInteger THREADS = new AtomicInteger();

    /** The real runtime. */
    protected final AgentRuntime delegate;

    private final Object threadsLock = new Object();
    private ScheduledExecutorService scheduler; // guarded by threadsLock
    private ExecutorService extraThreads;       // guarded by threadsLock
    private boolean threadsStopped;             // guarded by threadsLock

    /**
     * @param delegate the real runtime, owned (and shut down) by this one
     */
    public ForwardingRuntime(final AgentRuntime delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    // =====================================================================================
    // Ids
    // =====================================================================================

    /**
     * @param real an id of the real runtime
     * @return the id users of this runtime see for it
     */
    protected AgentId exportId(final AgentId real) {
        return real;
    }

    /**
     * @param exported an id users of this runtime hold
     * @return the real runtime's id for it
     */
    protected AgentId importId(final AgentId exported) {
        return exported;
    }

    /**
     * @return whether {@link #exportId} / {@link #importId} are not the identity; then errors,
     *         system events and signals that name ids are translated too
     */
    protected boolean translatesIds() {
        return false;
    }

    // =====================================================================================
    // Spawn and the agents' side
    // =====================================================================================

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory) {
        return spawn(messageType, factory, SpawnOptions.defaults());
    }

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory, final SpawnOptions options) {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        try {
            return wrapRef(delegate.spawn(messageType, wrapFactory(messageType, factory), options));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    /**
     * The factory the real runtime gets. The default wraps each instance with {@link #wrapAgent}
     * and keeps rule 1.3 observable: a stateful instance returned again is handed on as the same
     * wrapper, so the real runtime sees the reuse.
     *
     * @param messageType the agent's message type
     * @param factory     the user's factory
     * @param <M>         the message type
     * @return the factory to spawn with
     */
    protected <M> AgentFactory<M> wrapFactory(final Class<M> messageType, final AgentFactory<M> factory) {
        return new ForwardingFactory<>(this, factory);
    }

    /**
     * @param agent a user instance
     * @param <M>   its message type
     * @return what the real runtime runs instead
     */
    protected <M> Agent<M> wrapAgent(final Agent<M> agent) {
        return new ForwardingAgent<>(this, agent);
    }

    /**
     * @param agent   the user instance
     * @param context the context it sees
     * @param <M>     the message type
     * @throws Exception what the agent throws
     */
    protected <M> void onStart(final Agent<M> agent, final AgentContext<M> context) throws Exception {
        agent.onStart(context);
    }

    /**
     * @param agent   the user instance
     * @param message the message (ids already translated)
     * @param context the context it sees
     * @param <M>     the message type
     * @throws Exception what the agent throws
     */
    protected <M> void onMessage(final Agent<M> agent, final M message, final AgentContext<M> context) throws Exception {
        agent.onMessage(message, context);
    }

    /**
     * @param agent   the user instance
     * @param signal  the signal (ids already translated)
     * @param context the context it sees
     * @param <M>     the message type
     * @throws Exception what the agent throws
     */
    protected <M> void onSignal(final Agent<M> agent, final Signal signal, final AgentContext<M> context) throws Exception {
        agent.onSignal(signal, context);
    }

    /**
     * @param agent   the user instance
     * @param context the context it sees
     * @param <M>     the message type
     * @throws Exception what the agent throws
     */
    protected <M> void onStop(final Agent<M> agent, final AgentContext<M> context) throws Exception {
        agent.onStop(context);
    }

    /**
     * @param real the real runtime's context
     * @param <M>  the message type
     * @return the context the user instance sees
     */
    protected <M> AgentContext<M> wrapContext(final AgentContext<M> real) {
        return new ForwardingContext<>(this, real);
    }

    /**
     * @param real    the real timers
     * @param context the (wrapped) context they belong to
     * @param <M>     the message type
     * @return the timers the user instance sees
     */
    protected <M> Timers<M> wrapTimers(final Timers<M> real, final AgentContext<M> context) {
        return new ForwardingTimers<>(real);
    }

    /**
     * {@link AgentContext#watch} of a user instance.
     *
     * @param real   the real context
     * @param target the id the user passed
     */
    protected void contextWatch(final AgentContext<?> real, final AgentId target) {
        real.watch(importId(Objects.requireNonNull(target, "target")));
    }

    /**
     * {@link AgentContext#unwatch} of a user instance.
     *
     * @param real   the real context
     * @param target the id the user passed
     */
    protected void contextUnwatch(final AgentContext<?> real, final AgentId target) {
        real.unwatch(importId(Objects.requireNonNull(target, "target")));
    }

    /**
     * {@link AgentContext#subscribe} of a user instance.
     *
     * @param real  the real context
     * @param topic the topic
     * @param <M>   the message type
     * @param <E>   the event type
     */
    protected <M, E extends M> void contextSubscribe(final AgentContext<M> real, final Topic<E> topic) {
        real.subscribe(topic);
    }

    /**
     * {@link AgentContext#unsubscribe} of a user instance.
     *
     * @param real  the real context
     * @param topic the topic
     */
    protected void contextUnsubscribe(final AgentContext<?> real, final Topic<?> topic) {
        real.unsubscribe(topic);
    }

    /**
     * Translates ids inside what the real runtime delivers ({@link LifecycleEvent},
     * {@link DeadLetter}, {@link AgentFailure}); other messages pass unchanged.
     *
     * @param message a message the real runtime delivers
     * @return what the user instance gets
     */
    protected Object translateIncoming(final Object message) {
        if (!translatesIds()) {
            return message;
        }
        if (message instanceof LifecycleEvent e) {
            return new LifecycleEvent(exportId(e.agent()), e.from(), e.to());
        }
        if (message instanceof DeadLetter d) {
            return new DeadLetter(exportId(d.recipient()), d.message(), d.reason());
        }
        if (message instanceof AgentFailure f) {
            return new AgentFailure(exportId(f.agent()), f.phase(), f.messageType(), f.cause(), f.decision());
        }
        return message;
    }

    /**
     * @param signal a signal the real runtime delivers
     * @return what the user instance gets
     */
    protected Signal translateSignal(final Signal signal) {
        if (translatesIds() && signal instanceof Signal.Terminated t) {
            return new Signal.Terminated(exportId(t.agent()), t.cause());
        }
        return signal;
    }

    // =====================================================================================
    // Refs
    // =====================================================================================

    /**
     * @param real a ref of the real runtime
     * @param <M>  the message type
     * @return the ref users get
     */
    protected <M> AgentRef<M> wrapRef(final AgentRef<M> real) {
        return new ForwardingRef<>(this, real);
    }

    /**
     * {@link AgentRef#tell} through a wrapped ref.
     *
     * @param real    the real ref
     * @param message the message
     * @param <M>     the message type
     */
    protected <M> void tell(final AgentRef<M> real, final M message) {
        real.tell(message);
    }

    /**
     * {@link AgentRef#ask} through a wrapped ref.
     *
     * @param real    the real ref
     * @param request builds the request
     * @param timeout the timeout
     * @param <M>     the message type
     * @param <R>     the reply type
     * @return the stage
     */
    protected <M, R> CompletionStage<R> ask(final AgentRef<M> real, final Function<Reply<R>, ? extends M> request,
                                            final Duration timeout) {
        return real.ask(request, timeout);
    }

    /**
     * @param ref a ref, wrapped or not
     * @param <M> the message type
     * @return the real runtime's ref behind it
     */
    @SuppressWarnings("unchecked")
    protected static <M> AgentRef<M> unwrap(final AgentRef<M> ref) {
        return ref instanceof ForwardingRef<?> wrapped ? (AgentRef<M>) wrapped.real() : ref;
    }

    // =====================================================================================
    // Registry
    // =====================================================================================

    @Override
    public void send(final AgentId target, final Object message) {
        try {
            delegate.send(importId(Objects.requireNonNull(target, "target")), message);
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public <M> Optional<AgentRef<M>> ref(final AgentId target, final Class<M> messageType) {
        return delegate.ref(importId(Objects.requireNonNull(target, "target")), messageType).map(this::wrapRef);
    }

    @Override
    public Optional<AgentId> lookup(final String name) {
        return delegate.lookup(name).map(this::exportId);
    }

    @Override
    public CompletionStage<TerminationCause> stop(final AgentId target) {
        try {
            return delegate.stop(importId(Objects.requireNonNull(target, "target")));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public CompletionStage<AgentState> pause(final AgentId target) {
        try {
            return delegate.pause(importId(Objects.requireNonNull(target, "target")));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public CompletionStage<AgentState> resume(final AgentId target) {
        try {
            return delegate.resume(importId(Objects.requireNonNull(target, "target")));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public Optional<AgentState> state(final AgentId target) {
        return delegate.state(importId(Objects.requireNonNull(target, "target")));
    }

    @Override
    public int mailboxDepth(final AgentId target) {
        try {
            return delegate.mailboxDepth(importId(Objects.requireNonNull(target, "target")));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public int mailboxCapacity(final AgentId target) {
        try {
            return delegate.mailboxCapacity(importId(Objects.requireNonNull(target, "target")));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public CompletionStage<TerminationCause> whenTerminated(final AgentId target) {
        return delegate.whenTerminated(importId(Objects.requireNonNull(target, "target")));
    }

    @Override
    public RuntimeCounters counters() {
        return delegate.counters();
    }

    // =====================================================================================
    // Broker
    // =====================================================================================

    @Override
    public <E> void subscribe(final Topic<E> topic, final AgentRef<? super E> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        try {
            delegate.subscribe(topic, unwrap(subscriber));
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public <E, M> void subscribe(final Topic<E> topic, final AgentRef<M> subscriber,
                                 final java.util.function.Function<? super E, ? extends M> adapter) {
        Objects.requireNonNull(subscriber, "subscriber");
        try {
            delegate.subscribe(topic, unwrap(subscriber), adapter);
        } catch (FlinException e) {
            throw translate(e);
        }
    }

    @Override
    public boolean unsubscribe(final Topic<?> topic, final AgentId subscriber) {
        return delegate.unsubscribe(topic, importId(Objects.requireNonNull(subscriber, "subscriber")));
    }

    @Override
    public <E> int publish(final Topic<E> topic, final E event) {
        return delegate.publish(topic, event);
    }

    @Override
    public int subscriberCount(final Topic<?> topic) {
        return delegate.subscriberCount(topic);
    }

    // =====================================================================================
    // Shutdown
    // =====================================================================================

    @Override
    public boolean shutdown(final Duration timeout) {
        try {
            return delegate.shutdown(timeout);
        } catch (dev.flin.runtime.AgentThreadCallException misuse) {
            throw translate(misuse); // refused before anything stopped: keep this wrapper's threads too
        } finally {
            if (delegate.isShutdown()) {
                stopThreads();
            }
        }
    }

    @Override
    public boolean isShutdown() {
        return delegate.isShutdown();
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }

    // =====================================================================================
    // Helpers for faults
    // =====================================================================================

    /**
     * Runs a task later on this runtime's scheduler thread; dropped once the runtime shut down.
     *
     * @param delayNanos how long to wait
     * @param task       the task
     */
    protected final void later(final long delayNanos, final Runnable task) {
        synchronized (threadsLock) {
            if (threadsStopped) {
                return;
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(daemon("faulty-scheduler"));
            }
            try {
                scheduler.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the task is dropped
            }
        }
    }

    /**
     * Runs a task at once on one of this runtime's extra threads (a cached pool); runs it on the
     * calling thread once the runtime shut down.
     *
     * @param task the task
     */
    protected final void offThread(final Runnable task) {
        final ExecutorService pool;
        synchronized (threadsLock) {
            if (!threadsStopped && extraThreads == null) {
                extraThreads = Executors.newCachedThreadPool(daemon("faulty-extra"));
            }
            pool = threadsStopped ? null : extraThreads;
        }
        if (pool != null) {
            try {
                pool.execute(task);
                return;
            } catch (RejectedExecutionException e) {
                // fall through
            }
        }
        task.run();
    }

    private void stopThreads() {
        synchronized (threadsLock) {
            threadsStopped = true;
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
            if (extraThreads != null) {
                extraThreads.shutdown();
            }
        }
    }

    private static ThreadFactory daemon(final String prefix) {
        return r -> {
            final Thread thread = new Thread(r, prefix + "-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Translates the ids named by an error of the real runtime.
     *
     * @param e the error
     * @return the error users see
     */
    protected RuntimeException translate(final FlinException e) {
        if (!translatesIds()) {
            return e;
        }
        if (e instanceof AgentNotFoundException nf) {
            return new AgentNotFoundException(exportId(nf.agent()));
        }
        if (e instanceof MailboxFullException full) {
            return new MailboxFullException(exportId(full.agent()), full.capacity());
        }
        if (e instanceof AskTimeoutException timeout) {
            return new AskTimeoutException(exportId(timeout.target()), timeout.requestType(), timeout.timeout());
        }
        if (e instanceof AgentTerminatedException terminated) {
            return new AgentTerminatedException(exportId(terminated.agent()));
        }
        if (e instanceof dev.flin.runtime.AgentThreadCallException misuse) {
            return new dev.flin.runtime.AgentThreadCallException(misuse.operation(), exportId(misuse.agent()));
        }
        return e; // MessageTypeException, DuplicateAgentNameException: no id accessor; message names the real id
    }

    /**
     * @param stage a stage of the real runtime
     * @param <R>   its value type
     * @return a stage whose failure names translated ids
     */
    protected <R> CompletionStage<R> translateStage(final CompletionStage<R> stage) {
        if (!translatesIds()) {
            return stage;
        }
        final CompletableFuture<R> translated = new CompletableFuture<>();
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                translated.complete(value);
            } else {
                Throwable cause = failure;
                while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                translated.completeExceptionally(cause instanceof FlinException flin ? translate(flin) : cause);
            }
        });
        return translated.minimalCompletionStage();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + delegate + "]";
    }
}
