/**
 * Deliberately bad agent code: each class breaks one rule of
 * {@link dev.flin.conformance.arch.NoSharedStateRules} (see its javadoc). Compiled, never run.
 */
package dev.flin.conformance.arch.samples.bad;
