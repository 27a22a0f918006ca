package dev.flin.runtime.core.internal;

/** The mailbox steps of {@code AgentCell.offer}, for tests that drive a {@link Mailbox} directly. */
final class MailboxSends {

    private MailboxSends() {
    }

    /**
     * Claims a slot in the newest ring, growing the mailbox while it is below its capacity, and
     * publishes {@code message} there.
     *
     * @return whether the message was accepted (false: full at the capacity, or closed)
     */
    static boolean send(final Mailbox box, final Object message) {
        Mailbox.Ring ring = box.tail();
        long sequence = ring.tryClaim();
        while (sequence < 0) {
            ring = box.successor(ring);
            if (ring == null) {
                return false;
            }
            sequence = ring.tryClaim();
        }
        ring.publish(sequence, message);
        return true;
    }
}
