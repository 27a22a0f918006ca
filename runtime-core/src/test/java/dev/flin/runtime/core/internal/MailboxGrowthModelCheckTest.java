package dev.flin.runtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Check 1b of "Protocols checked by machine" (docs/conformance.md): the growth of a {@link Mailbox}
 * and the consumer's hand-over from a ring to its successor, model-checked by Lincheck on the real
 * class, with and without a close racing the growth. The mailbox has a capacity of 2 and a first
 * ring of 1 slot, so two senders (one sends twice) make a sender install the successor ring while
 * another may still claim in the first, and the consumer hands over between them.
 *
 * <p>Invariants: every accepted message is processed or dead-lettered exactly once, every refused
 * one never (rules 2.4, 8.3); the messages of the sender that sends twice come out in the order it
 * sent them (rule 2.3); {@link Mailbox#acceptedCount} counts exactly the accepted ones.
 *
 * <p>The send side is a step-by-step copy of {@code AgentCell.offer} (mailbox steps); the take and
 * the close are the real {@link Mailbox#takeNext} and {@link Mailbox#sealAndTakeRest}. The broken
 * variant replaces the consumer by a copy that moves to the successor without sealing the old ring.
 */
class MailboxGrowthModelCheckTest {

    static final int INVOCATIONS = 1000;

    /** The consumer half of a mailbox: the real one, or a broken copy. */
    interface Taker {
        /** @return the next published message, or null */
        Object takeNext();

        void sealAndTakeRest(Consumer<Object> sink);
    }

    /** The mailbox side of one AgentCell. */
    static final class Cell {
        final Mailbox box = new Mailbox(2, 1);
        final Taker taker;
        volatile boolean closing;
        /** Agent thread only. */
        final List<Object> processed = new ArrayList<>();
        final List<Object> deadLettered = new ArrayList<>();

        Cell(final boolean seals) {
            this.taker = seals ? new Taker() {
                @Override
                public Object takeNext() {
                    return box.takeNext(Long.MAX_VALUE);
                }

                @Override
                public void sealAndTakeRest(final Consumer<Object> sink) {
                    box.sealAndTakeRest(sink);
                }
            } : new MovesOnWithoutSealing(box);
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
            for (Object m = taker.takeNext(); m != null; m = taker.takeNext()) {
                processed.add(m);
            }
        }
    }

    /**
     * BROKEN: a consumer that, finding nothing to take in its ring and a successor, moves on without
     * sealing the ring (and frees each slot it takes, as a lone ring does). A sender that still holds
     * the old ring may claim a slot there that nobody will ever take.
     */
    static final class MovesOnWithoutSealing implements Taker {
        private Mailbox.Ring ring;
        private long taken;

        MovesOnWithoutSealing(final Mailbox box) {
            ring = box.tail();
            taken = ring.first - 1;
        }

        @Override
        public Object takeNext() {
            while (true) {
                final Mailbox.Ring r = ring;
                final long next = taken + 1;
                if (r.isAvailable(next)) {
                    final Object message = r.take(next);
                    taken = next;
                    r.consumed.set(next);
                    return message;
                }
                final Mailbox.Ring successor = r.next;
                if (successor == null || successor == r) {
                    return null;
                }
                ring = successor; // BROKEN: r is not sealed
                taken = successor.first - 1;
                successor.consumed.set(taken);
            }
        }

        @Override
        public void sealAndTakeRest(final Consumer<Object> sink) {
            Mailbox.Ring r = ring;
            long from = taken;
            while (true) {
                final long last = r.seal();
                for (long seq = from + 1; seq <= last; seq++) {
                    while (!r.isAvailable(seq)) {
                        Thread.onSpinWait();
                    }
                    sink.accept(r.take(seq));
                }
                if (r.next == null && Mailbox.Ring.NEXT.compareAndSet(r, null, r)) {
                    return;
                }
                final Mailbox.Ring next = r.next;
                if (next == r) {
                    return;
                }
                r = next;
                from = r.first - 1;
            }
        }
    }

    /**
     * Sender 1 sends "a" then "b", sender 2 sends "c", while the agent drains; with {@code closes},
     * the agent is then asked to stop (CLOSING), drains and closes; without, it drains once more
     * after the senders are done (its next run).
     */
    static void scenario(final boolean seals, final boolean closes) {
        final Cell cell = new Cell(seals);
        final Offer[] results = new Offer[3];
        ModelCheck.share(cell, cell.box, cell.taker, results);
        final Thread sender1 = new Thread(() -> {
            results[0] = cell.offer("a");
            results[1] = cell.offer("b");
        });
        final Thread sender2 = new Thread(() -> results[2] = cell.offer("c"));
        final Thread agent = new Thread(() -> {
            cell.drain();
            if (closes) {
                cell.closing = true;
                cell.drain();
                cell.taker.sealAndTakeRest(cell.deadLettered::add);
            } else {
                cell.drain();
            }
        });
        ModelCheck.startAll(sender1, sender2, agent);
        ModelCheck.join(sender1, sender2, agent);
        if (!closes) {
            cell.drain(); // the agent's next run
        }
        final List<Object> delivered = new ArrayList<>(cell.processed);
        delivered.addAll(cell.deadLettered);
        final String[] messages = {"a", "b", "c"};
        long accepted = 0;
        for (int i = 0; i < messages.length; i++) {
            final String m = messages[i];
            final long count = delivered.stream().filter(m::equals).count();
            final long expected = results[i] == Offer.ACCEPTED ? 1 : 0;
            accepted += expected;
            if (count != expected) {
                throw new AssertionError("message " + m + " returned " + results[i] + " but was processed or dead-lettered "
                        + count + " times (processed " + cell.processed + ", dead-lettered " + cell.deadLettered + ")");
            }
        }
        if (results[0] == Offer.ACCEPTED && results[1] == Offer.ACCEPTED && delivered.indexOf("a") > delivered.indexOf("b")) {
            throw new AssertionError("sender 1's messages out of order (rule 2.3): processed " + cell.processed
                    + ", dead-lettered " + cell.deadLettered);
        }
        if (cell.box.acceptedCount() != accepted) {
            throw new AssertionError("the claim sequences count " + cell.box.acceptedCount() + " accepted messages, the"
                    + " senders saw " + accepted);
        }
    }

    @Test
    void everyAcceptedMessageIsProcessedOnceInOrderAcrossAGrowth() {
        ModelCheck.run("1b send vs growth and hand-over (Mailbox)", INVOCATIONS, () -> scenario(true, false));
    }

    @Test
    void everyAcceptedMessageIsProcessedOrDeadLetteredOnceWhenACloseRacesAGrowth() {
        ModelCheck.run("1b send vs growth, hand-over and close (Mailbox)", INVOCATIONS, () -> scenario(true, true));
    }

    @Test
    void aConsumerThatMovesToTheSuccessorWithoutSealingIsCaught() {
        ModelCheck.expectViolation("1b BROKEN hand-over: the consumer moves on without sealing the old ring", INVOCATIONS,
                () -> scenario(false, false));
    }

    @Test
    void aConsumerThatMovesOnWithoutSealingIsCaughtWhenACloseRaces() {
        ModelCheck.expectViolation("1b BROKEN hand-over with a close: the consumer moves on without sealing", INVOCATIONS,
                () -> scenario(false, true));
    }
}
