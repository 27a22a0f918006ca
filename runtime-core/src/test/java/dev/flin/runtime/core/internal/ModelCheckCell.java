package dev.flin.runtime.core.internal;

import dev.flin.runtime.AgentState;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real {@link CellControl} with a model checker's stand-ins for what AgentCell provides: a
 * "dispatcher" that only counts submitted runs (the scenario runs them after its threads joined),
 * a mailbox-less claimed sequence and a state the scenario sets. Starts with SCHEDULED set: a run
 * is in progress when the scenario starts.
 */
abstract class ModelCheckCell extends CellControl {

    /** Runs submitted and not yet run. */
    final AtomicInteger submitted = new AtomicInteger();
    volatile AgentState state = AgentState.RUNNING;

    ModelCheckCell() {
        super(true);
    }

    /** The winner of SCHEDULED submits the cell; a second runner at once is a failure. */
    final void submit() {
        if (submitted.incrementAndGet() > 1) {
            throw new AssertionError("the cell was submitted twice: two runners");
        }
    }

    /** AgentCell.schedule(), with {@code dispatcher.execute} replaced by {@link #submit()}. */
    @Override
    final void schedule() {
        VarHandle.fullFence();
        if (trySchedule()) {
            submit();
        }
    }

    @Override
    final AgentState state() {
        return state;
    }

    @Override
    long claimedSequence() {
        return -1;
    }

    /** One run of the cell, ending with its run end. */
    abstract void run();

    /** The dispatcher, once the scenario's threads are done: runs what was submitted. */
    final void runSubmitted() {
        while (submitted.get() > 0) {
            submitted.decrementAndGet();
            run();
        }
    }
}
