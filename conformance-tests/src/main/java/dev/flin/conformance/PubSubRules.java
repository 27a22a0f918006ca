package dev.flin.conformance;

/**
 * Checks of section 6 of {@code docs/spec.md}: Publish-subscribe. One method or more per rule, named
 * {@code required_spec_6_M_...} (MUST), {@code optional_spec_6_M_...} (SHOULD/MAY) or
 * {@code untested_spec_6_M_...} (not checkable yet: always reported as skipped).
 */
public interface PubSubRules extends KitSupport {
}
