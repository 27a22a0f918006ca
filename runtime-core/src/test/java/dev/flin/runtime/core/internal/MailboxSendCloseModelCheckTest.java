package dev.flin.runtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Check 1 of "Protocols checked by machine" (docs/conformance.md): AgentCell's send protocol
 * ({@code offer}) against its close protocol ({@code finishStop}), model-checked by Lincheck on the
 * real {@link Mailbox}. Every accepted message is processed or dead-lettered exactly once, every
 * refused one never, and the claim sequence ({@link Mailbox#acceptedCount}) counts exactly the
 * accepted ones.
 *
 * <p>The send and drain sides are a step-by-step copy of {@code AgentCell.offer} and
 * {@code drainBatch} (whose take is the real {@link Mailbox#takeNext}); the close is the real
 * {@link Mailbox#sealAndTakeRest} that
 * {@code finishStop} calls. A real AgentCell needs a RuntimeCore, a dispatcher and an agent
 * instance, far too much state for a model checker, so the harness keeps the mailbox (the real
 * class) and two volatile flags standing for CLOSING and CLOSED, and drops the rest.
 */
class MailboxSendCloseModelCheckTest {

    /** The mailbox side of one AgentCell. */
    static final class Cell {
        final Mailbox box = new Mailbox(2);
        volatile boolean closing;
        volatile boolean closed;
        final boolean seals;
        /** Agent thread only. */
        final List<Object> processed = new ArrayList<>();
        final List<Object> deadLettered = new ArrayList<>();

        Cell(final boolean seals) {
            this.seals = seals;
        }

        /** AgentCell.offer, mailbox steps (the scheduling steps are check 2). A claimed slot is accepted. */
        Offer offer(final Object message) {
            if (closing) {
                return Offer.REFUSED_NOT_FOUND;
            }
            if (MailboxSends.send(box, message)) {
                return Offer.ACCEPTED;
            }
            return closing ? Offer.REFUSED_NOT_FOUND : Offer.REFUSED_FULL;
        }

        /** drainBatch: take what is published, in order. */
        void drain() {
            for (Object m = box.takeNext(Long.MAX_VALUE); m != null; m = box.takeNext(Long.MAX_VALUE)) {
                processed.add(m);
            }
        }

        /** finishStop, mailbox steps: seal, then dead-letter every sender-claimed slot not taken. */
        void finishStop() {
            closed = true;
            if (seals) {
                box.sealAndTakeRest(deadLettered::add); // the real close step
                return;
            }
            final long last = box.claimedPosition(); // BROKEN: a close that only reads the cursor
            while (box.consumedPosition() < last) {
                final Object message = box.takeNext(last);
                if (message == null) {
                    Thread.onSpinWait(); // claimed, not yet published
                } else {
                    deadLettered.add(message);
                }
            }
        }
    }

    /** Two senders (one sends twice) race an agent that drains, is asked to stop, and closes. */
    static void scenario(final boolean seals) {
        final Cell cell = new Cell(seals);
        final Offer[] results = new Offer[3];
        ModelCheck.share(cell, cell.box, results);
        final Thread sender1 = new Thread(() -> {
            results[0] = cell.offer("a");
            results[1] = cell.offer("b");
        });
        final Thread sender2 = new Thread(() -> results[2] = cell.offer("c"));
        final Thread agent = new Thread(() -> {
            cell.drain();
            cell.closing = true;
            cell.drain();
            cell.finishStop();
        });
        ModelCheck.startAll(sender1, sender2, agent);
        ModelCheck.join(sender1, sender2, agent);
        final String[] messages = {"a", "b", "c"};
        for (int i = 0; i < messages.length; i++) {
            final String m = messages[i];
            final long count = cell.processed.stream().filter(m::equals).count()
                    + cell.deadLettered.stream().filter(m::equals).count();
            final long expected = results[i] == Offer.ACCEPTED ? 1 : 0;
            if (count != expected) {
                throw new AssertionError("message " + m + " returned " + results[i] + " but was processed or dead-lettered "
                        + count + " times (processed " + cell.processed + ", dead-lettered " + cell.deadLettered + ")");
            }
        }
        long accepted = 0;
        for (final Offer result : results) {
            accepted += result == Offer.ACCEPTED ? 1 : 0;
        }
        if (cell.box.acceptedCount() != accepted) {
            throw new AssertionError("the claim sequence counts " + cell.box.acceptedCount() + " accepted messages, the"
                    + " senders saw " + accepted);
        }
    }

    static final int INVOCATIONS = 500;

    @Test
    void everyAcceptedMessageIsProcessedOrDeadLetteredExactlyOnce() {
        ModelCheck.run("1 send vs close (Mailbox)", INVOCATIONS, () -> scenario(true));
    }

    @Test
    void aCloseThatDoesNotSealTheMailboxIsCaught() {
        ModelCheck.expectViolation("1 BROKEN send vs close: the close reads the cursor instead of sealing", INVOCATIONS,
                () -> scenario(false));
    }
}
