/**
 * Testing agents: a runtime per test ({@link dev.flin.testkit.FlinTestKit}), on the real worker pool
 * or on the deterministic dispatcher with a manual clock; probes that stand in for agents
 * ({@link dev.flin.testkit.TestProbe}) and for the reply handle of an ask
 * ({@link dev.flin.testkit.ReplyProbe}); failures, dead letters and lifecycle events captured from
 * the runtime's system topics; and a JUnit 5 extension ({@link dev.flin.testkit.FlinTestKitExtension})
 * that gives each test a kit, fails it when an agent failed unexpectedly, and prints the seed of a
 * deterministic test that failed so that it can be replayed. Guide: {@code docs/testing.md}.
 *
 * <p>Nullness: non-null unless annotated {@link org.jspecify.annotations.Nullable @Nullable}
 * (JSpecify's {@code @NullMarked}).
 */
@NullMarked
package dev.flin.testkit;

import org.jspecify.annotations.NullMarked;
