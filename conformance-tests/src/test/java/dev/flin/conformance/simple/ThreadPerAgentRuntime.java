package dev.flin.conformance.simple;

import org.jspecify.annotations.Nullable;
import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A deliberately simple second implementation of the FLIN API: one platform thread per agent, one
 * {@link java.util.concurrent.ArrayBlockingQueue} mailbox per agent, one shared scheduler thread for
 * timers and ask timeouts. Written only against {@code dev.flin.runtime} and the JDK; it exists to
 * show that the conformance kit does not depend on the reference runtime's design.
 *
 * <p>Locking discipline (the whole deadlock argument): every lock in this runtime is a leaf. No code
 * holds an agent's monitor while it calls user code, publishes, sends to another agent or takes any
 * other lock except the mailbox's internal one. The spawn gate (a read/write lock) is held only
 * around registration; the shutdown monitor only serialises concurrent {@link #shutdown} calls.
 */
public final class ThreadPerAgentRuntime implements AgentRuntime {

    static final int DEFAULT_MAILBOX_CAPACITY = 256;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
    /** After the deadline, how long forced agents get to notice the interrupt and exit. */
    private static final long FORCE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final System.Logger LOG = System.getLogger(ThreadPerAgentRuntime.class.getName());
    private static final AtomicLong RUNTIME_SEQ = new AtomicLong();

    /** The agent whose thread this is, if any (for "not from an agent thread" checks). */
    static final ThreadLocal<SimpleAgent<?>> CURRENT = new ThreadLocal<>();

    private final int defaultCapacity;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<AgentId, SimpleAgent<?>> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SimpleAgent<?>> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Topic<?>, Set<SimpleAgent<?>>> topics = new ConcurrentHashMap<>();
    final ScheduledThreadPoolExecutor scheduler;
    /** Every thread the scheduler created, so that shutdown can join them (rule 8.7). */
    private final java.util.Queue<Thread> schedulerThreads = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Read side: a spawn in progress. Write side: shutdown flipping {@link #stopped}. */
    private final ReentrantReadWriteLock spawnGate = new ReentrantReadWriteLock();
    private volatile boolean stopped;
    private final Object shutdownMonitor = new Object();
    private Boolean shutdownResult; // guarded by shutdownMonitor
    private final AtomicLong lastDeadLetterLog = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));

    final LongAdder spawned = new LongAdder();
    final LongAdder terminated = new LongAdder();
    final LongAdder restarts = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder accepted = new LongAdder();
    final LongAdder processed = new LongAdder();
    final LongAdder deadLetters = new LongAdder();
    final LongAdder staleTimerMessages = new LongAdder();
    final LongAdder rejectedFull = new LongAdder();
    final LongAdder rejectedNotFound = new LongAdder();
    final LongAdder lateReplies = new LongAdder();
    final LongAdder droppedEvents = new LongAdder();

    /** Told every dead letter (rule 2.8), or null. */
    private final @Nullable DeadLetterObserver deadLetterObserver;

    private ThreadPerAgentRuntime(final int defaultCapacity, final @Nullable DeadLetterObserver deadLetterObserver) {
        this.deadLetterObserver = deadLetterObserver;
        if (defaultCapacity < 1) {
            throw new IllegalArgumentException("default mailbox capacity must be >= 1, was " + defaultCapacity);
        }
        this.defaultCapacity = defaultCapacity;
        final String timerName = "simple-timer-" + RUNTIME_SEQ.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            final Thread t = new Thread(runnable, timerName);
            t.setDaemon(true);
            schedulerThreads.add(t);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true); // cancelled ask timeouts do not pile up
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        scheduler.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /**
     * @return a runtime whose mailboxes hold 256 messages unless a spawn says otherwise
     */
    public static ThreadPerAgentRuntime create() {
        return new ThreadPerAgentRuntime(DEFAULT_MAILBOX_CAPACITY, null);
    }

    /**
     * @param observer told every dead letter with its reason (rule 2.8), on the thread that
     *                 dead-letters it (the agent's own); what it throws is logged and ignored
     * @return a runtime whose mailboxes hold 256 messages unless a spawn says otherwise
     */
    public static ThreadPerAgentRuntime create(final DeadLetterObserver observer) {
        return new ThreadPerAgentRuntime(DEFAULT_MAILBOX_CAPACITY, java.util.Objects.requireNonNull(observer, "observer"));
    }

    /**
     * @param defaultMailboxCapacity the capacity for spawns that do not choose one, at least 1
     * @return a new runtime
     */
    public static ThreadPerAgentRuntime create(final int defaultMailboxCapacity) {
        return new ThreadPerAgentRuntime(defaultMailboxCapacity, null);
    }

    // ================================================================ registry

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory) {
        return spawn(messageType, factory, SpawnOptions.defaults());
    }

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory,
                                 final SpawnOptions options) {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        final int capacity = options.mailboxCapacity() == 0 ? defaultCapacity : options.mailboxCapacity();
        spawnGate.readLock().lock();
        try {
            if (stopped) {
                throw new RuntimeStoppedException("spawn");
            }
            final AgentId id = new AgentId(ids.incrementAndGet()); // never reused (rule 3.8)
            final SimpleAgent<M> agent = new SimpleAgent<>(this, id, options.name(), messageType, factory,
                    capacity, options.restartPolicy());
            if (options.name() != null) {
                final SimpleAgent<?> owner = names.putIfAbsent(options.name(), agent);
                if (owner != null) {
                    throw new DuplicateAgentNameException(options.name(), owner.id());
                }
            }
            agents.put(id, agent);
            spawned.increment();
            try {
                agent.thread.start();
            } catch (RuntimeException | Error e) {
                agents.remove(id, agent);
                if (options.name() != null) {
                    names.remove(options.name(), agent);
                }
                terminated.increment();
                throw e;
            }
            return agent;
        } finally {
            spawnGate.readLock().unlock();
        }
    }

    @Override
    public void send(final AgentId target, final Object message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        if (stopped) {
            throw new RuntimeStoppedException("send to " + target);
        }
        final SimpleAgent<?> agent = agents.get(target);
        if (agent == null) {
            rejectedNotFound.increment();
            throw new AgentNotFoundException(target);
        }
        if (!agent.messageType().isInstance(message)) {
            throw new MessageTypeException(target, agent.messageType(), message.getClass());
        }
        agent.enqueueOrThrow(message);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M> Optional<AgentRef<M>> ref(final AgentId target, final Class<M> messageType) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messageType, "messageType");
        final SimpleAgent<?> agent = agents.get(target);
        if (agent == null || agent.messageType() != messageType) {
            return Optional.empty();
        }
        return Optional.of((AgentRef<M>) agent);
    }

    @Override
    public Optional<AgentId> lookup(final String name) {
        Objects.requireNonNull(name, "name");
        final SimpleAgent<?> agent = names.get(name);
        return agent == null || agent.state() == AgentState.TERMINATED ? Optional.empty() : Optional.of(agent.id());
    }

    @Override
    public CompletionStage<TerminationCause> stop(final AgentId target) {
        final SimpleAgent<?> agent = live(target);
        agent.requestStop(TerminationCause.STOPPED);
        return agent.termination.minimalCompletionStage();
    }

    @Override
    public CompletionStage<AgentState> pause(final AgentId target) {
        return live(target).requestPause(true).minimalCompletionStage();
    }

    @Override
    public CompletionStage<AgentState> resume(final AgentId target) {
        return live(target).requestPause(false).minimalCompletionStage();
    }

    @Override
    public Optional<AgentState> state(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final SimpleAgent<?> agent = agents.get(target);
        if (agent == null) {
            return Optional.empty();
        }
        final AgentState state = agent.state();
        return state == AgentState.TERMINATED ? Optional.empty() : Optional.of(state);
    }

    @Override
    public int mailboxDepth(final AgentId target) {
        return live(target).mailboxDepth();
    }

    @Override
    public int mailboxCapacity(final AgentId target) {
        return live(target).capacity;
    }

    @Override
    public CompletionStage<TerminationCause> whenTerminated(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final SimpleAgent<?> agent = agents.get(target);
        if (agent == null) {
            // the cause of a long-gone (or never existing) agent is not kept
            return CompletableFuture.completedStage(TerminationCause.UNKNOWN);
        }
        return agent.termination.minimalCompletionStage();
    }

    @Override
    public RuntimeCounters counters() {
        long queued = 0;
        for (final SimpleAgent<?> agent : agents.values()) {
            queued += agent.mailboxDepth();
        }
        return RuntimeCounters.builder()
                .spawned(spawned.sum())
                .terminated(terminated.sum())
                .restarts(restarts.sum())
                .failures(failures.sum())
                .accepted(accepted.sum())
                .processed(processed.sum())
                .deadLetters(deadLetters.sum())
                .staleTimerMessages(staleTimerMessages.sum())
                .queued(queued)
                .rejectedFull(rejectedFull.sum())
                .rejectedNotFound(rejectedNotFound.sum())
                .lateReplies(lateReplies.sum())
                .droppedEvents(droppedEvents.sum())
                .build();
    }

    private SimpleAgent<?> live(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final SimpleAgent<?> agent = agents.get(target);
        if (agent == null || agent.state() == AgentState.TERMINATED) {
            throw new AgentNotFoundException(target);
        }
        return agent;
    }

    SimpleAgent<?> agent(final AgentId id) {
        return agents.get(id);
    }

    // ================================================================ broker

    @Override
    public <E> void subscribe(final Topic<E> topic, final AgentRef<? super E> subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        if (subscriber instanceof SimpleAgent<?> agent && agent.rt != this) {
            throw new AgentNotFoundException(subscriber.id()); // a ref of another runtime
        }
        subscribe(topic, subscriber.id());
    }

    @Override
    public <E, M> void subscribe(final Topic<E> topic, final AgentRef<M> subscriber,
                                 final java.util.function.Function<? super E, ? extends M> adapter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(adapter, "adapter");
        if (subscriber instanceof SimpleAgent<?> agent && agent.rt != this) {
            throw new AgentNotFoundException(subscriber.id()); // a ref of another runtime
        }
        final SimpleAgent<?> agent = agents.get(subscriber.id());
        if (agent != null && agent.messageType() != subscriber.messageType()) {
            throw new MessageTypeException(subscriber.id(), agent.messageType(), subscriber.messageType());
        }
        @SuppressWarnings("unchecked") // the adapter takes an E; the topic delivers only E events
        final java.util.function.Function<Object, ?> erased =
                (java.util.function.Function<Object, ?>) (java.util.function.Function<?, ?>) adapter;
        subscribe(topic, subscriber.id(), erased);
    }

    void subscribe(final Topic<?> topic, final AgentId subscriber) {
        subscribe(topic, subscriber, null);
    }

    /** @param adapter the subscription's adapter (rule 6.9), or null: the events are the agent's messages */
    void subscribe(final Topic<?> topic, final AgentId subscriber, final java.util.function.Function<Object, ?> adapter) {
        final SimpleAgent<?> agent = agents.get(subscriber);
        if (agent == null) {
            throw new AgentNotFoundException(subscriber);
        }
        if (adapter == null && !agent.messageType().isAssignableFrom(topic.eventType())) {
            throw new MessageTypeException(subscriber, agent.messageType(), topic.eventType()); // rule 6.1
        }
        agent.topicAdapter(topic, adapter); // before the agent is in the set: a publisher that finds it finds the adapter
        // Under the map's per-key lock, so that a topic emptied and removed at the same moment (rule
        // 6.8, removeIfEmpty) cannot swallow this subscription.
        final RuntimeException[] refused = new RuntimeException[1];
        topics.compute(topic, (t, set) -> {
            final Set<SimpleAgent<?>> s = set == null ? new CopyOnWriteArraySet<>() : set;
            try {
                agent.addSubscription(topic, s);
            } catch (RuntimeException e) {
                refused[0] = e;
            }
            return s.isEmpty() ? null : s;
        });
        if (refused[0] != null) {
            throw refused[0];
        }
    }

    @Override
    public boolean unsubscribe(final Topic<?> topic, final AgentId subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        final boolean[] removedBox = new boolean[1];
        topics.computeIfPresent(topic, (t, set) -> {
            removedBox[0] = set.removeIf(a -> a.id().equals(subscriber));
            return set.isEmpty() ? null : set; // rule 6.8: an empty topic is forgotten
        });
        final boolean removed = removedBox[0];
        final SimpleAgent<?> agent = agents.get(subscriber);
        if (agent != null) {
            agent.subscriptions.remove(topic);
        }
        return removed;
    }

    /** Rule 6.5: called by a terminating agent. */
    void unsubscribeAll(final SimpleAgent<?> agent) {
        for (final Topic<?> topic : agent.subscriptions) {
            topics.computeIfPresent(topic, (t, set) -> {
                set.remove(agent);
                return set.isEmpty() ? null : set; // rule 6.8
            });
        }
        agent.subscriptions.clear();
    }

    @Override
    public <E> int publish(final Topic<E> topic, final E event) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(event, "event must not be null (rule 2.7)");
        if (stopped) {
            throw new RuntimeStoppedException("publish to " + topic.name());
        }
        return publishInternal(topic, event);
    }

    /** Publishing without the shutdown check: system topics keep working during shutdown. */
    int publishInternal(final Topic<?> topic, final Object event) {
        final Set<SimpleAgent<?>> set = topics.get(topic);
        if (set == null) {
            return 0;
        }
        int delivered = 0;
        for (final SimpleAgent<?> subscriber : set) { // a snapshot: copy-on-write
            final Object delivery = subscriber.deliveryOf(topic, event);
            if (delivery == null) {
                continue; // raced the end of an adapted subscription (rule 6.4)
            }
            final int outcome = subscriber.offer(delivery, null);
            if (outcome == SimpleAgent.OK) {
                delivered++;
            } else if (outcome == SimpleAgent.FULL) {
                droppedEvents.increment(); // rule 6.6
            }
            // NOT_FOUND: the subscriber is stopping; its termination removes it (rule 6.5)
        }
        return delivered;
    }

    @Override
    public int subscriberCount(final Topic<?> topic) {
        Objects.requireNonNull(topic, "topic");
        final Set<SimpleAgent<?>> set = topics.get(topic);
        return set == null ? 0 : set.size();
    }

    // ================================================================ events from agents

    void deadLetter(final DeadLetter deadLetter) {
        deadLetters.increment();
        final DeadLetterObserver observer = deadLetterObserver;
        if (observer != null) {
            try {
                observer.onDeadLetter(deadLetter); // the one way a shutdown's dead letters are seen
            } catch (final RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the DeadLetterObserver threw; ignored", e);
            }
        }
        publishInternal(SystemTopics.DEAD_LETTERS, deadLetter);
        if (stopped) {
            return; // rule 2.8: quiet during shutdown
        }
        final long now = System.nanoTime();
        final long last = lastDeadLetterLog.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(1) && lastDeadLetterLog.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.INFO, "dead letter to {0}: {1} ({2}); further ones muted for 1 s",
                    deadLetter.recipient(), deadLetter.message().getClass().getName(), deadLetter.reason());
        }
    }

    /** Called by a terminating agent on its own thread, before its termination stage completes. */
    void removeTerminated(final SimpleAgent<?> agent) {
        agents.remove(agent.id(), agent);
        if (agent.name != null) {
            names.remove(agent.name, agent);
        }
        terminated.increment();
    }

    // ================================================================ shutdown

    @Override
    public boolean shutdown(final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        final SimpleAgent<?> current = CURRENT.get();
        if (current != null && current.rt == this) {
            throw new dev.flin.runtime.AgentThreadCallException("shutdown", current.id()); // rule 8.9
        }
        synchronized (shutdownMonitor) {
            if (shutdownResult != null) {
                return shutdownResult;
            }
            final long deadline = System.nanoTime() + saturatedNanos(timeout);
            spawnGate.writeLock().lock(); // waits only for spawns already past their check
            try {
                stopped = true; // rule 8.6: from here spawn, send, publish throw
            } finally {
                spawnGate.writeLock().unlock();
            }
            final List<SimpleAgent<?>> all = new ArrayList<>(agents.values()); // complete: spawn is closed
            for (final SimpleAgent<?> agent : all) {
                agent.requestStop(TerminationCause.RUNTIME_SHUTDOWN);
            }
            boolean graceful = true;
            for (final SimpleAgent<?> agent : all) {
                if (!awaitTermination(agent, deadline - System.nanoTime())) {
                    graceful = false;
                    break;
                }
            }
            if (!graceful) {
                for (final SimpleAgent<?> agent : all) {
                    if (!agent.termination.isDone()) {
                        agent.force(); // rule 8.7: nothing more is processed, the mailbox is dead-lettered
                    }
                }
            }
            final long graceDeadline = System.nanoTime() + FORCE_GRACE_NANOS;
            boolean allExited = true;
            for (final SimpleAgent<?> agent : all) {
                awaitTermination(agent, graceDeadline - System.nanoTime());
                allExited &= join(agent.thread, graceDeadline - System.nanoTime());
            }
            scheduler.shutdownNow();
            try {
                allExited &= scheduler.awaitTermination(Math.max(0, graceDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                // awaitTermination returns when the pool is TERMINATED, which its last thread signals
                // before that thread has finished exiting: join it, so that no thread of this runtime
                // is alive when shutdown returns (rule 8.7)
                for (final Thread t : schedulerThreads) {
                    allExited &= join(t, graceDeadline - System.nanoTime());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                allExited = false;
            }
            for (final SimpleAgent<?> agent : all) {
                if (!agent.termination.isDone()) {
                    agent.abandon(); // stuck in a callback that ignores interrupts
                    allExited = false;
                }
            }
            shutdownResult = graceful && allExited;
            return shutdownResult;
        }
    }

    static long saturatedNanos(final Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2;
        }
    }

    private static boolean awaitTermination(final SimpleAgent<?> agent, final long nanos) {
        try {
            agent.termination.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean join(final Thread thread, final long nanos) {
        try {
            final long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.max(0, nanos)));
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    @Override
    public boolean isShutdown() {
        return stopped;
    }

    @Override
    public void close() {
        shutdown(CLOSE_TIMEOUT);
    }

    @Override
    public String toString() {
        return "ThreadPerAgentRuntime[agents=" + agents.size() + (stopped ? ", shut down" : "") + "]";
    }
}
