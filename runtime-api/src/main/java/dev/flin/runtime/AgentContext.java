package dev.flin.runtime;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What an agent may do while the runtime calls it: its own ref, the runtime, timers, death
 * watch, subscriptions, and non-blocking composition of asks.
 *
 * <p>Threading: agent-thread only, except {@link #self()}. Every other method, called on a thread
 * that is not running one of this agent's callbacks at that moment (another thread, another
 * agent, or after the callback returned), throws {@link ContextOutsideAgentException} (an
 * {@link IllegalStateException}) and does nothing else (rule 1.4). Do not hand the context to
 * other threads; hand them {@link #self()}, the agent's ref. The context is a separate object
 * from every ref: no ref is an {@code AgentContext} (rule 1.4).
 *
 * @param <M> the agent's message type
 */
public interface AgentContext<M> {

    /**
     * Any thread: the one method of the context that is not agent-thread only, so that a
     * {@link #pipeToSelf} mapper or a stage's callback may reach the agent through its mailbox.
     *
     * @return this agent's own ref, the same handle spawn and the registry return; any thread may
     *         use it
     */
    AgentRef<M> self();

    /**
     * @return the runtime this agent lives in; the returned runtime's methods are thread-safe
     *         (rule 8.5) and may be used from anywhere, but this call is agent-thread only
     */
    AgentRuntime runtime();

    /**
     * @return this agent's timers (rule 7.1)
     */
    Timers<M> timers();

    /**
     * Asks to receive {@link Signal.Terminated} once when {@code target} terminates (rule 4.7).
     * Watching an agent that is already terminated (or never existed) signals at once, with cause
     * {@link TerminationCause#UNKNOWN}. Watching twice has no further effect.
     *
     * @param target the agent to watch
     */
    void watch(AgentId target);

    /**
     * Stops watching; a signal not yet delivered is not delivered.
     *
     * @param target the watched agent
     */
    void unwatch(AgentId target);

    /**
     * Subscribes this agent to a topic whose events are messages it accepts (rule 6.2).
     *
     * @param topic the topic
     * @param <E>   the event type, a subtype of this agent's message type
     */
    <E extends M> void subscribe(Topic<E> topic);

    /**
     * Subscribes this agent to a topic whose events are not messages it accepts, turning each event
     * into one with {@code adapter} (rule 6.9). The adapter runs on this agent's thread, just before
     * the message is handled, in mailbox order: it may be a method of the agent. Subscribing again to
     * the same topic replaces the adapter; {@link #unsubscribe} ends it.
     *
     * @param topic   the topic
     * @param adapter turns an event into this agent's message; it must not return null, and what it
     *                throws is a failure of this agent, as if the handler had thrown (rule 4.1)
     * @param <E>     the event type
     */
    <E> void subscribe(Topic<E> topic, Function<? super E, ? extends M> adapter);

    /**
     * @param topic the topic to leave (rule 6.4)
     */
    void unsubscribe(Topic<?> topic);

    /**
     * A ref through which others send this agent messages of another type (rule 2.10): each is
     * turned into one of this agent's messages by {@code adapter}, on this agent's thread, in
     * mailbox order with every other message; it counts against this agent's mailbox bound like any
     * send. Hand it to an agent that speaks another protocol, or make it the reply target of a
     * request, instead of widening this agent's type to {@code Object}. The ref has this agent's id
     * and lives as long as the agent; sending through it after the agent terminated fails as any
     * send does (rule 2.5).
     *
     * @param type    the type of message the ref accepts
     * @param adapter turns one into this agent's message; it must not return null, and what it
     *                throws is a failure of this agent, as if the handler had thrown (rule 4.1)
     * @param <U>     that type
     * @return the adapter's ref; any thread may use it
     */
    <U> AgentRef<U> messageAdapter(Class<U> type, Function<? super U, ? extends M> adapter);

    /**
     * Asks another agent and has the outcome delivered to this one as a message (rules 5.5, 5.8):
     * {@code target.ask(request, timeout)} piped to this agent with {@link #pipeToSelf}.
     *
     * @param target  the agent asked
     * @param request builds the request from the reply handle
     * @param timeout how long the ask may take (rule 5.1)
     * @param mapper  turns (reply, failure) into this agent's message, as for {@link #pipeToSelf}
     * @param <T>     the target's message type
     * @param <R>     the reply type
     */
    default <T, R> void ask(final AgentRef<T> target, final Function<Reply<R>, ? extends T> request, final Duration timeout,
            final BiFunction<? super R, Throwable, ? extends M> mapper) {
        pipeToSelf(target.ask(request, timeout), mapper);
    }

    /**
     * Delivers the outcome of a stage back to this agent as a message, without blocking
     * (rule 5.5). The mapper runs when the stage completes, on whatever thread completes it, so it
     * must not use this context (only {@link #self()}): it builds the message, nothing more. Its
     * result is sent to this agent through the bounded mailbox (rule 2.9). If that send is refused
     * (the mailbox is full, the agent is stopping) it is counted like any refused send
     * ({@code rejectedFull}, {@code rejectedNotFound}) and logged; it is not a dead letter, because
     * it was never accepted.
     *
     * @param stage  the stage to wait for
     * @param mapper turns (value, failure) into a message; exactly one of them is non-null unless
     *               the value itself is null
     * @param <R>    the stage's value type
     */
    <R> void pipeToSelf(CompletionStage<R> stage, BiFunction<? super R, Throwable, ? extends M> mapper);

    /**
     * Requests this agent's own stop: the current message finishes, the messages accepted before
     * this call are processed, then {@code onStop} runs (rule 3.6).
     */
    void stop();

    /**
     * @return how many times this agent has been restarted so far (0 for the first instance)
     */
    int restartCount();
}
