package dev.flin.runtime;

/**
 * Makes a fresh {@link Agent} instance. Spawn takes a factory rather than an instance so that no
 * caller ever holds a reference to an agent's state, and a restart can build a clean instance
 * (rule 1.3).
 *
 * <p>Threading: called by the runtime on the agent thread, once at spawn and once per restart.
 * Each call must return a new instance, unless the instance is stateless (its class has no
 * instance fields, like a non-capturing lambda): returning a stateful instance again would carry
 * its state across a restart and is a start failure (rule 1.3).
 *
 * @param <M> the message type of the agents it makes
 */
@FunctionalInterface
public interface AgentFactory<M> {

    /**
     * @return a new agent instance, never null, and never a stateful one returned before
     */
    Agent<M> create();
}
