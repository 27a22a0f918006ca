package dev.flin.conformance;

/**
 * Checks of section 7 of {@code docs/spec.md}: Timers. One method or more per rule, named
 * {@code required_spec_7_M_...} (MUST), {@code optional_spec_7_M_...} (SHOULD/MAY) or
 * {@code untested_spec_7_M_...} (not checkable yet: always reported as skipped).
 */
public interface TimerRules extends KitSupport {
}
