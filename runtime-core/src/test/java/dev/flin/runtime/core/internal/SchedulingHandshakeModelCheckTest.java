package dev.flin.runtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Check 2 of "Protocols checked by machine" (docs/conformance.md): AgentCell's scheduling handshake
 * (rule 1.1, no message is stranded), model-checked by Lincheck on the real {@link Mailbox} and the
 * real control word ({@link CellControl}: {@code isIdle}, {@code trySchedule},
 * {@code endRunAndReschedule}).
 *
 * <pre>
 * sender:   CAS cursor (claim)        ...  read SCHEDULED
 * run end:  endRun(): clear SCHEDULED ...  read cursor &gt; taken, or a successor ring
 * </pre>
 * The mailbox's first ring has one slot, so the second send installs a successor ring and claims
 * there: the hand-shake is checked on both rings and across the growth. A second scenario aims at
 * the growth: one message is in the first ring when a run ends as a send grows the mailbox; the run
 * end must see the successor ring (or the claim in it), not only its own ring's cursor.
 * The order of the steps is copied from {@code AgentCell.offer} and the end of
 * {@code AgentCell.runScheduled}: the real {@code endRunAndReschedule}, with {@code hasWork()} reduced
 * to {@code messagePending()}; a real
 * AgentCell needs a RuntimeCore and a dispatcher, too much for a model checker. Invariant: once the
 * threads are done and every submitted run has run, every accepted message was processed, and a
 * cell is never submitted twice at once.
 */
class SchedulingHandshakeModelCheckTest {

    static final int INVOCATIONS = 500;

    /** The real control word; SCHEDULED set: a run is in progress when the scenario starts. */
    static final class Cell extends ModelCheckCell {
        final Mailbox box = new Mailbox(4, 1);
        /** The first ring, the one the consumer takes from in these scenarios (for the broken run end). */
        final Mailbox.Ring firstRing = box.tail();
        final boolean clearBeforeCheck;
        final boolean seesSuccessor;
        final List<Object> processed = new ArrayList<>();

        Cell(final boolean clearBeforeCheck, final boolean seesSuccessor) {
            this.clearBeforeCheck = clearBeforeCheck;
            this.seesSuccessor = seesSuccessor;
        }

        /** AgentCell.offer, scheduling steps. */
        boolean offer(final Object message) {
            final MailboxSends.Claim claim = MailboxSends.claim(box);
            if (claim == null) {
                return false;
            }
            final boolean idle = isIdle(); // volatile read after the cursor CAS
            claim.publish(message);
            if (idle && trySchedule()) {
                submit();
            }
            return true;
        }

        /** One run: drainUpToBatch, then the end of runScheduled. */
        @Override
        void run() {
            for (Object m = box.takeNext(Long.MAX_VALUE); m != null; m = box.takeNext(Long.MAX_VALUE)) {
                processed.add(m);
            }
            if (clearBeforeCheck) {
                if (endRunAndReschedule()) { // the real run end: clear SCHEDULED, then hasWork()
                    submit();
                }
            } else { // BROKEN: reads the cursor before it clears SCHEDULED
                final boolean pending = messagePending();
                endRun();
                if (pending && trySchedule()) {
                    submit();
                }
            }
        }

        /** AgentCell.hasWork, reduced to the mailbox. */
        @Override
        boolean hasWork(final int word) {
            return messagePending();
        }

        private boolean messagePending() {
            if (!seesSuccessor) { // BROKEN: only the cursor of the ring the consumer takes from
                return firstRing.generationBase + firstRing.cursor() > box.consumedPosition();
            }
            return box.hasClaimed();
        }
    }

    static void scenario(final boolean clearBeforeCheck) {
        final Cell cell = new Cell(clearBeforeCheck, true);
        final boolean[] accepted = new boolean[2];
        ModelCheck.share(cell, cell.box, accepted);
        final Thread sender1 = new Thread(() -> accepted[0] = cell.offer("a"));
        final Thread sender2 = new Thread(() -> accepted[1] = cell.offer("b"));
        final Thread agent = new Thread(cell::run); // the run in progress ends while the sends arrive
        ModelCheck.startAll(sender1, sender2, agent);
        ModelCheck.join(sender1, sender2, agent);
        cell.runSubmitted();
        final String[] messages = {"a", "b"};
        for (int i = 0; i < messages.length; i++) {
            if (accepted[i] && !cell.processed.contains(messages[i])) {
                throw new AssertionError("message " + messages[i] + " stranded: accepted, the cell is idle (SCHEDULED "
                        + (cell.isIdle() ? "clear" : "set") + ") and nothing will run it; processed " + cell.processed);
            }
        }
    }

    /** "a" waits in the one-slot first ring; "b" arrives as the run ends, and finds the ring full or not. */
    static void growthScenario(final boolean seesSuccessor) {
        final Cell cell = new Cell(true, seesSuccessor);
        if (!cell.offer("a")) {
            throw new AssertionError("an empty mailbox refused a message");
        }
        final boolean[] accepted = new boolean[1];
        ModelCheck.share(cell, cell.box, accepted);
        final Thread sender = new Thread(() -> accepted[0] = cell.offer("b"));
        final Thread agent = new Thread(cell::run);
        ModelCheck.startAll(sender, agent);
        ModelCheck.join(sender, agent);
        cell.runSubmitted();
        if (!cell.processed.contains("a") || (accepted[0] && !cell.processed.contains("b"))) {
            throw new AssertionError("a message stranded: accepted, the cell is idle (SCHEDULED "
                    + (cell.isIdle() ? "clear" : "set") + ") and nothing will run it; processed " + cell.processed
                    + ", ring size " + cell.box.ringSize());
        }
    }

    @Test
    void noMessageIsStrandedWhenARunEndsAsASendGrowsTheMailbox() {
        ModelCheck.run("2 scheduling handshake across a growth (Mailbox)", INVOCATIONS, () -> growthScenario(true));
    }

    @Test
    void aRunEndThatDoesNotLookForASuccessorRingIsCaught() {
        ModelCheck.expectViolation("2 BROKEN scheduling handshake: run end reads only its ring's cursor, not the successor",
                INVOCATIONS, () -> growthScenario(false));
    }

    @Test
    void noMessageIsStrandedWhenARunEndsAsASendArrives() {
        ModelCheck.run("2 scheduling handshake (Mailbox)", INVOCATIONS, () -> scenario(true));
    }

    @Test
    void aRunEndThatReadsTheCursorBeforeClearingScheduledIsCaught() {
        ModelCheck.expectViolation("2 BROKEN scheduling handshake: run end reads cursor before SCHEDULED is cleared", INVOCATIONS,
                () -> scenario(false));
    }
}
