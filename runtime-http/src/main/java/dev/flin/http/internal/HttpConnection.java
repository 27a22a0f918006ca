package dev.flin.http.internal;

import dev.flin.http.HttpRequest;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.RouteMatch;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RuntimeStoppedException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: the wiring of its parts. It receives each request within the limits,
 * checks it ({@link RequestChecks}), routes it, hands it to a handler agent (rule 9.2), and writes
 * the responses strictly in request order (rule 9.1). The parts, each with one job:
 * <ul>
 *   <li>{@link RequestChecks}: what is refused before a handler sees it, and with which status;</li>
 *   <li>{@link BodyBuffer} in the server's {@link RequestMemory}: the body being received, within
 *       {@code maxContentLength} and {@code maxBufferedRequestBytes} (rule 9.10);</li>
 *   <li>{@link ResponseQueue}: the one ordered queue of {@link Exchange}s and the per-connection bound;</li>
 *   <li>{@link ResponseEncoder}: the response on the wire, with the server-managed headers;</li>
 *   <li>{@link ConnectionTimers}: header, body and idle timers (rules 9.9, 9.10).</li>
 * </ul>
 *
 * <h2>In-order responses</h2>
 * Answers come back in any order (handler agents run in parallel); each only fills in its exchange,
 * and {@link #writeReady} writes from the front of the queue while the front is answered. Every
 * response the server sends, its own errors included, goes through the queue; a {@code 100 Continue}
 * is written when its exchange reaches the front (an interim response belongs to the request
 * currently being answered).
 *
 * <h2>Back-pressure</h2>
 * With {@code maxPipelinedRequests} exchanges queued the channel stops reading; it reads again when
 * one is written. Requests already decoded from bytes read before that wait routed but not
 * dispatched ({@link Exchange.Stage#PARKED}), so at most {@code maxPipelinedRequests} requests of
 * one connection are at handler agents at once.
 *
 * <h2>Errors and closing (rule 9.3)</h2>
 * A framing problem (decoder failure, 413, 417, 505, a bad {@code Host}, slow headers or body 408,
 * no memory 503) ends the input: the error is queued like any response, earlier responses are
 * written first, then the connection half-closes, drains what the client still sends (so the
 * client reads the response rather than a reset) and closes. {@code Connection: close} and HTTP/1.0
 * without keep-alive end the input after their request.
 *
 * <p>Threading: event-loop confined. Handler answers arrive on agent or timer threads and are
 * re-submitted to the channel's event loop before they touch anything here; the event loop never
 * waits for an agent. A fatal error (rule 4.9) caught here goes to the server's
 * {@link FatalErrorHandler}.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
final class HttpConnection extends ChannelInboundHandlerAdapter
        implements TimedRequestDecoder.Listener, ConnectionTimers.Expiry {

    /** The user event that starts a graceful drain of the connection (rule 9.8). */
    enum Drain {
        /** The only instance. */
        INSTANCE
    }

    /** Where the connection is; each phase follows the one before it, except {@link #UPGRADED} and {@link #CLOSED}. */
    private enum Phase {
        /** Reading and answering requests. */
        OPEN,
        /** No further request is read or processed; the queued ones are still answered. */
        INPUT_CLOSED,
        /** The last response is written; the connection is closing. */
        CLOSING,
        /** Handed over to the WebSocket side: everything passes through. */
        UPGRADED,
        /** The channel is closed. */
        CLOSED
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    /** How long a closing connection keeps draining input after its last response. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ServerState server;
    private final HttpServerConfig config;
    private final ServerCounters counters;
    private final ErrorResponses errors;
    private final ResponseEncoder encoder;
    private final ResponseQueue queue = new ResponseQueue();

    private ChannelHandlerContext ctx;
    private ConnectionTimers timers;
    private Phase phase = Phase.OPEN;
    /** A graceful shutdown began: the next request is answered 503 and the connection closes. */
    private boolean draining;
    /** Responses were written since the last flush. */
    private boolean unflushed;
    /** The first byte of a request arrived and its head is not decoded yet. */
    private boolean headersPending;
    /** The exchange whose body is arriving, always the last in the queue, and its body. */
    private Exchange receiving;
    private BodyBuffer body;
    /** {@link System#nanoTime()} when the socket last stopped taking our writes; 0 while it takes them. */
    private long unwritableSince;
    private long lastTraffic;

    HttpConnection(final ServerState server) {
        this.server = server;
        this.config = server.config();
        this.counters = server.counters();
        this.errors = server.errors();
        this.encoder = server.encoder();
    }

    // ---------------------------------------------------------------------------------------
    // Channel events
    // ---------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(final ChannelHandlerContext context) {
        this.ctx = context;
        this.timers = new ConnectionTimers(context.executor(), config, this, server.fatalErrors());
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext context) {
        timers.cancelAll();
    }

    @Override
    public void channelActive(final ChannelHandlerContext context) {
        lastTraffic = System.nanoTime();
        timers.scheduleIdle(config.idleTimeout().toNanos());
        if (counters.isDraining()) {
            // accepted while the server began to shut down: refuse it as the closed listener would
            draining = true;
            context.close();
            return;
        }
        context.fireChannelActive();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext context) {
        if (phase != Phase.UPGRADED) {
            phase = Phase.CLOSED;
        }
        timers.cancelAll();
        abandonAll();
        stopReceiving();
        context.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object msg) {
        if (phase == Phase.UPGRADED) {
            context.fireChannelRead(msg);
            return;
        }
        try {
            if (phase != Phase.OPEN) {
                return;
            }
            if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
                malformed(decoded.decoderResult().cause());
            } else {
                if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
                    onHead(head);
                }
                if (msg instanceof HttpContent content && phase == Phase.OPEN) {
                    onContent(content);
                }
            }
            writeReady();
        } catch (final Throwable t) {
            if (!FatalErrorHandler.escalateIfFatal(server.fatalErrors(), t)) {
                throw t;
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext context) {
        flushIfNeeded();
        context.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext context, final Object event) {
        if (event == Drain.INSTANCE) {
            if (phase != Phase.UPGRADED) {
                draining = true;
                if (queue.isEmpty() && receiving == null && !headersPending && phase != Phase.CLOSING) {
                    context.close();
                }
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause) {
        if (FatalErrorHandler.escalateIfFatal(server.fatalErrors(), cause)) {
            context.close();
            return;
        }
        if (phase == Phase.UPGRADED) {
            context.fireExceptionCaught(cause);
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("HTTP connection {} failed: {}", context.channel(), cause.toString());
        } else {
            final long dropped = server.connectionLogs().tryLog();
            if (dropped >= 0) {
                LOG.warn("HTTP connection {} failed; closing it{}", context.channel(), LogBudget.note(dropped), cause);
            }
        }
        context.close();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context) {
        if (ctx.channel().isWritable()) {
            unwritableSince = 0;
        } else if (unwritableSince == 0) {
            unwritableSince = System.nanoTime() | 1; // never 0
        }
        if (phase != Phase.UPGRADED) {
            writeReady(); // answers held back while the socket was full
            flushIfNeeded();
            updateReading();
        }
        context.fireChannelWritabilityChanged();
    }

    // ---------------------------------------------------------------------------------------
    // Decoder progress (TimedRequestDecoder.Listener), on this channel's event loop
    // ---------------------------------------------------------------------------------------

    @Override
    public void bytesReceived() {
        lastTraffic = System.nanoTime();
    }

    @Override
    public void requestStarted() {
        if (phase != Phase.OPEN) {
            return;
        }
        headersPending = true;
        if (ctx.channel().config().isAutoRead()) {
            timers.startHeader();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------

    private void onHead(final io.netty.handler.codec.http.HttpRequest head) {
        timers.stopHeader();
        headersPending = false;
        final Exchange ex = Exchange.of(head, server.ids().forRequest(head.headers().get(CorrelationIds.HEADER)));
        queue.add(ex);
        final RequestChecks.Refusal refusal = server.checks().checkHead(head);
        if (refusal != null) {
            refuse(ex, refusal.status(), refusal.message());
            return;
        }
        if (HttpUtil.is100ContinueExpected(head)) {
            ex.stage = Exchange.Stage.AWAITING_CONTINUE;
        }
        receiving = ex;
        final long announced = HttpUtil.getContentLength(head, -1L);
        body = new BodyBuffer(server.memory(), announced >= 0 ? (int) announced : config.maxContentLength());
        if (announced > 0 || HttpUtil.isTransferEncodingChunked(head)) {
            timers.startBody();
        }
        updateReading();
    }

    private void onContent(final HttpContent content) {
        final Exchange ex = receiving;
        if (ex == null) {
            return;
        }
        final ByteBuf data = content.content();
        if ((long) body.size() + data.readableBytes() > config.maxContentLength()) {
            refuse(ex, 413, "request body is over the limit of " + config.maxContentLength() + " bytes");
            return;
        }
        if (!body.append(data)) {
            counters.rejectedMemory.increment();
            final long dropped = server.connectionLogs().tryLog();
            if (dropped >= 0) {
                LOG.warn("refusing a request body on {}: the server holds {} bytes of request bodies, its bound of {}"
                        + " (maxBufferedRequestBytes) would be exceeded{}", ctx.channel(), server.memory().reserved(),
                        config.maxBufferedRequestBytes(), LogBudget.note(dropped));
            }
            refuse(ex, 503, "the server holds too many request bodies in memory; retry later");
            return;
        }
        if (ex.stage == Exchange.Stage.AWAITING_CONTINUE && data.isReadable()) {
            ex.stage = Exchange.Stage.RECEIVING; // the client did not wait for our 100 Continue
        }
        if (content instanceof LastHttpContent) {
            timers.stopBody();
            receiving = null;
            ex.stage = Exchange.Stage.RECEIVING;
            final byte[] bytes = body.finish();
            ex.reservedBytes = bytes.length;
            body = null;
            received(ex, bytes);
            updateReading();
        }
    }

    /** A request is complete and within the limits: accept it, check its origin, route it, dispatch it. */
    private void received(final Exchange ex, final byte[] bytes) {
        if (ex.after != Exchange.After.KEEP_ALIVE) {
            // Connection: close, or HTTP/1.0 without keep-alive: nothing after it is processed
            closeInput();
        }
        if (isDraining()) {
            accept(ex);
            ex.after = Exchange.After.CLOSE;
            closeInput();
            answer(ex, errors.unavailable("server is shutting down", ex.correlationId));
            return;
        }
        final boolean webSocket = isWebSocketUpgrade(ex);
        final RequestChecks.Refusal forbidden = server.checks().checkOrigin(ex.headers, ex.method, webSocket);
        if (forbidden != null) {
            accept(ex);
            counters.rejectedOrigin.increment();
            answer(ex, errors.error(forbidden.status(), forbidden.message()));
            return;
        }
        if (webSocket) {
            if (queue.size() == 1) {
                handOver(ex, bytes);
                return;
            }
            accept(ex);
            answer(ex, errors.error(400, "a WebSocket upgrade must not be pipelined behind other requests"));
            return;
        }
        final long inFlight = accept(ex);
        final String rawPath;
        final Map<String, List<String>> query;
        final RouteMatch match;
        try {
            final QueryStringDecoder target = new QueryStringDecoder(originForm(ex.uri));
            rawPath = target.rawPath();
            query = target.parameters();
            match = server.router().match(ex.method, rawPath);
        } catch (final IllegalArgumentException e) {
            answer(ex, errors.error(400, "malformed request target: " + e.getMessage()));
            return;
        }
        if (match instanceof RouteMatch.Found found) {
            if (inFlight > config.maxInFlightRequests()) {
                counters.rejectedOverload.increment();
                answer(ex, errors.overloaded(ex.correlationId));
                return;
            }
            ex.request = new HttpRequest(ex.method, rawPath, query, headerMap(ex.headers), found.pathParams(), bytes,
                    ex.correlationId);
            ex.handler = found.handler();
            if (queue.busy() < config.maxPipelinedRequests()) {
                dispatch(ex);
            } else {
                queue.move(ex, Exchange.Stage.PARKED);
            }
        } else if (match instanceof RouteMatch.MethodNotAllowed notAllowed) {
            answer(ex, errors.methodNotAllowed(ex.method, notAllowed.allowed()));
        } else {
            answer(ex, errors.notFound(rawPath));
        }
    }

    /** Counts the exchange as accepted and in flight; its deadline starts now. @return requests in flight */
    private long accept(final Exchange ex) {
        ex.admission = Exchange.Admission.ACCEPTED;
        ex.deadlineNanos = System.nanoTime() + config.askTimeout().toNanos();
        return counters.requestAccepted();
    }

    private boolean isDraining() {
        if (!draining && counters.isDraining()) {
            draining = true;
        }
        return draining;
    }

    private boolean isWebSocketUpgrade(final Exchange ex) {
        final String wsPath = server.webSocketPath();
        if (wsPath == null || !HttpMethod.GET.name().equals(ex.method)
                || !ex.headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            return false;
        }
        final String target = originForm(ex.uri);
        final int query = target.indexOf('?');
        return wsPath.equals(query < 0 ? target : target.substring(0, query));
    }

    /** Gives the connection to the WebSocket side; this handler passes everything through from now on. */
    private void handOver(final Exchange ex, final byte[] bytes) {
        queue.remove(ex);
        releaseBody(ex);
        phase = Phase.UPGRADED;
        timers.cancelAll();
        final FullHttpRequest upgrade = new DefaultFullHttpRequest(ex.version, HttpMethod.GET, ex.uri,
                Unpooled.wrappedBuffer(bytes), ex.headers, DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        try {
            server.webSockets().upgrade(ctx, upgrade);
            // reading may have been paused by the pipelining bound; the WebSocket side reads from now on
            ctx.channel().config().setAutoRead(true);
        } catch (final RuntimeException e) {
            LOG.error("WebSocket upgrade of {} failed; closing the connection", ctx.channel(), e);
            if (upgrade.refCnt() > 0) {
                upgrade.release();
            }
            ctx.close();
        }
    }

    /** Stops receiving a body, if one is arriving, and gives its memory back. */
    private void stopReceiving() {
        timers.stopBody();
        receiving = null;
        if (body != null) {
            body.discard();
            body = null;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Handler agents (rule 9.2)
    // ---------------------------------------------------------------------------------------

    private void dispatch(final Exchange ex) {
        queue.move(ex, Exchange.Stage.DISPATCHED);
        final EventExecutor loop = ctx.executor();
        final boolean taken = server.dispatcher().dispatch(ex.request, ex.handler, ex.deadlineNanos,
                (result, failure) -> onLoop(loop, () -> handled(ex, result, failure)));
        if (!taken) {
            counters.rejectedOverload.increment();
            answer(ex, errors.overloaded(ex.correlationId));
        }
    }

    /** Runs on the event loop, always later (never inline), so that no answer re-enters a read. */
    private static void onLoop(final EventExecutor loop, final Runnable task) {
        try {
            loop.execute(task);
        } catch (final RejectedExecutionException shutDown) {
            // The event loop has shut down: the connection is closed and the request counted as lost.
        }
    }

    private void handled(final Exchange ex, final HandlerResult result, final Throwable failure) {
        try {
            if (ex.stage == Exchange.Stage.ABANDONED) {
                return;
            }
            answer(ex, failure == null ? counted(result) : forAskFailure(ex, failure));
            writeReady();
            flushIfNeeded();
        } catch (final Throwable t) {
            if (!FatalErrorHandler.escalateIfFatal(server.fatalErrors(), t)) {
                throw t;
            }
        }
    }

    /** Dispatches parked requests, in order, while the bound allows. @return whether any was dispatched */
    private boolean dispatchParked() {
        boolean any = false;
        for (final Exchange next : queue) {
            if (queue.busy() >= config.maxPipelinedRequests()) {
                break;
            }
            if (next.stage == Exchange.Stage.PARKED) {
                dispatch(next);
                any = true;
            }
        }
        return any;
    }

    private HttpResponse counted(final HandlerResult result) {
        switch (result.kind()) {
            case HANDLER_FAILED -> counters.handlerFailures.increment();
            case OVERLOADED -> counters.rejectedOverload.increment();
            case TIMED_OUT -> counters.askTimeouts.increment();
            default -> {
            }
        }
        return result.response();
    }

    /** The server's own ask of the handler agent failed. */
    private HttpResponse forAskFailure(final Exchange ex, final Throwable failure) {
        final Throwable t = ErrorResponses.unwrap(failure);
        if (t instanceof AskTimeoutException) {
            counters.askTimeouts.increment();
            return errors.timedOut(ex.correlationId);
        }
        if (t instanceof MailboxFullException) {
            counters.rejectedOverload.increment();
            return errors.overloaded(ex.correlationId);
        }
        if (t instanceof RuntimeStoppedException || t instanceof AgentNotFoundException || t instanceof AgentTerminatedException) {
            return errors.unavailable("handler agents are unavailable, retry later", ex.correlationId);
        }
        LOG.error("request {} {} failed outside its handler [correlation id {}]", ex.method, ex.uri, ex.correlationId, t);
        return errors.internalError(ex.correlationId);
    }

    // ---------------------------------------------------------------------------------------
    // Answering, in order (rule 9.1)
    // ---------------------------------------------------------------------------------------

    /** Fills in the exchange's response; {@link #writeReady} writes it when its turn comes. */
    private void answer(final Exchange ex, final HttpResponse response) {
        FullHttpResponse out;
        try {
            out = encoder.encode(ex, response);
            ex.status = response.status();
        } catch (final RuntimeException e) {
            // an interim status, or a header value a handler built with a line break: Netty refuses it
            LOG.error("the response to {} {} cannot be written [correlation id {}]", ex.method, ex.uri, ex.correlationId, e);
            counters.handlerFailures.increment();
            out = encoder.encode(ex, errors.internalError(ex.correlationId));
            ex.status = 500;
        }
        if (ex.response != null) {
            ex.response.release(); // answered twice cannot happen; keep the buffers right if it does
        }
        ex.response = out;
        queue.move(ex, Exchange.Stage.ANSWERED);
    }

    /** Refuses a request before acceptance: error, then close (rule 9.3). */
    private void refuse(final Exchange ex, final int status, final String message) {
        counters.protocolErrors.increment();
        ex.admission = Exchange.Admission.REFUSED;
        ex.after = Exchange.After.CLOSE_LINGERING;
        closeInput();
        if (receiving == ex) {
            stopReceiving();
        }
        answer(ex, errors.error(status, message));
    }

    /** No further request is read or processed. */
    private void closeInput() {
        if (phase == Phase.OPEN) {
            phase = Phase.INPUT_CLOSED;
        }
        setAutoRead(false);
        timers.stopHeader();
        headersPending = false;
    }

    private void malformed(final Throwable cause) {
        final int status;
        final String message;
        if (cause instanceof TooLongHttpLineException) {
            status = 414;
            message = "request line is longer than " + config.maxInitialLineLength() + " bytes";
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = 431;
            message = "request headers are larger than " + config.maxHeaderSize() + " bytes";
        } else {
            status = 400;
            message = "malformed request: " + shorten(String.valueOf(cause.getMessage()));
        }
        refuse(receiving != null ? receiving : newProtocolExchange(), status, message);
    }

    private Exchange newProtocolExchange() {
        final Exchange ex = Exchange.forProtocolError(server.ids().next());
        queue.add(ex);
        return ex;
    }

    /** Writes (without flushing) every answered response at the front of the queue. */
    private void writeReady() {
        if (phase == Phase.CLOSING || phase == Phase.CLOSED || phase == Phase.UPGRADED) {
            return;
        }
        do {
            if (!writeInOrder()) {
                return; // the connection is closing after its last response
            }
        } while (dispatchParked()); // a dispatch may have been answered at once (503): write it too
        updateReading();
    }

    /**
     * Writes the answered exchanges at the front of the queue, in request order, while the socket
     * takes them: a client that does not read keeps its answers here, where maxPipelinedRequests
     * bounds them, not in Netty's unbounded outbound buffer.
     *
     * @return false if the connection closes after what was written
     */
    private boolean writeInOrder() {
        while (!queue.isEmpty()) {
            final Exchange ex = queue.first();
            if (ex.stage == Exchange.Stage.ANSWERED && !ctx.channel().isWritable()) {
                flushIfNeeded(); // writability comes back only once what is queued has been flushed
                break;
            }
            if (ex.stage != Exchange.Stage.ANSWERED) {
                if (ex.stage == Exchange.Stage.AWAITING_CONTINUE) {
                    ex.stage = Exchange.Stage.RECEIVING;
                    ctx.write(ResponseEncoder.continueResponse());
                    unflushed = true;
                }
                break;
            }
            queue.pollWritten();
            // isDraining(), not the field: the Drain event reaches this loop after the server's flag
            // is set, and a response written in between must already be the connection's last.
            final boolean last = ex.after != Exchange.After.KEEP_ALIVE
                    || (isDraining() && queue.isEmpty() && receiving == null && !headersPending);
            final FullHttpResponse out = ex.response;
            ex.response = null;
            ResponseEncoder.setConnection(out, last, ex.version);
            counters.responseWritten(ex.status);
            finished(ex);
            lastTraffic = System.nanoTime();
            final ChannelFuture written = ctx.write(out).addListener(server.fatalWriteListener());
            unflushed = true;
            if (last) {
                // A connection that closes because the server drains may still have unread requests
                // in the socket (sent after this response was chosen as the last, or held back by
                // maxPipelinedRequests): a plain close answers them with a reset, which can make the
                // client lose this very response. So it lingers too: FIN, then read and drop.
                closeAfter(written, ex.after == Exchange.After.CLOSE_LINGERING || isDraining());
                return false;
            }
        }
        return true;
    }

    /** The exchange has left the queue, written or lost: it is no longer in flight, its body memory goes back. */
    private void finished(final Exchange ex) {
        if (ex.admission == Exchange.Admission.ACCEPTED) {
            counters.requestFinished();
        }
        releaseBody(ex);
    }

    private void releaseBody(final Exchange ex) {
        server.memory().release(ex.reservedBytes);
        ex.reservedBytes = 0;
    }

    private void flushIfNeeded() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void closeAfter(final ChannelFuture lastWrite, final boolean linger) {
        closeInput();
        phase = Phase.CLOSING;
        abandonAll();
        unflushed = false;
        ctx.flush();
        if (!linger || !(ctx.channel() instanceof DuplexChannel duplex)) {
            lastWrite.addListener(ChannelFutureListener.CLOSE);
            return;
        }
        lastWrite.addListener(written -> {
            if (!written.isSuccess()) {
                ctx.close();
                return;
            }
            duplex.shutdownOutput().addListener(shut -> {
                if (!shut.isSuccess()) {
                    ctx.close();
                    return;
                }
                // Read and drop what the client still sends, so it reads our response rather than a
                // reset; it closes on seeing our FIN, and we close anyway after a short linger.
                setAutoRead(true);
                timers.schedule(ctx::close, LINGER_NANOS);
            });
        });
    }

    /** The connection closed (or is closing) with exchanges not written: they are lost. */
    private void abandonAll() {
        for (final Exchange ex : queue) {
            if (ex.admission != Exchange.Admission.PENDING) {
                counters.responsesLost.increment();
            }
            finished(ex);
            if (ex.response != null) {
                ex.response.release();
                ex.response = null;
            }
        }
        queue.clearAbandoned();
    }

    // ---------------------------------------------------------------------------------------
    // Timeouts (rules 9.9, 9.10)
    // ---------------------------------------------------------------------------------------

    @Override
    public void headerTimeout() {
        if (phase != Phase.OPEN || !headersPending) {
            return;
        }
        refuse(newProtocolExchange(), 408, "request headers not complete within "
                + Durations.format(config.headerTimeout()));
        writeReady();
        flushIfNeeded();
    }

    @Override
    public void bodyTimeout() {
        if (phase != Phase.OPEN || receiving == null) {
            return;
        }
        refuse(receiving, 408, "request body not complete within " + Durations.format(config.bodyTimeout()));
        writeReady();
        flushIfNeeded();
    }

    /**
     * Closes a connection with nothing in flight and no traffic for {@code idleTimeout}; a request
     * body that stalls that long is answered 408. A connection waiting for its handlers is not
     * idle, nor one whose headers are arriving (the header timeout governs those). A connection
     * whose socket has stayed full (unwritable: Netty's buffer over its high-water mark, not
     * drained below the low one) for {@code idleTimeout} is closed too: its client does not read
     * its answers, or reads them too slowly to matter.
     */
    @Override
    public void idleCheck() {
        if (phase == Phase.CLOSED || phase == Phase.UPGRADED || phase == Phase.CLOSING) {
            return;
        }
        final long timeout = config.idleTimeout().toNanos();
        final long now = System.nanoTime();
        if (unwritableSince != 0 && !ctx.channel().isWritable()) {
            // Answers wait and the client does not drain them: it holds the connection (and up to
            // maxPipelinedRequests answers) without reading. A slow reader is one too (rule 9.9).
            final long stalled = now - unwritableSince;
            if (stalled < timeout) {
                timers.scheduleIdle(timeout - stalled);
                return;
            }
            counters.droppedNotReading.increment();
            final long dropped = server.connectionLogs().tryLog();
            if (dropped >= 0) {
                LOG.info("closing HTTP connection {}: the client left its answers unread (socket full) for {} ({} requests open){}",
                        ctx.channel(), Durations.format(config.idleTimeout()), queue.size(), LogBudget.note(dropped));
            }
            ctx.close();
            return;
        }
        final long quiet = now - lastTraffic;
        final boolean waitingForServer = queue.size() > (receiving != null ? 1 : 0);
        if (waitingForServer || headersPending) {
            timers.scheduleIdle(timeout);
            return;
        }
        if (quiet < timeout) {
            timers.scheduleIdle(timeout - quiet);
            return;
        }
        if (receiving != null) {
            refuse(receiving, 408, "request body stalled for " + Durations.format(config.idleTimeout()));
            writeReady();
            flushIfNeeded();
            return;
        }
        LOG.debug("closing idle HTTP connection {}", ctx.channel());
        ctx.close();
    }

    /**
     * Reading is on while a request body is being received (bounded by maxContentLength and the
     * server's memory bound, and timed by bodyTimeout: a body is never left half-read, whatever
     * maxPipelinedRequests is); otherwise only while fewer than maxPipelinedRequests requests are
     * open on the connection and the socket takes our writes, so a client that pipelines without
     * reading its responses stops being read instead of growing the outbound queue (rules 9.1,
     * 9.7's intent for HTTP).
     */
    private void updateReading() {
        if (phase != Phase.OPEN) {
            return;
        }
        final boolean read = receiving != null
                || (queue.size() < config.maxPipelinedRequests() && ctx.channel().isWritable());
        setAutoRead(read);
        // Rule 9.9 times the client, not us: while we hold reading back, the rest of a started
        // request's headers waits in the socket however promptly it was sent. Its header timer
        // stops, and starts afresh (a whole headerTimeout) when reading resumes.
        if (!read) {
            timers.stopHeader();
        } else if (headersPending) {
            timers.startHeader();
        }
    }

    private void setAutoRead(final boolean on) {
        if (ctx.channel().config().isAutoRead() != on) {
            ctx.channel().config().setAutoRead(on);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------

    /** @return the origin-form of a request target ({@code /path?query}), also from an absolute-form one */
    private static String originForm(final String uri) {
        if (uri.startsWith("/")) {
            return uri;
        }
        final int scheme = uri.indexOf("://");
        if (scheme > 0) {
            final int slash = uri.indexOf('/', scheme + 3);
            return slash < 0 ? "/" : uri.substring(slash);
        }
        return uri;
    }

    private static Map<String, List<String>> headerMap(final HttpHeaders headers) {
        final Map<String, List<String>> map = new LinkedHashMap<>();
        for (final Map.Entry<String, String> h : headers) {
            map.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(h.getValue());
        }
        return map;
    }

    private static String shorten(final String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
