package dev.flin.conformance;

/**
 * Checks of section 4 of {@code docs/spec.md}: Failure and supervision. One method or more per rule, named
 * {@code required_spec_4_M_...} (MUST), {@code optional_spec_4_M_...} (SHOULD/MAY) or
 * {@code untested_spec_4_M_...} (not checkable yet: always reported as skipped).
 */
public interface SupervisionRules extends KitSupport {
}
