package dev.flin.http.core;

import dev.flin.http.Transport;
import dev.flin.runtime.core.spi.Dispatcher;
import dev.flin.runtime.core.spi.TimerWheel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A runtime-core {@link Dispatcher} that runs agents on Netty event loops, which an
 * {@link dev.flin.http.HttpServer} can also serve its connections on
 * ({@link dev.flin.http.HttpServer.Builder#ioLoops}). A request's handler agent then runs on the
 * thread that read the request, right after the read, and its answer is written from that same
 * thread: no thread hand-off per request (measured in {@code docs/baseline/*-http-*.md}).
 *
 * <p>The price is the event-loop rule: <b>no agent of such a runtime may block</b>, because it
 * would stall every connection of its loop. A service whose agents block (JDBC, file I/O) spawns
 * them on {@code DispatcherSelector.BLOCKING} (rule 1.7): this dispatcher does not
 * {@linkplain #confinesAgents confine agents}, so the runtime runs them on its blocking threads
 * beside the loops (and {@code PINNED} agents on threads of their own). Timers stay on the loops'
 * timer thread whatever the placement.
 *
 * <p>Scheduling: a task submitted from one of the loops runs on that loop (after the tasks and
 * I/O already due there); a task submitted from elsewhere goes to the next loop, round-robin.
 * Timers run on a loop too. Each agent still runs one message at a time (rule 1.1): the runtime
 * never submits an agent twice.
 *
 * <p>Threading: thread-safe. Happens-before: a submission happens-before the task runs (Netty's
 * task queues).
 */
public final class EventLoopDispatcher implements Dispatcher {

    private final EventLoopGroup loops;
    private final Transport transport;
    /** The loops' threads, joined by {@link #shutdown}: Netty completes a loop's termination future
     * from its thread's last steps, before the thread has ended (rule 8.7 asks that it has). */
    private final ConcurrentLinkedQueue<Thread> loopThreads;
    /**
     * Timers fire on a thread of their own, not on a loop: an agent that waits for its own timer on
     * a loop would otherwise wait forever (the kit's timer checks do exactly that). A hashed wheel,
     * not a scheduled executor: adding or cancelling a timeout only enqueues it, while a scheduled
     * executor wakes its thread on every schedule, and every request schedules its ask timeout
     * (that wake-up halved the event-loop figure of the HTTP baseline on one core). runtime-core's
     * {@link TimerWheel}, as the worker pool uses: it never fires a timeout before its deadline.
     */
    private final TimerWheel timer;

    private EventLoopDispatcher(final EventLoopGroup loops, final Transport transport,
            final ConcurrentLinkedQueue<Thread> loopThreads) {
        this.loops = loops;
        this.transport = transport;
        this.loopThreads = loopThreads;
        this.timer = TimerWheel.start("flin-loop-timer"); // the worker pool's wheel: 1 ms ticks, 512 buckets
    }

    /**
     * @param threads   event loops; 0 = one per core
     * @param transport {@link Transport#AUTO} takes epoll where it loads, NIO otherwise
     * @return a dispatcher owning {@code threads} new event loops, shut down by {@link #shutdown}
     * @throws IllegalStateException if {@link Transport#EPOLL} is asked for and epoll does not load
     */
    public static EventLoopDispatcher create(final int threads, final Transport transport) {
        Objects.requireNonNull(transport, "transport");
        if (threads < 0) {
            throw new IllegalArgumentException("threads must be >= 0 (0 = one per core), was " + threads);
        }
        final boolean epoll = transport.resolve() == Transport.EPOLL;
        final ConcurrentLinkedQueue<Thread> created = new ConcurrentLinkedQueue<>();
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new RecordingThreadFactory(created),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        return new EventLoopDispatcher(group, epoll ? Transport.EPOLL : Transport.NIO, created);
    }

    /** Netty's thread factory (fast thread-local threads named {@code flin-loop-N-M}), remembering each thread. */
    private static final class RecordingThreadFactory extends DefaultThreadFactory {
        private final ConcurrentLinkedQueue<Thread> created;

        RecordingThreadFactory(final ConcurrentLinkedQueue<Thread> created) {
            super("flin-loop");
            this.created = created;
        }

        @Override
        protected Thread newThread(final Runnable r, final String name) {
            final Thread t = super.newThread(r, name);
            created.add(t);
            return t;
        }
    }

    /** @return the event loops, for {@link dev.flin.http.HttpServer.Builder#ioLoops} */
    public EventLoopGroup eventLoops() {
        return loops;
    }

    /** @return {@link Transport#EPOLL} or {@link Transport#NIO}: what the loops were made for */
    public Transport transport() {
        return transport;
    }

    @Override
    public void execute(final Runnable task) {
        loopOfThisThread().execute(task);
    }

    private EventExecutor loopOfThisThread() {
        for (final EventExecutor loop : loops) {
            if (loop.inEventLoop()) {
                return loop;
            }
        }
        return loops.next();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Scheduled schedule(final long delayNanos, final Runnable action) {
        return timer.schedule(delayNanos, action); // after shutdown: never runs, cancel() is false
    }


    @Override
    public boolean shutdown(final long timeoutNanos) {
        final long deadline = System.nanoTime() + Math.max(0, timeoutNanos);
        // pending timeouts are dropped (rule 8.7: timers end with shutdown); the wheel's thread is joined
        if (!timer.shutdown(Math.max(1, timeoutNanos))) {
            return false;
        }
        final long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        final var unused = loops.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS); // awaited just below
        if (!loops.terminationFuture().awaitUninterruptibly(millis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        // terminated, but a loop's thread may still be running its last steps: wait for it to end
        boolean interrupted = false;
        try {
            for (final Thread t : loopThreads) {
                while (t.isAlive()) {
                    final long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    try {
                        TimeUnit.NANOSECONDS.timedJoin(t, left);
                    } catch (final InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            return true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
