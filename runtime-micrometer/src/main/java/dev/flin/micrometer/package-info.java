/**
 * Micrometer meter binders for a FLIN runtime. Bind {@link dev.flin.micrometer.FlinRuntimeMetrics}
 * for the runtime's counters (rule 8.3), {@link dev.flin.micrometer.FlinAgentMetrics} for handler
 * times and named agents' mailbox depths (its handler timer goes into the runtime's options), and
 * {@link dev.flin.micrometer.FlinHttpServerMetrics} for runtime-http's server counters. Meter
 * names and tags are listed in {@code docs/observability.md}.
 *
 * <p>Threading: each type states its own contract; binders are bound once, then read by the
 * registry on its own threads.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.micrometer;

import org.jspecify.annotations.NullMarked;
