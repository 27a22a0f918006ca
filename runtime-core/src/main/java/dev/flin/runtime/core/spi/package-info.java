/**
 * The dispatcher SPI of runtime-core: what runs agents and timers, exported on its own so that
 * other dispatchers (runtime-http's event loops, a test's deterministic one) implement it without
 * depending on the runtime's factories, and the runtime's internals implement it without a package
 * cycle.
 *
 * <ul>
 *   <li>{@link dev.flin.runtime.core.spi.Dispatcher}: runs an agent's scheduled runs and timers,
 *       and tells the runtime whether it confines every agent to itself (rule 1.7).</li>
 *   <li>{@link dev.flin.runtime.core.spi.IdleStrategy}: what an idle worker thread does.</li>
 *   <li>{@link dev.flin.runtime.core.spi.TimerWheel}: a lock-free hashed timer wheel any dispatcher
 *       can use for {@code schedule}.</li>
 *   <li>{@link dev.flin.runtime.core.spi.HandlerTimer} and
 *       {@link dev.flin.runtime.core.spi.NamedAgentListener}: observers a metrics library plugs in
 *       through {@code RuntimeOptions} (handler times; named agents coming and going), so that
 *       runtime-core needs no metrics dependency (see docs/observability.md).</li>
 * </ul>
 * This package depends on runtime-api and the JDK only. Threading and happens-before are stated
 * on each type.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.runtime.core.spi;

import org.jspecify.annotations.NullMarked;
