package dev.flin.runtime.core.spi;

import dev.flin.runtime.AgentId;

/**
 * Told how long each {@code onMessage} call took: the hook that lets a metrics library (such as
 * {@code runtime-micrometer}) time handlers without runtime-core depending on it. Set it with
 * {@link dev.flin.runtime.core.RuntimeOptions#withHandlerTimer}; a runtime without one reads no clock for it.
 *
 * <p>Why here, in runtime-core's exported SPI package, and not in runtime-api: it is an option of
 * this runtime, like the dispatcher, not part of the agent model, so another runtime may time
 * handlers differently, or not at all, without breaking any rule of {@code docs/spec.md}; and it is
 * something users plug in, which the run loop ({@code internal}) calls, so it sits with the other
 * plug-ins ({@link Dispatcher}, {@link IdleStrategy}) in the one package that the internals may
 * depend on without a package cycle.
 *
 * <p>What is timed: each call of {@link dev.flin.runtime.Agent#onMessage} with a user message
 * (after an adapter, rule 2.10, has made it one), from just before the call until it returned or
 * threw, with {@link System#nanoTime()}. Signals, {@code onStart} and {@code onStop} are not
 * timed; a stale timer message that never reaches the handler (rule 7.3) is not either.
 *
 * <p>Threading: {@link #handled} is called on the agent's thread, right after the handler, before
 * the next message of that agent; calls for different agents come from different threads at once,
 * so an implementation MUST be thread-safe. It MUST NOT block and should be as cheap as a counter
 * increment: it delays the agent's next message and every agent waiting for that thread. A
 * {@code RuntimeException} or {@code Error} it throws (other than the fatal errors of rule 4.9,
 * which are escalated as usual) is caught, counted and logged at most once a second by the
 * runtime; it is not the agent's failure: no restart, no {@code AgentFailure}, and the handler's
 * message still counts as processed. Whatever the handler wrote before returning happens-before
 * the call (same thread).
 */
@FunctionalInterface
public interface HandlerTimer {

    /**
     * The agent's thread, after one handler call.
     *
     * @param agent        the agent
     * @param name         its registered name, or null if it has none
     * @param messageType  the class of the message handled
     * @param elapsedNanos how long the call took, in nanoseconds (0 or more)
     */
    void handled(AgentId agent, String name, Class<?> messageType, long elapsedNanos);
}
