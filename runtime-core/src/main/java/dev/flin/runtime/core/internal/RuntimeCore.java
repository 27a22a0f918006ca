package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentThreadCallException;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DeadLetterObserver;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.HandlerTimer;
import dev.flin.runtime.core.spi.NamedAgentListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime: registry of mailbox handles (rule 1.4), topic table, counters, shutdown.
 *
 * <p>Threading: every public method is thread-safe and non-blocking except {@link #shutdown}.
 * The maps are concurrent; the registry holds {@link AgentCell}s, whose only publicly reachable
 * surface is the mailbox ({@link AgentRef}); agent instances are reachable only from their cell's
 * agent-thread fields.
 */
public final class RuntimeCore implements AgentRuntime {

    final Logger log = LoggerFactory.getLogger(RuntimeCore.class);
    final Dispatcher dispatcher;
    /** Where agents spawned on PINNED or BLOCKING run (rule 1.7); its threads end in shutdown. */
    private final AgentDispatchers agentDispatchers;
    final Counters counters = new Counters();
    /** Installed by agents that terminate before their first message (see AgentCell's send protocol). */
    final Mailbox sealedMailbox = Mailbox.sealedEmpty();
    /** Messages accepted by terminated agents (their exact totals, added when they leave the registry). */
    private final java.util.concurrent.atomic.LongAdder retiredAccepted = new java.util.concurrent.atomic.LongAdder();
    /** Seqlock-like pair around each retirement, so that a snapshot counts every agent exactly once. */
    private final java.util.concurrent.atomic.LongAdder retirementsStarted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder retirementsEnded = new java.util.concurrent.atomic.LongAdder();
    /** The highest "accepted" reported so far: snapshots only err low, so this keeps them monotonic. */
    private final AtomicLong acceptedReported = new AtomicLong();
    final int batchSize;
    private final int defaultCapacity;
    private final ConcurrentHashMap<AgentId, AgentCell<?>> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentCell<?>> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Topic<?>, CopyOnWriteArrayList<AgentCell<?>>> topics = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LogLimiter deadLetterLog = new LogLimiter();
    private final LogLimiter failureLog = new LogLimiter();
    /** Samples the Flight Recorder's MailboxFull events of this runtime's agents (see FlightEvents). */
    final FlightEvents.Sampler mailboxFullSampler = new FlightEvents.Sampler();
    private final CompletableFuture<Boolean> shutdownResult = new CompletableFuture<>();
    private volatile boolean stopped;
    private final FatalErrorHandler fatalErrors;
    /** Told each handler's time, or null: then the run loop reads no clock for it (see HandlerTimer). */
    final HandlerTimer handlerTimer;
    /** Told when named agents come and go, or null. */
    private final NamedAgentListener namedAgentListener;
    /** Whether callbacks run with the agent's MDC keys (rule 8.12, see AgentMdc). */
    final boolean agentMdc;
    /** Told every dead letter (rule 2.8), or null. */
    private final DeadLetterObserver deadLetterObserver;
    /** Exceptions thrown by the observers above: counted, logged at most once a second. */
    private final java.util.concurrent.atomic.LongAdder observerFailures = new java.util.concurrent.atomic.LongAdder();
    private final LogLimiter observerLog = new LogLimiter();

    /**
     * @param dispatcher         runs agents and timers; owned (and shut down) by this runtime
     * @param defaultCapacity    mailbox capacity when a spawn asks for 0
     * @param batchSize          messages an agent may process before yielding its thread
     * @param fatalErrors        what a runtime thread does with a fatal error (rule 4.9)
     * @param handlerTimer       told each handler's time, or null
     * @param namedAgentListener told when named agents come and go, or null
     * @param agentMdc           whether callbacks run with the agent's MDC keys (rule 8.12)
     * @param deadLetterObserver told every dead letter with its reason (rule 2.8), or null
     */
    public RuntimeCore(final Dispatcher dispatcher, final int defaultCapacity, final int batchSize,
            final FatalErrorHandler fatalErrors, final HandlerTimer handlerTimer,
            final NamedAgentListener namedAgentListener, final boolean agentMdc,
            final DeadLetterObserver deadLetterObserver) {
        this.deadLetterObserver = deadLetterObserver;
        this.handlerTimer = handlerTimer;
        this.namedAgentListener = namedAgentListener;
        this.agentMdc = agentMdc;
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
        this.agentDispatchers = new AgentDispatchers(dispatcher);
        this.fatalErrors = Objects.requireNonNull(fatalErrors, "fatalErrors");
        if (defaultCapacity < 1 || batchSize < 1) {
            throw new IllegalArgumentException("defaultCapacity and batchSize must be >= 1");
        }
        this.defaultCapacity = defaultCapacity;
        this.batchSize = batchSize;
    }

    // ---- registry

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory) {
        return spawn(messageType, factory, SpawnOptions.defaults());
    }

    @Override
    public <M> AgentRef<M> spawn(final Class<M> messageType, final AgentFactory<M> factory, final SpawnOptions options) {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        if (stopped) {
            throw new RuntimeStoppedException("spawn");
        }
        final int capacity = Mailbox.roundCapacity(options.mailboxCapacity() == 0 ? defaultCapacity : options.mailboxCapacity());
        final AgentId id = new AgentId(ids.incrementAndGet()); // rule 3.8: never reused
        final Dispatcher runsOn = agentDispatchers.forSpawn(options.dispatcher(), id, options.name());
        final AgentCell<M> cell = new AgentCell<>(id, messageType, factory, options, this, runsOn, capacity);
        if (options.name() != null) {
            final AgentCell<?> owner = names.putIfAbsent(options.name(), cell);
            if (owner != null) {
                agentDispatchers.released(runsOn); // never scheduled: a pinned thread ends at once
                throw new DuplicateAgentNameException(options.name(), owner.id);
            }
            if (namedAgentListener != null) {
                try {
                    namedAgentListener.registered(options.name(), id);
                } catch (RuntimeException | Error e) {
                    observerFailed("NamedAgentListener.registered", e);
                }
            }
        }
        agents.put(id, cell);
        counters.spawned.increment();
        FlightEvents.spawned(cell, options);
        if (stopped) { // raced with shutdown, which may not have seen this cell
            cell.requestStop(TerminationCause.RUNTIME_SHUTDOWN);
            cell.schedule();
            throw new RuntimeStoppedException("spawn");
        }
        cell.schedule();
        return cell;
    }

    @Override
    public void send(final AgentId target, final Object message) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(message, "message must not be null (rule 2.7)");
        final AgentCell<?> cell = agents.get(target);
        if (cell == null) {
            counters.rejectedNotFound.increment();
            if (stopped) {
                throw new RuntimeStoppedException("send to " + target);
            }
            throw new AgentNotFoundException(target);
        }
        if (!cell.type.isInstance(message)) {
            throw new MessageTypeException(target, cell.type, message.getClass());
        }
        cell.throwIfRefused(cell.offer(message, true));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <M> Optional<AgentRef<M>> ref(final AgentId target, final Class<M> messageType) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(messageType, "messageType");
        final AgentCell<?> cell = agents.get(target);
        if (cell == null || cell.type != messageType) {
            return Optional.empty();
        }
        return Optional.of((AgentRef<M>) cell);
    }

    @Override
    public Optional<AgentId> lookup(final String name) {
        Objects.requireNonNull(name, "name");
        final AgentCell<?> cell = names.get(name);
        return cell == null ? Optional.empty() : Optional.of(cell.id);
    }

    @Override
    public CompletionStage<TerminationCause> stop(final AgentId target) {
        final AgentCell<?> cell = live(target);
        cell.requestStop(TerminationCause.STOPPED);
        return cell.termination().minimalCompletionStage();
    }

    @Override
    public CompletionStage<AgentState> pause(final AgentId target) {
        return live(target).pause();
    }

    @Override
    public CompletionStage<AgentState> resume(final AgentId target) {
        return live(target).resume();
    }

    @Override
    public Optional<AgentState> state(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final AgentCell<?> cell = agents.get(target);
        return cell == null ? Optional.empty() : Optional.of(cell.state());
    }

    @Override
    public int mailboxDepth(final AgentId target) {
        return live(target).depth();
    }

    @Override
    public int mailboxCapacity(final AgentId target) {
        return live(target).capacity();
    }

    @Override
    public CompletionStage<TerminationCause> whenTerminated(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final AgentCell<?> cell = agents.get(target);
        if (cell == null) {
            return CompletableFuture.completedFuture(TerminationCause.UNKNOWN).minimalCompletionStage();
        }
        return cell.termination().minimalCompletionStage();
    }

    @Override
    public RuntimeCounters counters() {
        // "accepted" is counted, not derived (rule 2.4): each mailbox's claim sequence for live agents
        // plus the exact totals of terminated ones. A snapshot must count each agent once although
        // agents retire (leave the registry, their total moving to retiredAccepted) while it runs:
        // retry while a retirement overlaps it. Under relentless churn, give up retrying after a
        // bound: a retirement removes the agent before adding its total, so an inconsistent snapshot
        // can only miss an agent (err low), never count one twice.
        long accepted = 0;
        long queued = 0;
        for (int attempt = 0; ; attempt++) {
            final long started = retirementsStarted.sum();
            final boolean quiet = retirementsEnded.sum() == started;
            final long retired = retiredAccepted.sum();
            long live = 0;
            queued = 0;
            for (final AgentCell<?> cell : agents.values()) {
                live += cell.acceptedCount();
                queued += cell.depth();
            }
            accepted = retired + live;
            if ((quiet && retirementsStarted.sum() == started) || attempt >= 64) {
                break;
            }
            Thread.onSpinWait();
        }
        // Every part errs low only (an in-flight seal, a missed retirement), so the true count is at
        // least every value reported: keeping the highest one makes the counter monotonic without
        // ever over-reporting. At quiescence the computed value is exact.
        accepted = Math.max(accepted, acceptedReported.accumulateAndGet(accepted, Math::max));
        final Counters c = counters;
        return RuntimeCounters.builder()
                .spawned(c.spawned.sum())
                .terminated(c.terminated.sum())
                .restarts(c.restarts.sum())
                .failures(c.failures.sum())
                .accepted(accepted)
                .processed(c.processed.sum())
                .deadLetters(c.deadLetters.sum())
                .staleTimerMessages(c.staleTimerMessages.sum())
                .queued(queued)
                .rejectedFull(c.rejectedFull.sum())
                .rejectedNotFound(c.rejectedNotFound.sum())
                .lateReplies(c.lateReplies.sum())
                .droppedEvents(c.droppedEvents.sum())
                .build();
    }

    private AgentCell<?> live(final AgentId target) {
        Objects.requireNonNull(target, "target");
        final AgentCell<?> cell = agents.get(target);
        if (cell == null) {
            throw new AgentNotFoundException(target);
        }
        return cell;
    }

    AgentCell<?> cell(final AgentId target) {
        return agents.get(target);
    }

    // ---- topics

    @Override
    public <E> void subscribe(final Topic<E> topic, final AgentRef<? super E> subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        final AgentCell<?> cell = agents.get(subscriber.id());
        if (cell == null || cell.isClosing()) {
            throw new AgentNotFoundException(subscriber.id());
        }
        if (!cell.type.isAssignableFrom(topic.eventType())) {
            throw new MessageTypeException(cell.id, cell.type, topic.eventType());
        }
        subscribeCell(topic, cell, null);
    }

    @Override
    public <E, M> void subscribe(final Topic<E> topic, final AgentRef<M> subscriber,
                                 final Function<? super E, ? extends M> adapter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(adapter, "adapter");
        final AgentCell<?> cell = agents.get(subscriber.id());
        if (cell == null || cell.isClosing()) {
            throw new AgentNotFoundException(subscriber.id());
        }
        if (subscriber.messageType() != cell.type) { // a message adapter's ref: its messages are not the cell's
            throw new MessageTypeException(cell.id, cell.type, subscriber.messageType());
        }
        subscribeCell(topic, cell, Adapted.erase(adapter));
    }

    /**
     * The agent thread of {@code cell} (its context): subscribes it with an adapter (rule 6.9), so
     * the event type need not be its message type.
     */
    void subscribeAdapted(final Topic<?> topic, final AgentCell<?> cell, final Function<Object, ?> adapter) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(adapter, "adapter");
        if (cell.isClosing()) {
            throw new AgentNotFoundException(cell.id);
        }
        subscribeCell(topic, cell, adapter);
    }

    private void subscribeCell(final Topic<?> topic, final AgentCell<?> cell, final Function<Object, ?> adapter) {
        // The adapter first: a publisher that finds the cell in the table finds its adapter too.
        cell.addTopic(topic, adapter);
        // compute, not computeIfAbsent + add: a topic's list is removed when it empties (removeSubscriber),
        // and an add to a list that was just removed would be lost. The map's per-key atomicity
        // orders the two.
        topics.compute(topic, (t, list) -> {
            final CopyOnWriteArrayList<AgentCell<?>> l = list == null ? new CopyOnWriteArrayList<>() : list;
            l.addIfAbsent(cell);
            return l;
        });
        if (cell.isClosing()) { // raced with its stop: make sure it does not linger (rule 6.5)
            unsubscribe(topic, cell.id);
        }
    }

    @Override
    public boolean unsubscribe(final Topic<?> topic, final AgentId subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        final boolean[] removed = new boolean[1];
        topics.computeIfPresent(topic, (t, list) -> {
            removed[0] = list.removeIf(cell -> cell.id.equals(subscriber));
            return list.isEmpty() ? null : list;
        });
        final AgentCell<?> cell = agents.get(subscriber);
        if (cell != null) {
            cell.removeTopic(topic);
        }
        return removed[0];
    }

    /**
     * Removes one subscriber, and the topic itself when that was its last subscriber: a topic with
     * no subscriber costs no memory (rule 6.8), so per-entity topics can come and go.
     */
    void removeSubscriber(final Topic<?> topic, final AgentCell<?> cell) {
        topics.computeIfPresent(topic, (t, list) -> {
            list.remove(cell);
            return list.isEmpty() ? null : list;
        });
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

    private int publishInternal(final Topic<?> topic, final Object event) {
        final CopyOnWriteArrayList<AgentCell<?>> list = topics.get(topic);
        return list == null || list.isEmpty() ? 0 : publishTo(topic, list, event);
    }

    private int publishTo(final Topic<?> topic, final CopyOnWriteArrayList<AgentCell<?>> list, final Object event) {
        int accepted = 0;
        for (final AgentCell<?> cell : list) {
            final Object delivery = cell.deliveryOf(topic, event); // the event, or wrapped with the subscription's adapter (rule 6.9)
            if (delivery == null) {
                continue; // raced the end of an adapted subscription (rule 6.4)
            }
            final Offer outcome = cell.offer(delivery, false);
            if (outcome == Offer.ACCEPTED) {
                accepted++;
            } else if (outcome == Offer.REFUSED_FULL) {
                counters.droppedEvents.increment(); // rule 6.6
            } else {
                removeSubscriber(topic, cell); // rule 6.5
            }
        }
        return accepted;
    }

    @Override
    public int subscriberCount(final Topic<?> topic) {
        Objects.requireNonNull(topic, "topic");
        final List<AgentCell<?>> list = topics.get(topic);
        return list == null ? 0 : list.size();
    }

    /**
     * Diagnostics: how many topics have at least one subscriber (rule 6.8: no others are kept).
     *
     * @return the number of topics in the topic table
     */
    public int topicCount() {
        return topics.size();
    }

    // ---- events from cells (agent threads)

    void lifecycle(final AgentId id, final AgentState from, final AgentState to) {
        if (log.isTraceEnabled()) {
            log.trace("{} {} -> {}", id, from, to);
        }
        final CopyOnWriteArrayList<AgentCell<?>> list = topics.get(SystemTopics.LIFECYCLE);
        if (list != null && !list.isEmpty()) { // allocate the event only when someone listens
            publishTo(SystemTopics.LIFECYCLE, list, new LifecycleEvent(id, from, to));
        }
    }

    /**
     * Rule 4.9: hands a fatal error caught on a runtime thread to the fatal-error handler (by default
     * the process halts). Does nothing for any other throwable.
     *
     * @return whether it was fatal
     */
    boolean escalateIfFatal(final Throwable error) {
        return FatalErrorHandler.escalateIfFatal(fatalErrors, error);
    }

    void failure(final AgentFailure failure) {
        FlightEvents.failed(failure, this);
        publishInternal(SystemTopics.FAILURES, failure);
        final long suppressed = failureLog.acquire();
        if (suppressed >= 0) {
            log.warn("{} failed in {} ({}): {} -> {}; {} more failure logs suppressed in the last second",
                    named(failure.agent()), failure.phase(),
                    failure.messageType() == null ? "-" : failure.messageType().getName(), failure.cause(),
                    failure.decision(), suppressed);
        }
        if (log.isDebugEnabled()) {
            log.debug("failure of " + failure.agent(), failure.cause());
        }
    }

    /** Any thread: {@code agent-7 (todo-store)} for a named live agent, else its id alone, for logs. */
    private String named(final AgentId id) {
        final AgentCell<?> cell = agents.get(id);
        final String name = cell == null ? null : cell.name();
        return name == null ? id.toString() : id + " (" + name + ")";
    }

    /**
     * Rule 2.8: counts a dead letter, tells the observer (the one way a runtime shutdown's dead
     * letters are seen: they reach no subscriber), publishes it. Called once per dead letter, on the
     * thread that dead-letters it (AgentCell's close).
     */
    void deadLetter(final DeadLetter deadLetter) {
        counters.deadLetters.increment();
        FlightEvents.deadLetter(deadLetter, this);
        final DeadLetterObserver observer = deadLetterObserver;
        if (observer != null) {
            try {
                observer.onDeadLetter(deadLetter);
            } catch (final Throwable e) { // not the agent's failure: counted, logged, escalated if fatal
                observerFailed("DeadLetterObserver.onDeadLetter", e);
            }
        }
        publishInternal(SystemTopics.DEAD_LETTERS, deadLetter);
        if (stopped) {
            return; // rule 2.8: quiet during orderly shutdown; still counted
        }
        final long suppressed = deadLetterLog.acquire();
        if (suppressed >= 0) {
            log.info("dead letter to {}: {} ({}); {} more suppressed in the last second", deadLetter.recipient(),
                    deadLetter.message().getClass().getName(), deadLetter.reason(), suppressed);
        }
    }

    /**
     * Any thread: an observer ({@link HandlerTimer}, {@link NamedAgentListener}) threw. Not the
     * agent's failure: counted ({@link #observerFailures()}) and logged at most once a second; a
     * fatal error is escalated (rule 4.9) first.
     *
     * @param where the observer's method
     * @param error what it threw
     */
    void observerFailed(final String where, final Throwable error) {
        escalateIfFatal(error);
        observerFailures.increment();
        final long suppressed = observerLog.acquire();
        if (suppressed >= 0) {
            log.warn("{} threw; not an agent failure, ignored; {} more suppressed in the last second", where,
                    suppressed, error);
        }
    }

    /** @return how many times an observer threw (any thread; exact at quiescence) */
    public long observerFailures() {
        return observerFailures.sum();
    }

    /**
     * At most one log line per second per kind (peer lesson 6: restart storms and shutdowns must not
     * flood the logs). Lock-free: a CAS on the time of the last line.
     */
    static final class LogLimiter {
        private final AtomicLong lastLine = new AtomicLong(System.nanoTime() - 2_000_000_000L);
        private final AtomicLong suppressed = new AtomicLong();

        /** @return how many lines were suppressed since the last one, or -1 if this one is suppressed too */
        long acquire() {
            final long now = System.nanoTime();
            final long last = lastLine.get();
            if (now - last >= 1_000_000_000L && lastLine.compareAndSet(last, now)) {
                return suppressed.getAndSet(0);
            }
            suppressed.incrementAndGet();
            return -1;
        }
    }

    void terminated(final AgentCell<?> cell) {
        retirementsStarted.increment();
        agents.remove(cell.id, cell); // removed before its total is added: a torn snapshot errs low
        retiredAccepted.add(cell.acceptedCount()); // exact and final: the close sealed the mailbox
        retirementsEnded.increment();
        final String name = cell.name();
        if (name != null) {
            names.remove(name, cell);
            if (namedAgentListener != null) {
                try {
                    namedAgentListener.unregistered(name, cell.id);
                } catch (RuntimeException | Error e) {
                    observerFailed("NamedAgentListener.unregistered", e);
                }
            }
        }
        counters.terminated.increment();
        FlightEvents.terminated(cell);
        agentDispatchers.released(cell.runsOn()); // a pinned thread ends once this last run returns
    }

    // ---- shutdown

    /**
     * How long {@link #shutdown} may take beyond its timeout (rule 8.7): half of it for agents
     * terminated at the timeout to finish, half for the runtime's threads to exit. A callback that
     * has not returned by then is abandoned on its (daemon) thread, which is interrupted.
     */
    public static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);

    @Override
    public boolean shutdown(final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("shutdown timeout must be >= 0, was " + timeout);
        }
        refuseOnAgentThread("shutdown");
        if (stopped) {
            return shutdownResult.join(); // bounded: the first call returns within its own bound
        }
        stopped = true; // volatile: spawns, sends by id and publishes are refused from here (rule 8.6)
        for (final AgentCell<?> cell : agents.values()) {
            cell.requestStop(TerminationCause.RUNTIME_SHUTDOWN);
        }
        final long graceHalf = SHUTDOWN_GRACE.toNanos() / 2;
        boolean graceful = dispatcher.awaitCondition(agents::isEmpty, Durations.saturatedNanos(timeout));
        if (!graceful) {
            log.warn("{} agents did not stop within {}; terminating them", agents.size(), timeout);
            for (final AgentCell<?> cell : agents.values()) {
                cell.forceTerminate();
            }
            dispatcher.awaitCondition(agents::isEmpty, graceHalf);
        }
        final List<String> stuck = new java.util.ArrayList<>();
        for (final AgentCell<?> cell : agents.values()) {
            final Thread thread = cell.runningOn();
            stuck.add(cell.id + (thread == null ? " (not running)" : " (callback running on " + thread.getName() + ")"));
        }
        final long threadsDeadline = System.nanoTime() + graceHalf;
        agentDispatchers.stop(); // pinned and blocking threads (rule 1.7) end while the dispatcher's do
        boolean threadsExited = dispatcher.shutdown(graceHalf);
        threadsExited &= agentDispatchers.awaitExit(threadsDeadline);
        if (!stuck.isEmpty() || !threadsExited) {
            // Rule 8.7: shutdown is bounded whatever the callbacks do. What did not finish is left
            // behind on daemon threads (interrupted by the dispatcher), and said here.
            log.error("shutdown gave up after {} + {}: {} agents not terminated {}; runtime threads {}; their"
                    + " threads were interrupted and left running as daemons", timeout, SHUTDOWN_GRACE, stuck.size(),
                    stuck, threadsExited ? "exited" : "did not all exit");
        }
        final boolean result = graceful && threadsExited && agents.isEmpty();
        shutdownResult.complete(result);
        return result;
    }

    /**
     * Rule 8.9: shutdown waits for every agent to stop, its caller's own agent included, so called
     * from an agent's callback it could only wait out its timeout and starve the other agents of
     * that thread. Fail at once instead.
     */
    private void refuseOnAgentThread(final String operation) {
        final Thread current = Thread.currentThread();
        for (final AgentCell<?> cell : agents.values()) {
            if (cell.runningOn() == current) {
                throw new AgentThreadCallException(operation, cell.id);
            }
        }
    }

    @Override
    public boolean isShutdown() {
        return stopped;
    }

    @Override
    public void close() {
        refuseOnAgentThread("close");
        shutdown(Duration.ofSeconds(10));
    }
}
