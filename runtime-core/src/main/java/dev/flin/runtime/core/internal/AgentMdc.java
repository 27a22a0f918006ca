package dev.flin.runtime.core.internal;

import dev.flin.runtime.Correlated;
import org.slf4j.MDC;

/**
 * The SLF4J MDC keys an agent's callbacks run with (rule 8.12), when
 * {@code RuntimeOptions.agentMdc()} is on (off by default).
 *
 * <ul>
 *   <li>{@value #AGENT_ID} ({@code agent-42}) and {@value #AGENT_NAME} (only for a named agent):
 *       put once when a run of the agent begins on a thread, before any callback of the run
 *       ({@code onStart}, {@code onMessage}, {@code onSignal}, {@code onStop}), and removed when the
 *       run ends, before the thread runs anything else: a worker runs many agents one after the
 *       other, and none sees another's keys. Per run, not per message: a run handles up to a batch
 *       of messages.</li>
 *   <li>{@value #CORRELATION_ID}: put before {@code onMessage} with a message that implements
 *       {@link Correlated} and has a non-null id, removed when that call returns or throws.</li>
 * </ul>
 * The runtime removes only these keys; keys a handler puts itself stay on the thread.
 *
 * <p>Threading: the MDC is per thread, so every method works on the calling thread's only; called
 * by the agent thread of the run. Stateless: no static mutable state here (the MDC's own state is
 * SLF4J's).
 */
final class AgentMdc {

    /** The agent's id, as {@code AgentId.toString()}. */
    static final String AGENT_ID = "flin.agent.id";
    /** The agent's registered name; absent for an anonymous agent. */
    static final String AGENT_NAME = "flin.agent.name";
    /** The correlation id of the message being handled ({@link Correlated}). */
    static final String CORRELATION_ID = "flin.correlation.id";

    private AgentMdc() {
    }

    /**
     * A run begins.
     *
     * @param id   the agent's id as a string
     * @param name its name, or null
     */
    static void enter(final String id, final String name) {
        MDC.put(AGENT_ID, id);
        if (name != null) {
            MDC.put(AGENT_NAME, name);
        }
    }

    /** The run ends: removes every key of this class (the correlation id too, in case a handler's threw mid-way). */
    static void exit() {
        MDC.remove(AGENT_ID);
        MDC.remove(AGENT_NAME);
        MDC.remove(CORRELATION_ID);
    }

    /**
     * Before {@code onMessage}.
     *
     * @param message the message
     * @return whether a correlation id was put (then call {@link #endMessage()} after the handler)
     */
    static boolean beginMessage(final Object message) {
        if (message instanceof Correlated correlated) {
            final String correlationId = correlated.correlationId();
            if (correlationId != null) {
                MDC.put(CORRELATION_ID, correlationId);
                return true;
            }
        }
        return false;
    }

    /** After {@code onMessage} with a correlation id. */
    static void endMessage() {
        MDC.remove(CORRELATION_ID);
    }
}
