package dev.flin.conformance;

/**
 * Checks of section 5 of {@code docs/spec.md}: Request-response. One method or more per rule, named
 * {@code required_spec_5_M_...} (MUST), {@code optional_spec_5_M_...} (SHOULD/MAY) or
 * {@code untested_spec_5_M_...} (not checkable yet: always reported as skipped).
 */
public interface AskRules extends KitSupport {
}
