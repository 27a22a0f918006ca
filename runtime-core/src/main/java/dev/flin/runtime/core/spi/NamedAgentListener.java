package dev.flin.runtime.core.spi;

import dev.flin.runtime.AgentId;

/**
 * Told when a name is given to an agent and when it is free again (rule 8.2): the hook that lets a
 * metrics library keep one meter per named agent, such as its mailbox depth
 * ({@link dev.flin.runtime.AgentRegistry#mailboxDepth}), and remove it when the agent is gone, so
 * that the number of meters stays bounded by the number of live named agents. Anonymous agents are
 * not reported. Set it with {@link dev.flin.runtime.core.RuntimeOptions#withNamedAgentListener}.
 *
 * <p>Threading: {@link #registered} is called on the spawning thread, after the name was taken and
 * before the spawn returns; {@link #unregistered} on the agent's thread, when it terminated and its
 * name was released (the same moment the name becomes free for a new spawn). Each is called once
 * per named agent. Calls for different agents come from different threads at once, so an
 * implementation MUST be thread-safe; for one agent the two calls are ordered only in the usual
 * case: an agent stopped by another thread (found by its name) while its spawn had not returned yet
 * may be reported unregistered before it is reported registered, so an implementation that keeps
 * state per agent should tolerate that order. Neither call may block or call back into the runtime's
 * spawn. A {@code RuntimeException} or {@code Error} it throws (other than the fatal errors of rule
 * 4.9) is caught, counted and logged at most once a second, and changes nothing for the agent.
 */
public interface NamedAgentListener {

    /**
     * @param name  the name, now taken by this agent
     * @param agent the agent
     */
    void registered(String name, AgentId agent);

    /**
     * @param name  the name, now free
     * @param agent the agent, now terminated
     */
    void unregistered(String name, AgentId agent);
}
