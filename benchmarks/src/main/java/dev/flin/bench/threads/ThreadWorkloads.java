package dev.flin.bench.threads;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scenarios on plain JDK threads: one platform thread per agent, each agent's mailbox an
 * {@link ArrayBlockingQueue} of capacity {@value ThreadPerAgentWorkloads#MAILBOX_CAPACITY} (the counter of the stream
 * scenarios: {@value dev.flin.bench.Params#STREAM_MAILBOX_CAPACITY}). The agent's thread loops
 * {@code take()} and handles one message at a time; a sender blocks while the mailbox is full (the
 * back-pressure of a bounded queue, bounded by the 60 s deadline). What an agent does in each scenario
 * is in {@link ThreadPerAgentWorkloads}, shared with the virtual-thread system.
 *
 * <p>Threading: agent threads are daemon platform threads named {@code threads-agent-N}; the
 * benchmark thread drives each operation and closes (interrupts and joins) every thread.
 */
public final class ThreadWorkloads extends ThreadPerAgentWorkloads {

    /** Daemon platform threads, {@code ArrayBlockingQueue} mailboxes. */
    public ThreadWorkloads() {
        super("threads", platformThreads(), ArrayBlockingQueue::new);
    }

    private static ThreadFactory platformThreads() {
        final AtomicLong created = new AtomicLong();
        return body -> {
            final Thread thread = new Thread(body, "threads-agent-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
