package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS (a block, invisible as a method modifier). */
public final class SynchronizedBlockAgent implements Agent<String> {
    private final Object lock = new Object();
    private int handled;

    @Override
    public void onMessage(final String message, final AgentContext<String> context) {
        switch (message.length()) { // a tableswitch before the block: the scanner must decode it
            case 0 -> handled += 0;
            case 1 -> handled += 1;
            case 2 -> handled += 2;
            default -> handled += 3;
        }
        synchronized (lock) {
            handled++;
        }
    }
}
