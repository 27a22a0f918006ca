package dev.flin.runtime;

/**
 * A message that carries a correlation id: the id that names one piece of work (an HTTP request,
 * a job) across the agents and log lines it passes through. A runtime that puts agent details in
 * a logging context (runtime-core puts them in the SLF4J MDC) adds this id while the message's
 * handler runs, and removes it when the handler returns (rule 8.12).
 *
 * <p>Implement it on the message type (a record component named {@code correlationId} is enough).
 * Messages that do not implement it are handled without a correlation id.
 *
 * <p>Threading: like every message, an immutable value (rule 1.5); {@link #correlationId()} is
 * called on the receiving agent's thread, once per delivery, and must be cheap and not block.
 */
public interface Correlated {

    /**
     * @return the correlation id, or null for none; short and printable (it is written to logs)
     */
    String correlationId();
}
