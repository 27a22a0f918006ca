package dev.flin.runtime;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Spawns agents, sends to them by id, finds them by name, and controls their lifecycle
 * (section 8 of the spec). The registry holds mailbox handles only, never agent state (rule 1.4).
 *
 * <p>Threading: every method is callable from any thread, including from inside agents, and
 * never blocks (rule 8.5).
 */
public interface AgentRegistry {

    /**
     * Spawns an agent with default options.
     *
     * @param <M>         the agent's message type
     * @param messageType the class of the messages it accepts
     * @param factory     creates the agent's instance, at the start and at each restart
     * @return the new agent's reference
     * @see #spawn(Class, AgentFactory, SpawnOptions)
     */
    <M> AgentRef<M> spawn(Class<M> messageType, AgentFactory<M> factory);

    /**
     * Spawns an agent (rule 8.1). Returns at once with a fresh, never reused id (rule 3.8); the
     * instance is created and started on the agent thread (rule 3.2). Messages sent before
     * {@code onStart} completes wait in the mailbox.
     *
     * @param messageType the message type the agent accepts; sends by id are checked against it
     * @param factory     makes the instance, at spawn and on each restart (rule 1.3)
     * @param options     name, mailbox capacity, restart policy
     * @param <M>         the message type
     * @return a typed ref to the new agent
     * @throws DuplicateAgentNameException if the name belongs to a live agent
     * @throws RuntimeStoppedException     if the runtime has shut down
     */
    <M> AgentRef<M> spawn(Class<M> messageType, AgentFactory<M> factory, SpawnOptions options);

    /**
     * Sends by id, as in {@link AgentRef#tell}.
     *
     * @param target  the agent's id
     * @param message the message, not null
     * @throws NullPointerException       if message is null (rule 2.7)
     * @throws MessageTypeException       if the agent does not accept the message's type (rule 2.6)
     * @throws AgentNotFoundException     if no live agent has that id (rule 2.5)
     * @throws MailboxFullException       if the mailbox is full (rule 2.2)
     * @throws RuntimeStoppedException    if the runtime has shut down
     */
    void send(AgentId target, Object message);

    /**
     * @param target      an agent id
     * @param messageType the type the caller expects it to accept
     * @param <M>         the message type
     * @return a typed ref if the agent is alive and declared exactly that message type
     */
    <M> Optional<AgentRef<M>> ref(AgentId target, Class<M> messageType);

    /**
     * @param name a name given at spawn
     * @return the live agent with that name (rule 8.2)
     */
    Optional<AgentId> lookup(String name);

    /**
     * A typed lookup: the live agent with that name, as a ref of the type the caller expects.
     *
     * @param name        a name given at spawn
     * @param messageType the type the caller expects it to accept
     * @param <M>         the message type
     * @return its ref; empty if no live agent has that name, or it does not declare exactly that
     *         message type (as {@link #ref})
     */
    default <M> Optional<AgentRef<M>> lookup(final String name, final Class<M> messageType) {
        java.util.Objects.requireNonNull(messageType, "messageType");
        return lookup(name).flatMap(id -> ref(id, messageType));
    }

    /**
     * Requests a graceful stop (rule 3.6). Idempotent. Asynchronous: when this returns, the request
     * is registered (sends from here on are refused, rule 2.5); the agent stops on its own thread.
     *
     * @param target the agent
     * @return a stage completed with the termination cause once the agent is TERMINATED (rule 8.11);
     *         unlike {@link #whenTerminated} taken later, it never says UNKNOWN
     * @throws AgentNotFoundException if no live agent has that id
     */
    CompletionStage<TerminationCause> stop(AgentId target);

    /**
     * Pauses processing after the current message (rule 3.4). Idempotent. Asynchronous: once this
     * returns, the agent starts no further message; {@link #state} may still say RUNNING until the
     * agent thread applies the pause.
     *
     * @param target the agent
     * @return a stage completed with {@code PAUSED} once the pause has taken effect, or with the state
     *         that superseded it (rule 8.11)
     * @throws AgentNotFoundException if no live agent has that id
     */
    CompletionStage<AgentState> pause(AgentId target);

    /**
     * Resumes processing in order (rule 3.5). Idempotent. Asynchronous, like {@link #pause}.
     *
     * @param target the agent
     * @return a stage completed with {@code RUNNING} once the resume has taken effect, or with the
     *         state that superseded it (rule 8.11)
     * @throws AgentNotFoundException if no live agent has that id
     */
    CompletionStage<AgentState> resume(AgentId target);

    /**
     * @param target an agent id
     * @return its current state, or empty once it is terminated and removed (rule 8.1)
     */
    Optional<AgentState> state(AgentId target);

    /**
     * @param target an agent id
     * @return how many accepted messages wait in its mailbox (rule 8.4)
     * @throws AgentNotFoundException if no live agent has that id
     */
    int mailboxDepth(AgentId target);

    /**
     * @param target an agent id
     * @return the effective bound of its mailbox (rule 2.1)
     * @throws AgentNotFoundException if no live agent has that id
     */
    int mailboxCapacity(AgentId target);

    /**
     * @param target an agent id
     * @return a stage completed (with the cause) when the agent reaches TERMINATED; completed at
     *         once with {@link TerminationCause#UNKNOWN} for an id that is not alive
     */
    CompletionStage<TerminationCause> whenTerminated(AgentId target);

    /**
     * @return a snapshot of the counters (rule 8.3)
     */
    RuntimeCounters counters();
}
