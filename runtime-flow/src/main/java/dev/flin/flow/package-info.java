/**
 * {@link java.util.concurrent.Flow} (Reactive Streams) for FLIN agents, both ways.
 *
 * <ul>
 *   <li>{@link dev.flin.flow.TopicPublisher}: a {@link dev.flin.runtime.Topic} as a
 *       {@code Flow.Publisher}. Each subscriber gets an agent of its own, subscribed to the topic,
 *       whose bounded mailbox is the buffer between the topic and the subscriber's demand. The
 *       stream is lossy once that buffer is full (spec rule 6.6) and completes when the runtime
 *       shuts down.</li>
 *   <li>{@link dev.flin.flow.AgentSubscriber}: a {@code Flow.Subscriber} that turns each element,
 *       the completion and the error into messages to an agent ({@link dev.flin.flow.FlowMessages}),
 *       requesting no more than a bounded window of elements beyond those the agent has taken out
 *       of its mailbox, and cancelling when the agent terminates.</li>
 * </ul>
 *
 * <p>Rules are cited two ways: "rule N.M" is the FLIN spec ({@code docs/spec.md}); "Reactive
 * Streams rule N.M" is the Reactive Streams specification for the JVM, which
 * {@code java.util.concurrent.Flow} adopts. Both classes are checked by the Reactive Streams TCK
 * (the tests of this module); {@code docs/flow.md} says what is offered and why.
 *
 * <h2>Memory-ordering vocabulary</h2>
 * As in runtime-core (the JCTools words): <b>plain</b> (no ordering), <b>volatile</b> (sequentially
 * consistent load or store), <b>CAS</b> (volatile read and write, atomic). Every field shared
 * between threads here is an atomic or volatile one; everything else belongs to one agent, whose
 * callbacks are ordered by the runtime (rules 1.1, 1.2).
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.flow;

import org.jspecify.annotations.NullMarked;
