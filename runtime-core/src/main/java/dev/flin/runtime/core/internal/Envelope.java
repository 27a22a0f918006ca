package dev.flin.runtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One preallocated slot of a mailbox ring. Reused for every message that passes through it, so
 * the steady path allocates nothing.
 *
 * <p>{@link #sequence} is the ownership token of the retract protocol (see {@code AgentCell}):
 * a sender writes it (plain) before publishing; the consumer overwrites it with {@link #TAKEN}
 * (plain) after taking the message in normal processing; after the mailbox is closed, the consumer
 * and a late sender race to CAS it from the sender's sequence to {@link #TAKEN}, and exactly one
 * of them owns the message.
 */
final class Envelope {

    static final long TAKEN = Long.MIN_VALUE;
    private static final VarHandle SEQUENCE;

    static {
        try {
            SEQUENCE = MethodHandles.lookup().findVarHandle(Envelope.class, "sequence", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Object message;
    long sequence = TAKEN;

    /**
     * @param expected the sequence this slot should still hold
     * @return true if the caller now owns the message (CAS)
     */
    boolean claim(final long expected) {
        return SEQUENCE.compareAndSet(this, expected, TAKEN);
    }
}
