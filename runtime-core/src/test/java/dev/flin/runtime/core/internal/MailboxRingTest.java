package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The mailbox ring on its own, one thread: claiming fails at once when full, a taken or retracted
 * slot is free again, each published message is owned by exactly one of its consumer and its
 * retracting sender, and the capacity is rounded up to a power of two within bounds.
 */
class MailboxRingTest {

    @Test
    void capacityIsRoundedUpToAPowerOfTwoWithinBounds() {
        assertEquals(1, Mailbox.roundCapacity(-3));
        assertEquals(1, Mailbox.roundCapacity(0));
        assertEquals(1, Mailbox.roundCapacity(1));
        assertEquals(2, Mailbox.roundCapacity(2));
        assertEquals(4, Mailbox.roundCapacity(3));
        assertEquals(1 << 30, Mailbox.roundCapacity(1 << 30));
        assertThrows(IllegalArgumentException.class, () -> Mailbox.roundCapacity((1 << 30) + 1));
    }

    @Test
    void claimsFailAtOnceWhenFullAndATakenSlotIsFreeAgain() {
        final Mailbox box = new Mailbox(2);
        assertEquals(0, box.depth());
        final long first = box.tryClaim();
        final long second = box.tryClaim();
        assertEquals(0, first);
        assertEquals(1, second);
        assertEquals(-1, box.tryClaim(), "full: nothing claimed");
        assertEquals(1, box.cursor());
        assertFalse(box.isAvailable(first), "claimed but not yet published");
        box.publish(first, "a");
        box.publish(second, "b");
        assertTrue(box.isAvailable(first));
        assertEquals(2, box.depth());

        assertEquals("a", box.take(first));
        box.consumed.set(first);
        assertEquals(1, box.depth());
        final long third = box.tryClaim();
        assertEquals(2, third, "the taken slot is reused");
        box.publish(third, "c");
        assertEquals("b", box.take(second));
        box.consumed.set(second);
        assertEquals("c", box.take(third));
        box.consumed.set(third);
        assertEquals(0, box.depth());
    }

    @Test
    void sealingClaimsEveryFreeSlotAndKeepsTheAcceptedCountExact() {
        final Mailbox box = new Mailbox(4);
        assertEquals(0, box.acceptedCount());
        final long first = box.tryClaim();
        box.publish(first, "a");
        final long second = box.tryClaim();
        box.publish(second, "b");
        assertEquals("a", box.take(first));
        box.consumed.set(first);
        assertEquals(2, box.acceptedCount(), "taken or not, both were accepted");
        assertEquals(second, box.seal(), "the last sender-claimed sequence");
        assertEquals(-1, box.tryClaim(), "no sender can claim a slot once sealed");
        assertEquals(2, box.acceptedCount(), "the sealed slots are not counted as accepted");
        assertEquals("b", box.take(second));
        assertEquals(-1, box.tryClaim(), "the seal holds: the consumer never frees a slot again");
    }

    @Test
    void aFullRingSealsWithoutClaimingAnything() {
        final Mailbox box = new Mailbox(2);
        box.publish(box.tryClaim(), "a");
        box.publish(box.tryClaim(), "b");
        assertEquals(1, box.seal());
        assertEquals(2, box.acceptedCount());
    }

    @Test
    void theSealedEmptyMailboxAcceptsNothing() {
        final Mailbox box = Mailbox.sealedEmpty();
        assertEquals(-1, box.tryClaim());
        assertEquals(0, box.acceptedCount());
    }

    @Test
    void nothingMayWaitOnAMailbox() {
        assertThrows(UnsupportedOperationException.class, () -> Mailbox.NO_WAIT.waitFor(0, null, null, null));
    }
}
