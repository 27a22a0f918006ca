package dev.flin.runtime.core.internal;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Check 9 of "Protocols checked by machine" (docs/conformance.md): a message sent after
 * {@code pause()} returned is not processed until a resume (rule 3.4), model-checked by Lincheck on
 * the real {@link Mailbox} ({@code hasNext}, {@code takeNext}) and the real {@link CellControl}
 * ({@code requestPause}, {@code control}).
 *
 * <pre>
 * pauser:  requestPause() (CAS)  then  send m1: claim, publish (ordered store)
 * agent:   per item: hasNext (acquire load of the slot's publication), read the word,
 *          PAUSE_REQUESTED? stop the batch : takeNext, deliver
 * </pre>
 * The agent's loop is {@code AgentCell.drainBatch} reduced to the mailbox and the word. Invariant:
 * the agent never delivers m1 (m0, sent before the pause, may or may not be delivered).
 *
 * <p>The broken variant is the loop before the fix (found by the kit, rule 3.4, on JDK 25): it
 * reads the word after each delivery and then takes whatever is published, so a pause and a send
 * that both land between that read and the take let m1 through.
 */
class PauseSendModelCheckTest {

    static final int INVOCATIONS = 500;

    static final class Cell extends ModelCheckCell {
        final Mailbox box = new Mailbox(2);
        final boolean readsAfterPublication;
        /** Agent thread only. */
        final List<Object> delivered = new ArrayList<>();

        Cell(final boolean readsAfterPublication) {
            this.readsAfterPublication = readsAfterPublication;
        }

        /** drainBatch with a budget of three items. */
        void drain() {
            for (int budget = 3; budget > 0; budget--) {
                if (readsAfterPublication) {
                    if (!box.hasNext(Long.MAX_VALUE)) {
                        return;
                    }
                    if (has(control(), PAUSE_REQUESTED)) {
                        return;
                    }
                    delivered.add(box.takeNext(Long.MAX_VALUE));
                } else { // BROKEN: take, deliver, then read the word for the next item
                    final Object message = box.takeNext(Long.MAX_VALUE);
                    if (message == null) {
                        return;
                    }
                    delivered.add(message);
                    if (has(control(), PAUSE_REQUESTED)) {
                        return;
                    }
                }
            }
        }

        @Override
        void run() {
            drain();
        }

        /** Not used: the scenario has no run end. */
        @Override
        boolean hasWork(final int word) {
            return false;
        }
    }

    static void scenario(final boolean readsAfterPublication) {
        final Cell cell = new Cell(readsAfterPublication);
        if (!MailboxSends.send(cell.box, "m0")) {
            throw new AssertionError("m0 refused by an empty mailbox");
        }
        ModelCheck.share(cell, cell.box, cell.delivered);
        final Thread pauser = new Thread(() -> {
            cell.requestPause();
            if (!MailboxSends.send(cell.box, "m1")) {
                throw new AssertionError("m1 refused by a mailbox with room");
            }
        });
        final Thread agent = new Thread(cell::drain);
        ModelCheck.startAll(pauser, agent);
        ModelCheck.join(pauser, agent);
        if (cell.delivered.contains("m1")) {
            throw new AssertionError("a message sent after pause() returned was delivered: " + cell.delivered);
        }
    }

    @Test
    void aMessageSentAfterThePauseIsNotDelivered() {
        ModelCheck.run("9 pause then send vs drain (Mailbox, CellControl)", INVOCATIONS, () -> scenario(true));
    }

    @Test
    void aDrainThatReadsTheWordBeforeTheSendIsPublishedIsCaught() {
        ModelCheck.expectViolation("9 BROKEN pause then send vs drain: the word read after each delivery",
                INVOCATIONS, () -> scenario(false));
    }
}
