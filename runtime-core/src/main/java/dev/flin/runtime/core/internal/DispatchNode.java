package dev.flin.runtime.core.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A task that can sit in {@link MpscNodeQueue} without allocating a queue node: the link is a
 * field of the task itself. An agent cell is one; scheduling it therefore allocates nothing.
 */
public abstract class DispatchNode implements Runnable {

    static final VarHandle NEXT;

    static {
        try {
            NEXT = MethodHandles.lookup().findVarHandle(DispatchNode.class, "next", DispatchNode.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Link to the next node; written by producers (ordered), read by the consumer (acquire). */
    @SuppressWarnings("unused")
    private volatile DispatchNode next;

    DispatchNode nextAcquire() {
        return (DispatchNode) NEXT.getAcquire(this);
    }

    void nextRelease(final DispatchNode node) {
        NEXT.setRelease(this, node);
    }

    void nextPlain(final DispatchNode node) {
        NEXT.set(this, node);
    }
}
