package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mailbox on its own, one thread: claiming fails at once when full, a taken slot is free again,
 * the first ring is small and the chain grows by doubling up to the capacity and never beyond, the
 * mailbox is full only at its capacity, order and the accepted count hold across growths, a seal
 * dead-letters everything not taken, in order, and positions order messages across rings.
 */
class MailboxRingTest {

    /** AgentCell.offer, mailbox steps: claim in the tail, else in its successors. */
    private static List<Object> takeAll(final Mailbox box) {
        final List<Object> taken = new ArrayList<>();
        for (Object m = box.takeNext(Long.MAX_VALUE); m != null; m = box.takeNext(Long.MAX_VALUE)) {
            taken.add(m);
        }
        return taken;
    }

    private static List<Object> sealAndTakeRest(final Mailbox box) {
        final List<Object> rest = new ArrayList<>();
        box.sealAndTakeRest(rest::add);
        return rest;
    }

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
        final Mailbox.Ring ring = box.tail();
        assertEquals(0, box.depth());
        final long first = ring.tryClaim();
        final long second = ring.tryClaim();
        assertEquals(0, first);
        assertEquals(1, second);
        assertEquals(-1, ring.tryClaim(), "full: nothing claimed");
        assertNull(box.successor(ring), "at the capacity: no successor");
        assertEquals(1, box.claimedPosition());
        assertFalse(ring.isAvailable(first), "claimed but not yet published");
        assertTrue(box.hasClaimed());
        assertNull(box.takeNext(Long.MAX_VALUE), "nothing published yet");
        ring.publish(first, "a");
        ring.publish(second, "b");
        assertEquals(2, box.depth());

        assertEquals("a", box.takeNext(Long.MAX_VALUE));
        assertEquals(0, box.consumedPosition());
        assertEquals(1, box.depth());
        final long third = ring.tryClaim();
        assertEquals(2, third, "the taken slot is reused");
        ring.publish(third, "c");
        assertEquals(List.of("b", "c"), takeAll(box));
        assertEquals(0, box.depth());
        assertFalse(box.hasClaimed());
    }

    /**
     * What a held run (AgentCell.holdWhileCaughtUp) polls: a published message, or a successor to
     * hand over to; a slot only claimed is not one (the end of the run counts it through hasClaimed).
     */
    @Test
    void hasPublishedSeesPublishedMessagesAndSuccessorsButNotBareClaims() {
        final Mailbox box = new Mailbox(4, 2);
        final Mailbox.Ring ring = box.tail();
        assertFalse(box.hasPublished(), "empty");
        final long first = ring.tryClaim();
        assertTrue(box.hasClaimed());
        assertFalse(box.hasPublished(), "claimed, not yet published");
        ring.publish(first, "a");
        assertTrue(box.hasPublished());
        assertEquals("a", box.takeNext(Long.MAX_VALUE));
        assertFalse(box.hasPublished(), "taken");
        assertTrue(MailboxSends.send(box, "b"));
        assertTrue(MailboxSends.send(box, "c"));
        assertTrue(MailboxSends.send(box, "d"), "grows: a successor ring");
        assertEquals("b", box.takeNext(Long.MAX_VALUE));
        assertEquals("c", box.takeNext(Long.MAX_VALUE));
        assertTrue(box.hasPublished(), "the first ring is done, and a successor holds a message");
        assertEquals("d", box.takeNext(Long.MAX_VALUE));
        assertFalse(box.hasPublished(), "all taken, in the successor");
        assertFalse(box.hasClaimed());
    }

    @Test
    void theFirstRingIsSmallAndGrowsByDoublingToTheCapacityNeverBeyond() {
        assertEquals(Mailbox.FIRST_RING_SIZE, new Mailbox(256).ringSize());
        assertEquals(8, new Mailbox(8).ringSize(), "a capacity below the first ring's size is the ring's size");
        final Mailbox box = new Mailbox(256);
        final List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            assertTrue(MailboxSends.send(box, i), "refused at " + i + " messages queued, below the capacity");
            if (sizes.isEmpty() || sizes.get(sizes.size() - 1) != box.ringSize()) {
                sizes.add(box.ringSize());
            }
            assertEquals(i + 1, box.depth(), "nothing taken: depth is the count queued");
        }
        assertEquals(List.of(16, 32, 64, 128, 256), sizes, "doubling, from 16 up to the capacity");
        assertFalse(MailboxSends.send(box, 256), "full at the capacity");
        assertEquals(256, box.ringSize(), "never beyond the capacity");
        assertEquals(256, box.acceptedCount());
    }

    @Test
    void aMailboxIsFullOnlyAtItsCapacityWhileTheConsumerTakesAcrossAGrowth() {
        final Mailbox box = new Mailbox(32);
        int sent = 0;
        for (; sent < 16; sent++) {
            assertTrue(MailboxSends.send(box, sent));
        }
        assertEquals(List.of(0, 1, 2, 3), List.of(box.takeNext(Long.MAX_VALUE), box.takeNext(Long.MAX_VALUE),
                box.takeNext(Long.MAX_VALUE), box.takeNext(Long.MAX_VALUE)));
        int queued = 12;
        while (MailboxSends.send(box, sent)) { // the first ring takes 4 more, then the second ring the rest
            sent++;
            queued++;
        }
        assertEquals(32, queued, "refused only with the capacity queued");
        assertEquals(32, box.ringSize());
        assertEquals(4, box.takeNext(Long.MAX_VALUE), "the consumer sees the successor: hand-over");
        assertTrue(MailboxSends.send(box, sent++), "the slot the consumer freed is free again, across rings");
        assertFalse(MailboxSends.send(box, sent), "and the mailbox is full again at the capacity");
        assertEquals(32, box.depth());
        final List<Object> rest = takeAll(box);
        assertEquals(sent - 5, rest.size());
        for (int i = 0; i < rest.size(); i++) {
            assertEquals(i + 5, rest.get(i), "in order across the rings");
        }
        assertEquals(0, box.depth());
        for (int i = 0; i < 32; i++) {
            assertTrue(MailboxSends.send(box, i), "after the hand-over the capacity is the whole new ring");
        }
        assertFalse(MailboxSends.send(box, 32));
    }

    @Test
    void messagesKeepTheirOrderAcrossGrowthsWithTakesInBetween() {
        final Mailbox box = new Mailbox(64);
        final List<Object> taken = new ArrayList<>();
        int next = 0;
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 7 && MailboxSends.send(box, next); i++) {
                next++;
            }
            for (int i = 0; i < 3; i++) {
                final Object m = box.takeNext(Long.MAX_VALUE);
                if (m != null) {
                    taken.add(m);
                }
            }
        }
        taken.addAll(takeAll(box));
        assertEquals(64, box.ringSize(), "it grew");
        assertEquals(next, taken.size());
        for (int i = 0; i < taken.size(); i++) {
            assertEquals(i, taken.get(i));
        }
    }

    @Test
    void theAcceptedCountCountsSenderClaimsAcrossGrowthsAndIsExactOnceSealed() {
        final Mailbox box = new Mailbox(128);
        assertEquals(0, box.acceptedCount());
        int accepted = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 20; i++) {
                if (MailboxSends.send(box, i)) {
                    accepted++;
                }
                assertEquals(accepted, box.acceptedCount(), "neither the reserved slots nor the seals are counted");
            }
            for (int i = 0; i < 5; i++) {
                box.takeNext(Long.MAX_VALUE);
                assertEquals(accepted, box.acceptedCount(), "taking, or handing over, changes no count");
            }
        }
        assertTrue(accepted > 128, "more messages than the capacity went through: " + accepted);
        sealAndTakeRest(box);
        assertEquals(accepted, box.acceptedCount());
        assertFalse(MailboxSends.send(box, "late"));
        assertEquals(accepted, box.acceptedCount());
    }

    @Test
    void aSealAfterGrowthsDeadLettersEverythingNotTakenInOrderAndEndsTheChain() {
        final Mailbox box = new Mailbox(256);
        for (int i = 0; i < 100; i++) {
            assertTrue(MailboxSends.send(box, i));
        }
        assertEquals(128, box.ringSize(), "rings of 16, 32, 64 and 128");
        for (int i = 0; i < 10; i++) {
            assertEquals(i, box.takeNext(Long.MAX_VALUE));
        }
        final List<Object> rest = sealAndTakeRest(box);
        assertEquals(90, rest.size());
        for (int i = 0; i < rest.size(); i++) {
            assertEquals(i + 10, rest.get(i), "dead-lettered in order");
        }
        assertFalse(MailboxSends.send(box, "late"), "no sender can claim, nor grow the chain, once sealed");
        assertEquals(128, box.ringSize(), "the close ended the chain below the capacity");
        assertNull(box.successor(box.tail()));
        assertEquals(100, box.acceptedCount());
    }

    @Test
    void aSealDuringAHandOverDeadLettersTheRestOfBothRings() {
        final Mailbox box = new Mailbox(32);
        for (int i = 0; i < 20; i++) {
            assertTrue(MailboxSends.send(box, i));
        }
        assertEquals(0, box.takeNext(Long.MAX_VALUE)); // sees the successor: seals the first ring
        assertEquals(1, box.takeNext(Long.MAX_VALUE));
        final List<Object> rest = sealAndTakeRest(box);
        assertEquals(18, rest.size());
        for (int i = 0; i < rest.size(); i++) {
            assertEquals(i + 2, rest.get(i));
        }
        assertEquals(20, box.acceptedCount());
        assertFalse(MailboxSends.send(box, "late"));
    }

    @Test
    void positionsOrderMessagesAcrossRingsSoAStopTakesExactlyThoseClaimedBeforeIt() {
        final Mailbox box = new Mailbox(64);
        int sent = 0;
        for (; sent < 16; sent++) {
            assertTrue(MailboxSends.send(box, sent));
        }
        for (int i = 0; i < 10; i++) {
            assertEquals(i, box.takeNext(Long.MAX_VALUE));
        }
        for (; sent < 30; sent++) { // 10 more in the first ring (its sequences reach 25), then 4 in the second
            assertTrue(MailboxSends.send(box, sent));
        }
        assertEquals(32, box.ringSize());
        final long stop = box.claimedPosition(); // the second ring's sequence 19, below the first ring's last
        for (; sent < 50; sent++) {
            assertTrue(MailboxSends.send(box, sent));
        }
        assertEquals(64, box.ringSize(), "a third ring after the stop's position");
        assertTrue(box.claimedPosition() > stop);
        final List<Object> taken = new ArrayList<>();
        for (Object m = box.takeNext(stop); m != null; m = box.takeNext(stop)) {
            taken.add(m);
        }
        assertEquals(20, taken.size(), "exactly the messages claimed before the stop: " + taken);
        assertEquals(10, taken.get(0));
        assertEquals(29, taken.get(19));
        assertTrue(box.consumedPosition() >= stop);
        assertEquals(30, box.takeNext(Long.MAX_VALUE), "the rest is still there");
    }

    @Test
    void aFullRingSealsWithoutClaimingAnything() {
        final Mailbox box = new Mailbox(2);
        assertTrue(MailboxSends.send(box, "a"));
        assertTrue(MailboxSends.send(box, "b"));
        assertEquals(List.of("a", "b"), sealAndTakeRest(box));
        assertEquals(2, box.acceptedCount());
    }

    @Test
    void theSealedEmptyMailboxAcceptsNothing() {
        final Mailbox box = Mailbox.sealedEmpty();
        assertEquals(-1, box.tail().tryClaim());
        assertNull(box.successor(box.tail()));
        assertFalse(MailboxSends.send(box, "a"));
        assertEquals(0, box.acceptedCount());
        assertSame(box.tail(), box.tail().next, "the chain is ended");
    }

    @Test
    void nothingMayWaitOnAMailbox() {
        assertThrows(UnsupportedOperationException.class, () -> Mailbox.NO_WAIT.waitFor(0, null, null, null));
    }
}
