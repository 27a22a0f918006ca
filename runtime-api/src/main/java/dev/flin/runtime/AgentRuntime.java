package dev.flin.runtime;

import java.time.Duration;

/**
 * A running FLIN runtime: a registry, a topic broker, and shutdown (section 8 of the spec).
 *
 * <p>Threading: any thread; only {@link #shutdown} and {@link #close} may wait.
 */
public interface AgentRuntime extends AgentRegistry, TopicBroker, AutoCloseable {

    /**
     * Shuts the runtime down (rules 8.6, 8.7): from the start of the call new spawns and sends
     * fail with {@link RuntimeStoppedException}; every agent is asked to stop gracefully; agents
     * still alive at the deadline are terminated with their mailboxes dead-lettered; then every
     * runtime thread exits. Returns within the timeout plus a bounded grace the runtime documents,
     * whatever the callbacks do: a callback that never returns is left on its interrupted thread
     * and reported, and the result is false. Idempotent.
     *
     * @param timeout how long agents get to stop gracefully; at least zero; one beyond the clock's
     *                range means "as long as they take" (rule 8.10)
     * @return true if every agent stopped gracefully within the timeout
     * @throws AgentThreadCallException if called from an agent's callback, before anything is
     *                                  stopped (rule 8.9)
     */
    boolean shutdown(Duration timeout);

    /**
     * @return true once {@link #shutdown} has started
     */
    boolean isShutdown();

    /**
     * Shuts down with a default timeout of 10 seconds.
     *
     * @throws AgentThreadCallException if called from an agent's callback (rule 8.9)
     */
    @Override
    void close();
}
