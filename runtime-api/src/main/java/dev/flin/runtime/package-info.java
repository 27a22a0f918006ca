/**
 * The FLIN agent model: contracts only, no implementation.
 *
 * <h2>Concepts</h2>
 * <ul>
 *   <li>{@link dev.flin.runtime.Agent}: what an agent does, one message at a time.</li>
 *   <li>{@link dev.flin.runtime.AgentFactory}: how a fresh instance is made (spawn and restart).</li>
 *   <li>{@link dev.flin.runtime.AgentRef}: a typed, thread-safe handle to send to one agent.</li>
 *   <li>{@link dev.flin.runtime.AgentContext}: what an agent may do while it handles a message.</li>
 *   <li>{@link dev.flin.runtime.AgentRegistry}: spawn, send by id, lookup, lifecycle control, counters.</li>
 *   <li>{@link dev.flin.runtime.TopicBroker}: publish-subscribe on typed {@link dev.flin.runtime.Topic}s.</li>
 *   <li>{@link dev.flin.runtime.AgentRuntime}: a registry plus a broker plus shutdown.</li>
 * </ul>
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Every public method states its ordering effect with these words:
 * <ul>
 *   <li><b>happens-before</b>: as in JLS 17.4.5. If action A happens-before B, B sees every write
 *       made before A.</li>
 *   <li><b>accepted</b>: a send that returned normally. Everything the sender wrote before an
 *       accepted send happens-before the handler invocation that processes that message
 *       (rule 1.2).</li>
 *   <li><b>agent thread</b>: whichever thread is currently running an agent's handler. It may change
 *       between invocations; consecutive invocations of one agent are ordered by happens-before, so
 *       an agent's own fields need no synchronization (rule 1.2).</li>
 *   <li><b>any thread</b>: the method is safe to call concurrently from any thread, including other
 *       agents' handlers, and never blocks.</li>
 *   <li><b>agent-thread only</b>: the method may be called only from inside the agent's own
 *       callbacks ({@code onStart}, {@code onMessage}, {@code onSignal}, {@code onStop}); calling it
 *       from elsewhere throws {@link java.lang.IllegalStateException} where detectable.</li>
 * </ul>
 *
 * <p>Nullness: every type, parameter and return value in this package is non-null unless it is
 * annotated {@link org.jspecify.annotations.Nullable @Nullable} (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.runtime;

import org.jspecify.annotations.NullMarked;
