package dev.flin.conformance;

/**
 * Checks of section 2 of {@code docs/spec.md}: Mailboxes and delivery. One method or more per rule, named
 * {@code required_spec_2_M_...} (MUST), {@code optional_spec_2_M_...} (SHOULD/MAY) or
 * {@code untested_spec_2_M_...} (not checkable yet: always reported as skipped).
 */
public interface MailboxRules extends KitSupport {
}
