package dev.flin.conformance.arch.samples.good;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentFactory;
import java.util.concurrent.locks.ReentrantLock;

/** Factories: an anonymous agent capturing a final local, and a lambda agent. Locks outside agents are fine. */
public final class Factories {
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * @param greeting captured, final
     * @return a factory of anonymous agents with their own counter
     */
    public static AgentFactory<String> greeters(final String greeting) {
        return () -> new Agent<>() {
            private int greeted;

            @Override
            public void onMessage(final String name, final AgentContext<String> context) {
                greeted++;
                context.self().id();
                System.out.println(greeting + " " + name + " #" + greeted);
            }
        };
    }

    /** @return a stateless lambda agent */
    public static AgentFactory<Integer> printer() {
        return () -> (number, context) -> System.out.println(number);
    }

    /** Not an agent: may lock. */
    public synchronized void maintenance() {
        lock.lock();
        lock.unlock();
    }
}
