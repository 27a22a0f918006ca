/**
 * The FLIN runtime on LMAX Disruptor mailboxes.
 *
 * <ul>
 *   <li>{@link dev.flin.runtime.core.FlinRuntime}: creates an {@link dev.flin.runtime.AgentRuntime}.</li>
 *   <li>{@link dev.flin.runtime.core.RuntimeOptions}: mailbox default, batch size, dispatcher, the
 *       observers (handler timer, named-agent listener) and the agent MDC.</li>
 *   <li>{@link dev.flin.runtime.core.spi.Dispatcher}: the strategy that runs agents and timers:
 *       {@link dev.flin.runtime.core.Dispatchers#workerPool} (default) or
 *       {@link dev.flin.runtime.core.DeterministicDispatcher} (one thread, seeded order, manual clock).</li>
 *   <li>{@link dev.flin.runtime.core.spi.IdleStrategy}: what an idle worker does.</li>
 * </ul>
 * The dispatcher SPI ({@code Dispatcher}, {@code IdleStrategy}, {@code TimerWheel}) is an exported
 * package of its own, {@code dev.flin.runtime.core.spi}, which depends on nothing else in this
 * module: the internals implement it without depending on this package, so the packages form no
 * cycle.
 *
 * <h2>Memory-ordering vocabulary</h2>
 * Comments in this module use the JCTools words: <b>plain</b> (no ordering), <b>ordered</b>
 * (release store / acquire load: {@code setRelease}, {@code Sequence.set}), <b>volatile</b>
 * (sequentially consistent), <b>CAS</b> (volatile read and write, atomic), and
 * <b>full fence</b> ({@code VarHandle.fullFence}). Internals live in
 * {@code dev.flin.runtime.core.internal}, which the module does not export.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.runtime.core;

import org.jspecify.annotations.NullMarked;
