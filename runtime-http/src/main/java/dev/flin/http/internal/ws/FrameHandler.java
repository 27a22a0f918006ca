package dev.flin.http.internal.ws;

import dev.flin.http.WebSocketMessage;
import dev.flin.http.internal.LogBudget;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.RuntimeStoppedException;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a WebSocket connection's pipeline: hands complete client messages to the
 * connection's agent, answers pings, pings an idle client, runs the closing handshake, and turns
 * frame errors into the right close status.
 *
 * <p>Back-pressure on the client's messages (rule 9.7): once half the agent's mailbox of them was
 * handed over since the agent last caught up, reading stops (TCP holds the client back) and a
 * {@link ConnectionCommand.Drain} marker follows them into the mailbox; messages already read wait
 * here, in order. When the agent reaches the marker it fires the marker back as a user event,
 * and the waiting messages go on, then reading resumes. A client whose agent takes none of them
 * for {@code wsPongTimeout}, or whose mailbox is full even so (events fill the other half), is
 * flooding: it is closed with 1008.
 *
 * <p>Threading: every method runs on the connection's event loop, so the fields are confined to
 * it. Nothing here waits for the agent: a client message is offered with {@code tryTell}.
 * Other threads reach this handler only by firing a {@link CloseRequest} user event, and by
 * writing: the agent's frames pass through {@link #write}, which discards data frames once our
 * Close is sent (RFC 6455 5.5.1: nothing follows a Close).
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
final class FrameHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(FrameHandler.class);

    /** Longest close reason: a control frame carries at most 125 bytes, 2 of them the status. */
    private static final int MAX_REASON_BYTES = 123;

    private final AgentRef<ConnectionCommand> agent;
    private final String remoteAddress;
    private final Shared shared;

    private boolean closeSent;
    private boolean awaitingPong;
    private ScheduledFuture<?> pongDeadline;

    /** Client messages handed to the agent since it last caught up (reached a Drain marker). */
    private int sinceDrain;
    /** Reading is held back and a Drain marker waits in the agent's mailbox. */
    private boolean holding;
    /** Client messages read while holding, oldest first: at most what one read brought. */
    private final ArrayDeque<ConnectionCommand.FromClient> waiting = new ArrayDeque<>();
    /** Closes a flooding client whose agent does not reach the marker within {@code wsPongTimeout}. */
    private ScheduledFuture<?> drainDeadline;

    FrameHandler(final AgentRef<ConnectionCommand> agent, final String remoteAddress, final Shared shared) {
        this.agent = agent;
        this.remoteAddress = remoteAddress;
        this.shared = shared;
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
        heardFromClient();
        if (msg instanceof CloseWebSocketFrame close) {
            onClientClose(ctx, close);
        } else if (msg instanceof PingWebSocketFrame ping) {
            if (closeSent || !ctx.channel().isWritable()) {
                // A client that pings but does not read would grow our outbound queue with pongs
                // (rule 9.7: bounded whatever the client does); RFC 6455 5.5.3 lets us answer only
                // a later ping.
                ping.release();
            } else {
                ctx.channel().writeAndFlush(new PongWebSocketFrame(ping.content())); // takes over the payload
            }
        } else if (closeSent) {
            ReferenceCountUtil.release(msg); // after our Close only the client's Close matters
        } else if (msg instanceof TextWebSocketFrame text) {
            final String body;
            try {
                body = text.text();
            } finally {
                text.release();
            }
            handToAgent(ctx, new ConnectionCommand.FromClient(new WebSocketMessage.Text(body)));
        } else if (msg instanceof BinaryWebSocketFrame binary) {
            final byte[] bytes;
            try {
                bytes = ByteBufUtil.getBytes(binary.content());
            } finally {
                binary.release();
            }
            handToAgent(ctx, new ConnectionCommand.FromClient(new WebSocketMessage.Binary(bytes)));
        } else {
            ReferenceCountUtil.release(msg); // pong: its arrival is all that counts
        }
    }

    private void handToAgent(final ChannelHandlerContext ctx, final ConnectionCommand.FromClient command) {
        if (holding) {
            waiting.addLast(command); // read in the same batch as the message that made us hold: in order, after it
            return;
        }
        offer(ctx, command);
    }

    /** @return whether the agent took {@code command}; if not, the connection is closing */
    private boolean offer(final ChannelHandlerContext ctx, final ConnectionCommand.FromClient command) {
        try {
            if (!agent.tryTell(command)) {
                flooding(ctx, "its agent's mailbox of " + shared.endpoint().mailboxCapacity() + " messages is full",
                        "more than " + shared.endpoint().mailboxCapacity() + " messages waiting");
                return false;
            }
        } catch (final AgentNotFoundException | RuntimeStoppedException gone) {
            close(ctx, new CloseRequest(CloseRequest.GOING_AWAY, "connection agent is gone", false));
            return false;
        }
        if (++sinceDrain >= drainThreshold()) {
            hold(ctx);
        }
        return true;
    }

    /** @return how many client messages may wait for the agent before reading is held back: half its mailbox */
    private int drainThreshold() {
        return Math.max(1, shared.endpoint().mailboxCapacity() / 2);
    }

    private void hold(final ChannelHandlerContext ctx) {
        holding = true;
        ctx.channel().config().setAutoRead(false);
        try {
            if (!agent.tryTell(ConnectionCommand.Drain.INSTANCE)) {
                flooding(ctx, "its agent's mailbox of " + shared.endpoint().mailboxCapacity() + " messages is full",
                        "more than " + shared.endpoint().mailboxCapacity() + " messages waiting");
                return;
            }
        } catch (final AgentNotFoundException | RuntimeStoppedException gone) {
            close(ctx, new CloseRequest(CloseRequest.GOING_AWAY, "connection agent is gone", false));
            return;
        }
        drainDeadline = ctx.executor().schedule(() -> {
            if (holding && ctx.channel().isActive()) {
                flooding(ctx, "its agent took none of " + sinceDrain + " messages within " + shared.pongTimeout(),
                        "its agent took none of " + sinceDrain + " messages within " + shared.pongTimeout().toMillis() + " ms");
            }
        }, shared.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The agent reached the Drain marker: every message handed before it was taken. */
    private void drained(final ChannelHandlerContext ctx) {
        if (!holding) {
            return;
        }
        holding = false;
        sinceDrain = 0;
        cancelDrainDeadline();
        while (!holding && !closeSent && !waiting.isEmpty()) {
            if (!offer(ctx, waiting.pollFirst())) {
                return;
            }
        }
        if (!holding && ctx.channel().isActive()) {
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
    }

    private void cancelDrainDeadline() {
        if (drainDeadline != null) {
            drainDeadline.cancel(false);
            drainDeadline = null;
        }
    }

    /**
     * @param why for the log
     * @param reason the close reason, after "flooding: "
     */
    private void flooding(final ChannelHandlerContext ctx, final String why, final String reason) {
        shared.counters().closedFlooding.increment();
        final long dropped = shared.clientLogs().tryLog();
        if (dropped >= 0) {
            log.warn("WebSocket client {} ({}) closed for flooding: {}{}", remoteAddress, agent.id(), why,
                    LogBudget.note(dropped));
        }
        close(ctx, new CloseRequest(CloseRequest.POLICY_VIOLATION, "flooding: " + reason, false));
    }

    private void onClientClose(final ChannelHandlerContext ctx, final CloseWebSocketFrame close) {
        try {
            if (!isUtf8Reason(close)) {
                // Netty's decoder checks the reason's bytes but not that its last character is complete
                protocolError(ctx, CloseRequest.INVALID_PAYLOAD, "the close reason is not valid UTF-8");
                return;
            }
            if (closeSent) {
                ctx.close(); // the client answered our Close: the closing handshake is complete
                return;
            }
            closeSent = true;
            final int code = close.statusCode();
            log.debug("WebSocket client {} ({}) closed with {} {}", remoteAddress, agent.id(), code, close.reasonText());
            // Echo the status (RFC 6455 5.5.1), then close the TCP connection: the server closes first.
            final CloseWebSocketFrame echo = code == -1 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
            ctx.channel().writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
        } finally {
            close.release();
        }
    }

    /** @return whether the Close frame's reason (after its 2-byte status) is complete, valid UTF-8 (rule 9.14) */
    private static boolean isUtf8Reason(final CloseWebSocketFrame close) {
        final io.netty.buffer.ByteBuf content = close.content();
        if (content.readableBytes() <= 2) {
            return true;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(content.nioBuffer(content.readerIndex() + 2, content.readableBytes() - 2));
            return true;
        } catch (final java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object evt) {
        if (evt instanceof CloseRequest request) {
            close(ctx, request);
        } else if (evt == ConnectionCommand.Drain.INSTANCE) {
            drained(ctx);
        } else if (evt instanceof IdleStateEvent) {
            pingIfIdle(ctx);
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        if (closeSent && msg instanceof WebSocketFrame frame && !(frame instanceof CloseWebSocketFrame)) {
            frame.release();
            promise.tryFailure(new java.nio.channels.ClosedChannelException());
            return;
        }
        ctx.write(msg, promise);
    }

    /** Wakes the agent when the socket takes frames again, so waiting frames go out (rule 9.7). */
    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closeSent) {
            try {
                agent.tryTell(ConnectionCommand.Writable.INSTANCE); // refused when full: the agent is busy flushing anyway
            } catch (final AgentNotFoundException | RuntimeStoppedException closing) {
                // the agent is gone; the connection is closing
            }
        }
        ctx.fireChannelWritabilityChanged();
    }

    // ---- keep-alive (rule 9.7)

    private void pingIfIdle(final ChannelHandlerContext ctx) {
        if (closeSent || awaitingPong) {
            return; // one ping at a time: the next one only after the client answered this one
        }
        awaitingPong = true;
        shared.counters().pingsSent.increment();
        ctx.channel().writeAndFlush(new PingWebSocketFrame(Unpooled.EMPTY_BUFFER));
        pongDeadline = ctx.executor().schedule(() -> pongTimedOut(ctx), shared.pongTimeout().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void heardFromClient() {
        awaitingPong = false;
        if (pongDeadline != null) {
            pongDeadline.cancel(false);
            pongDeadline = null;
        }
    }

    private void pongTimedOut(final ChannelHandlerContext ctx) {
        if (!awaitingPong || !ctx.channel().isActive()) {
            return;
        }
        shared.counters().closedPongTimeout.increment();
        final long dropped = shared.clientLogs().tryLog();
        if (dropped >= 0) {
            log.info("WebSocket client {} ({}) closed: no frame within {} after a ping{}", remoteAddress, agent.id(),
                    shared.pongTimeout(), LogBudget.note(dropped));
        }
        close(ctx, new CloseRequest(CloseRequest.POLICY_VIOLATION,
                "keep-alive: no pong within " + shared.pongTimeout().toMillis() + " ms", true));
    }

    // ---- errors

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        if (FatalErrorHandler.escalateIfFatal(shared.fatalErrors(), cause)) {
            ctx.close();
        } else if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            final int code = corrupt.closeStatus().code();
            if (code == CloseRequest.MESSAGE_TOO_BIG) {
                tooBig(ctx, corrupt.getMessage());
            } else {
                protocolError(ctx, code, corrupt.getMessage());
            }
        } else if (cause instanceof TooLongFrameException) { // the aggregator: fragments over the limit
            tooBig(ctx, "message over the limit of " + shared.maxFramePayload() + " bytes");
        } else if (cause instanceof CorruptedFrameException corrupt) {
            protocolError(ctx, CloseRequest.PROTOCOL_ERROR, corrupt.getMessage());
        } else if (cause instanceof IOException io) {
            log.debug("WebSocket client {} ({}): {}", remoteAddress, agent.id(), io.toString());
            ctx.close();
        } else {
            final long dropped = shared.clientLogs().tryLog();
            if (dropped >= 0) {
                log.warn("WebSocket client {} ({}): unexpected failure, closing with 1011{}", remoteAddress, agent.id(),
                        LogBudget.note(dropped), cause);
            }
            close(ctx, new CloseRequest(CloseRequest.INTERNAL_ERROR, "internal error", true));
        }
    }

    private void tooBig(final ChannelHandlerContext ctx, final String message) {
        shared.counters().closedTooBig.increment();
        final long dropped = shared.clientLogs().tryLog();
        if (dropped >= 0) {
            log.info("WebSocket client {} ({}) closed with 1009: {}{}", remoteAddress, agent.id(), message, LogBudget.note(dropped));
        }
        closeCorrupt(ctx, new CloseRequest(CloseRequest.MESSAGE_TOO_BIG, message, false));
    }

    private void protocolError(final ChannelHandlerContext ctx, final int code, final String message) {
        shared.counters().closedProtocolError.increment();
        final long dropped = shared.clientLogs().tryLog();
        if (dropped >= 0) {
            log.info("WebSocket client {} ({}) closed with {}: {}{}", remoteAddress, agent.id(), code, message,
                    LogBudget.note(dropped));
        }
        closeCorrupt(ctx, new CloseRequest(code, message, false));
    }

    /**
     * After a frame error the decoder discards everything the client sends, its Close included, so
     * there is no closing handshake to wait for: send our Close, then end the connection.
     */
    private void closeCorrupt(final ChannelHandlerContext ctx, final CloseRequest request) {
        if (closeSent) {
            ctx.close();
            return;
        }
        close(ctx, request);
    }

    // ---- closing

    /**
     * Sends a Close frame (once) and ends the connection: at once when {@code request.abort()},
     * else after the client's Close, or after {@code wsPongTimeout} if it sends none. Our output is
     * shut once the Close is flushed (we send nothing after it), so the client sees the end of the
     * stream right after the Close frame.
     */
    private void close(final ChannelHandlerContext ctx, final CloseRequest request) {
        if (closeSent || !ctx.channel().isActive()) {
            if (request.abort()) {
                ctx.close();
            }
            return;
        }
        closeSent = true;
        if (holding) { // the client's Close must still be read; its data frames are dropped from now on
            holding = false;
            waiting.clear();
            cancelDrainDeadline();
            ctx.channel().config().setAutoRead(true);
            ctx.read();
        }
        final ChannelFuture written = ctx.channel().writeAndFlush(
                new CloseWebSocketFrame(request.code(), fitReason(request.reason())));
        if (request.abort()) {
            ctx.close();
            return;
        }
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                f.channel().close();
            } else if (f.channel() instanceof DuplexChannel duplex && duplex.isActive()) {
                duplex.shutdownOutput();
            }
        });
        ctx.executor().schedule(() -> {
            ctx.close(); // no Close from the client in time: end it anyway (a no-op if already closed)
        }, shared.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String fitReason(final String reason) {
        final byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_REASON_BYTES) {
            return reason;
        }
        int end = MAX_REASON_BYTES;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) { // do not cut a UTF-8 sequence
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx) {
        heardFromClient(); // cancels a pending pong deadline
        cancelDrainDeadline();
        waiting.clear();
        ctx.fireChannelInactive();
    }
}
