package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import dev.flin.runtime.FatalErrorHandler;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one HTTP connection (rules 9.9, 9.10): the header timer (from a request's first
 * byte to its decoded head), the body timer (from the head to the end of the body) and the idle
 * check. Each expiry calls its {@link Expiry} method on the connection's event loop; what to do
 * then is the connection's decision.
 *
 * <p>Threading: event-loop confined. A fatal error in an expiry goes to the server's
 * {@link FatalErrorHandler} (rule 4.9): Netty's executor would only log it.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
final class ConnectionTimers {

    /** What the connection does when a timer expires; called on its event loop. */
    interface Expiry {
        void headerTimeout();

        void bodyTimeout();

        void idleCheck();
    }

    private final EventExecutor loop;
    private final HttpServerConfig config;
    private final Expiry expiry;
    private final FatalErrorHandler fatal;

    private ScheduledFuture<?> header;
    private ScheduledFuture<?> body;
    private ScheduledFuture<?> idle;

    ConnectionTimers(final EventExecutor loop, final HttpServerConfig config, final Expiry expiry,
            final FatalErrorHandler fatal) {
        this.loop = loop;
        this.config = config;
        this.expiry = expiry;
        this.fatal = fatal;
    }

    /** Starts the header timer ({@code headerTimeout}) unless it runs. */
    void startHeader() {
        if (header == null) {
            header = schedule(() -> {
                header = null;
                expiry.headerTimeout();
            }, config.headerTimeout().toNanos());
        }
    }

    boolean headerRunning() {
        return header != null;
    }

    void stopHeader() {
        header = cancel(header);
    }

    /** Starts the body timer ({@code bodyTimeout}) unless it runs. */
    void startBody() {
        if (body == null) {
            body = schedule(() -> {
                body = null;
                expiry.bodyTimeout();
            }, config.bodyTimeout().toNanos());
        }
    }

    void stopBody() {
        body = cancel(body);
    }

    /** Schedules the next idle check in {@code delayNanos}, replacing a scheduled one. */
    void scheduleIdle(final long delayNanos) {
        cancel(idle);
        idle = schedule(() -> {
            idle = null;
            expiry.idleCheck();
        }, delayNanos);
    }

    void cancelAll() {
        header = cancel(header);
        body = cancel(body);
        idle = cancel(idle);
    }

    /** Runs {@code task} on this connection's loop after {@code delayNanos}, fatal errors escalated. */
    ScheduledFuture<?> schedule(final Runnable task, final long delayNanos) {
        return loop.schedule(() -> {
            try {
                task.run();
            } catch (final Throwable t) {
                if (!FatalErrorHandler.escalateIfFatal(fatal, t)) {
                    throw t;
                }
            }
        }, delayNanos, TimeUnit.NANOSECONDS);
    }

    private static ScheduledFuture<?> cancel(final ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
        return null;
    }
}
