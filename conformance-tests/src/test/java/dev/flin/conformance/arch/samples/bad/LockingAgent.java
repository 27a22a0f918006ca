package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import java.util.concurrent.locks.ReentrantLock;

/** Breaks AGENTS_DO_NOT_USE_LOCKS. */
public final class LockingAgent implements Agent<String> {
    private final ReentrantLock lock = new ReentrantLock();
    private int handled;

    @Override
    public void onMessage(final String message, final AgentContext<String> context) {
        lock.lock();
        try {
            handled++;
        } finally {
            lock.unlock();
        }
    }
}
