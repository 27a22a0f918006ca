package dev.flin.conformance;

/**
 * Checks of section 8 of {@code docs/spec.md}: Registry and runtime. One method or more per rule, named
 * {@code required_spec_8_M_...} (MUST), {@code optional_spec_8_M_...} (SHOULD/MAY) or
 * {@code untested_spec_8_M_...} (not checkable yet: always reported as skipped).
 */
public interface RegistryRules extends KitSupport {
}
