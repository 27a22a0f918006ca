package dev.flin.conformance;

/**
 * Checks of section 3 of {@code docs/spec.md}: Lifecycle. One method or more per rule, named
 * {@code required_spec_3_M_...} (MUST), {@code optional_spec_3_M_...} (SHOULD/MAY) or
 * {@code untested_spec_3_M_...} (not checkable yet: always reported as skipped).
 */
public interface LifecycleRules extends KitSupport {
}
