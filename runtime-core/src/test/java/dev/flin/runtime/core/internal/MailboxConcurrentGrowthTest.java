package dev.flin.runtime.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The mailbox with real threads (the model checks explore a sequentially consistent memory only):
 * four senders grow the chain from 16 slots to the capacity, racing each other, then race one
 * consumer that hands over from ring to ring, then a close. Every accepted message is taken or dead-lettered exactly once, each sender's
 * messages in the order it sent them (rules 2.3, 2.4), the accepted count is exact once sealed, and
 * the gauge never shows more than the capacity queued (rule 2.1).
 */
class MailboxConcurrentGrowthTest {

    /** A message: who sent it and its number in that sender's sequence. */
    private record Tagged(int sender, int number) {
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void sendersRacingGrowthsAndACloseLoseNothingAndKeepTheirOrder() throws Exception {
        round(new Mailbox(256), 4, 50_000, true);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aConsumerTakingWhileTheChainGrowsLosesNothing() throws Exception {
        for (int i = 0; i < 200; i++) { // each round: growths race takes, in whatever interleaving the threads find
            round(new Mailbox(64), 2, 500, false);
        }
    }

    /**
     * {@code senders} threads each send {@code perSender} numbered messages, retrying the same one
     * while the mailbox is full; one consumer (this thread) takes half of all, then closes.
     *
     * @param fillFirst whether the consumer waits for the chain to be full at the capacity first
     */
    private static void round(final Mailbox box, final int senderCount, final int perSender, final boolean fillFirst)
            throws InterruptedException {
        final int capacity = box.capacity;
        final int[] accepted = new int[senderCount];
        final CountDownLatch start = new CountDownLatch(1);
        final AtomicBoolean closing = new AtomicBoolean(); // CLOSING
        final Thread[] senders = new Thread[senderCount];
        for (int s = 0; s < senderCount; s++) {
            final int sender = s;
            senders[s] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                int number = 0;
                while (number < perSender) {
                    if (MailboxSends.send(box, new Tagged(sender, number))) {
                        number++;
                        accepted[sender] = number; // read after the join
                    } else {
                        if (closing.get()) {
                            return; // refused as not found: the agent is going away
                        }
                        Thread.onSpinWait(); // full: retry the same message
                    }
                }
            }, "sender-" + s);
            senders[s].start();
        }
        final List<Tagged> taken = new ArrayList<>();
        final List<Tagged> deadLettered = new ArrayList<>();
        int maxDepth = 0;
        start.countDown();
        if (fillFirst) {
            while (box.acceptedCount() < capacity) { // the senders grow the chain, racing each other
                Thread.onSpinWait();
            }
            assertEquals(capacity, box.ringSize(), "the chain grew to the capacity");
            assertEquals(capacity, box.depth(), "full at the capacity, nothing taken");
            // the consumer starts on the first ring, with successors to hand over to, as the senders go on
        }
        while (taken.size() < senderCount * perSender / 2) {
            final Object message = box.takeNext(Long.MAX_VALUE);
            maxDepth = Math.max(maxDepth, box.depth());
            if (message == null) {
                Thread.onSpinWait();
            } else {
                taken.add((Tagged) message);
            }
        }
        closing.set(true); // before the close begins, as AgentCell sets CLOSING
        box.sealAndTakeRest(message -> deadLettered.add((Tagged) message));
        for (final Thread sender : senders) {
            sender.join();
        }

        assertTrue(maxDepth <= capacity, "the gauge showed " + maxDepth + " queued");
        final int[] next = new int[senderCount];
        final List<Tagged> all = new ArrayList<>(taken);
        all.addAll(deadLettered);
        for (final Tagged m : all) {
            assertEquals(next[m.sender()], m.number(), "sender " + m.sender() + "'s messages out of order or duplicated");
            next[m.sender()]++;
        }
        long total = 0;
        for (int s = 0; s < senderCount; s++) {
            assertEquals(accepted[s], next[s], "sender " + s + ": accepted and delivered differ");
            total += accepted[s];
        }
        assertEquals(total, box.acceptedCount(), "the accepted count once sealed");
    }
}
