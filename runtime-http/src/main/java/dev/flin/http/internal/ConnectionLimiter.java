package dev.flin.http.internal;

import dev.flin.runtime.FatalErrorHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first handler of the listening channel: admits an accepted connection only while fewer than
 * {@code maxConnections} are open, and closes one beyond that at once, before it is registered with
 * an I/O loop or costs a pipeline (rule 9.10), counted and logged on the budget. It also sees the
 * accept loop's failures first: a fatal one (the accept loop ran out of memory) goes to the server's
 * {@link FatalErrorHandler} (rule 4.9).
 *
 * <p>Threading: the accept loop only (one listening channel, one instance).
 */
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxConnections;
    private final ServerCounters counters;
    private final LogBudget logs;
    private final FatalErrorHandler fatal;

    ConnectionLimiter(final int maxConnections, final ServerCounters counters, final LogBudget logs,
            final FatalErrorHandler fatal) {
        this.maxConnections = maxConnections;
        this.counters = counters;
        this.logs = logs;
        this.fatal = fatal;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        final Channel child = (Channel) msg;
        if (!counters.tryOpenConnection(maxConnections)) {
            final long dropped = logs.tryLog();
            if (dropped >= 0) {
                LOG.warn("refusing a connection from {}: {} connections are open, the limit (maxConnections){}",
                        child.remoteAddress(), maxConnections, LogBudget.note(dropped));
            }
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> counters.connectionClosed());
        ctx.fireChannelRead(child);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (!FatalErrorHandler.escalateIfFatal(fatal, cause)) {
            ctx.fireExceptionCaught(cause);
        }
    }
}
