package dev.flin.bench.vthreads;

import dev.flin.bench.threads.ThreadPerAgentWorkloads;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The scenarios on one virtual thread per agent (JDK 21+), each agent's mailbox an unbounded
 * {@link LinkedBlockingQueue}. The agent's virtual thread loops {@code take()} and handles one
 * message at a time; sends never block. What an agent does in each scenario is in
 * {@link ThreadPerAgentWorkloads}, shared with the platform-thread system so that the two differ only
 * in the kind of thread and of queue.
 *
 * <p>Threading: agent threads come from {@code Thread.ofVirtual().factory()} (unnamed, the default),
 * scheduled on the JDK's default carrier pool; the producers of {@code manyToOne} are platform
 * threads, as for every system; the benchmark thread drives each operation and closes (interrupts
 * and joins) every thread.
 */
public final class VirtualThreadWorkloads extends ThreadPerAgentWorkloads {

    /** Virtual threads, unbounded {@code LinkedBlockingQueue} mailboxes. */
    public VirtualThreadWorkloads() {
        super("vthreads", Thread.ofVirtual().factory(), capacity -> new LinkedBlockingQueue<>()); // unbounded
    }
}
