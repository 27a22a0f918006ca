package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentFactory;
import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentState;
import dev.flin.runtime.DeadLetter;
import dev.flin.runtime.DuplicateAgentNameException;
import dev.flin.runtime.LifecycleEvent;
import dev.flin.runtime.MessageTypeException;
import dev.flin.runtime.RuntimeCounters;
import dev.flin.runtime.RuntimeStoppedException;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.SystemTopics;
import dev.flin.runtime.TerminationCause;
import dev.flin.runtime.Topic;
import dev.flin.runtime.core.Dispatcher;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    final Counters counters = new Counters();
    final int batchSize;
    private final int defaultCapacity;
    private final ConcurrentHashMap<AgentId, AgentCell<?>> agents = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AgentCell<?>> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Topic<?>, CopyOnWriteArrayList<AgentCell<?>>> topics = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final LogLimiter deadLetterLog = new LogLimiter();
    private final LogLimiter failureLog = new LogLimiter();
    private final CompletableFuture<Boolean> shutdownResult = new CompletableFuture<>();
    private volatile boolean stopped;
    private final FatalErrorHandler fatalErrors;

    /**
     * @param dispatcher      runs agents and timers; owned (and shut down) by this runtime
     * @param defaultCapacity mailbox capacity when a spawn asks for 0
     * @param batchSize       messages an agent may process before yielding its thread
     * @param fatalErrors     what a runtime thread does with a fatal error (rule 4.9)
     */
    public RuntimeCore(final Dispatcher dispatcher, final int defaultCapacity, final int batchSize,
            final FatalErrorHandler fatalErrors) {
        this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
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
        final AgentCell<M> cell = new AgentCell<>(id, messageType, factory, options, this, capacity);
        if (options.name() != null) {
            final AgentCell<?> owner = names.putIfAbsent(options.name(), cell);
            if (owner != null) {
                throw new DuplicateAgentNameException(options.name(), owner.id);
            }
        }
        agents.put(id, cell);
        counters.spawned.increment();
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
    public void stop(final AgentId target) {
        live(target).requestStop(TerminationCause.STOPPED);
    }

    @Override
    public void pause(final AgentId target) {
        live(target).pause();
    }

    @Override
    public void resume(final AgentId target) {
        live(target).resume();
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
        long queued = 0;
        for (final AgentCell<?> cell : agents.values()) {
            queued += cell.depth();
        }
        final Counters c = counters;
        // Every accepted message is, at any moment, exactly one of: queued (in a live agent's ring),
        // processed, dead-lettered, or dropped as a stale timer message (rule 2.4); a retracted send
        // is none of them and never accepted. So "accepted" is their sum, and the send path counts
        // nothing. A sum read while agents run may be off by messages in flight; at quiescence it is
        // exact (rule 8.3), and tests still compare it with what the senders themselves saw.
        final long processed = c.processed.sum();
        final long deadLetters = c.deadLetters.sum();
        final long stale = c.staleTimerMessages.sum();
        return new RuntimeCounters(c.spawned.sum(), c.terminated.sum(), c.restarts.sum(), c.failures.sum(),
                processed + deadLetters + stale + queued, processed, deadLetters, stale, queued,
                c.rejectedFull.sum(), c.rejectedNotFound.sum(), c.lateReplies.sum(), c.droppedEvents.sum());
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
        topics.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).addIfAbsent(cell);
        cell.addTopic(topic);
        if (cell.isClosing()) { // raced with its stop: make sure it does not linger (rule 6.5)
            unsubscribe(topic, cell.id);
        }
    }

    @Override
    public boolean unsubscribe(final Topic<?> topic, final AgentId subscriber) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(subscriber, "subscriber");
        final CopyOnWriteArrayList<AgentCell<?>> list = topics.get(topic);
        if (list == null) {
            return false;
        }
        final boolean removed = list.removeIf(cell -> cell.id.equals(subscriber));
        final AgentCell<?> cell = agents.get(subscriber);
        if (cell != null) {
            cell.removeTopic(topic);
        }
        return removed;
    }

    void unsubscribeAll(final AgentCell<?> cell) {
        final java.util.Set<Topic<?>> subscribed = cell.topics();
        for (final Topic<?> topic : subscribed) {
            final CopyOnWriteArrayList<AgentCell<?>> list = topics.get(topic);
            if (list != null) {
                list.remove(cell);
            }
        }
        if (!subscribed.isEmpty()) {
            subscribed.clear(); // the cell's own set; Set.of() when it never subscribed
        }
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
        return list == null || list.isEmpty() ? 0 : publishTo(list, event);
    }

    private int publishTo(final CopyOnWriteArrayList<AgentCell<?>> list, final Object event) {
        int accepted = 0;
        for (final AgentCell<?> cell : list) {
            final int outcome = cell.offer(event, false);
            if (outcome == AgentCell.OK) {
                accepted++;
            } else if (outcome == AgentCell.FULL) {
                counters.droppedEvents.increment(); // rule 6.6
            } else {
                list.remove(cell); // rule 6.5
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

    // ---- events from cells (agent threads)

    void lifecycle(final AgentId id, final AgentState from, final AgentState to) {
        if (log.isTraceEnabled()) {
            log.trace("{} {} -> {}", id, from, to);
        }
        final CopyOnWriteArrayList<AgentCell<?>> list = topics.get(SystemTopics.LIFECYCLE);
        if (list != null && !list.isEmpty()) { // allocate the event only when someone listens
            publishTo(list, new LifecycleEvent(id, from, to));
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
        publishInternal(SystemTopics.FAILURES, failure);
        final long suppressed = failureLog.acquire();
        if (suppressed >= 0) {
            log.warn("{} failed in {} ({}): {} -> {}; {} more failure logs suppressed in the last second",
                    failure.agent(), failure.phase(),
                    failure.messageType() == null ? "-" : failure.messageType().getName(), failure.cause(),
                    failure.decision(), suppressed);
        }
        if (log.isDebugEnabled()) {
            log.debug("failure of " + failure.agent(), failure.cause());
        }
    }

    void deadLetter(final DeadLetter deadLetter) {
        counters.deadLetters.increment();
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
        agents.remove(cell.id, cell);
        if (cell.name != null) {
            names.remove(cell.name, cell);
        }
        counters.terminated.increment();
    }

    // ---- shutdown

    @Override
    public boolean shutdown(final Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (stopped) {
            return shutdownResult.join();
        }
        stopped = true; // volatile: spawns, sends by id and publishes are refused from here (rule 8.6)
        for (final AgentCell<?> cell : agents.values()) {
            cell.requestStop(TerminationCause.RUNTIME_SHUTDOWN);
        }
        boolean graceful = dispatcher.awaitCondition(agents::isEmpty, timeout.toNanos());
        if (!graceful) {
            log.warn("{} agents did not stop within {}; terminating them", agents.size(), timeout);
            for (final AgentCell<?> cell : agents.values()) {
                cell.forceTerminate();
            }
            dispatcher.awaitCondition(agents::isEmpty, Duration.ofSeconds(5).toNanos());
        }
        final boolean threadsExited = dispatcher.shutdown(Duration.ofSeconds(5).toNanos());
        final boolean result = graceful && threadsExited && agents.isEmpty();
        shutdownResult.complete(result);
        return result;
    }

    @Override
    public boolean isShutdown() {
        return stopped;
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
