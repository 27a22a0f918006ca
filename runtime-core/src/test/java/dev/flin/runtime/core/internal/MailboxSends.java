package dev.flin.runtime.core.internal;

/** The mailbox steps of {@code AgentCell.offer}, for tests that drive a {@link Mailbox} directly. */
final class MailboxSends {

    private MailboxSends() {
    }

    /** A slot claimed at {@code sequence} of {@code ring}: its message is accepted from the claim on. */
    record Claim(Mailbox.Ring ring, long sequence) {
        /** Fills the claimed slot and publishes it. */
        void publish(final Object message) {
            ring.publish(sequence, message);
        }
    }

    /**
     * Claims a slot in the newest ring, growing the mailbox while it is below its capacity.
     *
     * @return the claim, or null when the mailbox is full at its capacity, or closed
     */
    static Claim claim(final Mailbox box) {
        Mailbox.Ring ring = box.tail();
        long sequence = ring.tryClaim();
        while (sequence < 0) {
            ring = box.successor(ring);
            if (ring == null) {
                return null;
            }
            sequence = ring.tryClaim();
        }
        return new Claim(ring, sequence);
    }

    /**
     * {@link #claim}, then publishes {@code message} in the claimed slot.
     *
     * @return whether the message was accepted (false: full at the capacity, or closed)
     */
    static boolean send(final Mailbox box, final Object message) {
        final Claim claim = claim(box);
        if (claim == null) {
            return false;
        }
        claim.publish(message);
        return true;
    }
}
