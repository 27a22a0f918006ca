package dev.flin.http.internal;

import dev.flin.http.HttpRequest;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.RouteMatch;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.AskTimeoutException;
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
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection: aggregates each request within the limits, routes it, hands it to a
 * handler agent (rule 9.2), and writes the responses strictly in request order (rule 9.1).
 *
 * <h2>In-order responses</h2>
 * Every request gets an {@link Exchange} in {@link #exchanges}, in arrival order, as soon as its
 * head is decoded. Answers come back in any order (handler agents run in parallel); each only fills
 * in its exchange, and {@link #writeReady} writes from the front of the queue while the front is
 * answered. Every response the server sends, its own errors included, goes through this queue; a
 * {@code 100 Continue} is written when its exchange reaches the front (an interim response belongs
 * to the request currently being answered).
 *
 * <h2>Back-pressure</h2>
 * With {@code maxPipelinedRequests} exchanges queued the channel stops reading; it reads again
 * when one is written. Requests already decoded from bytes read before that wait routed but not
 * dispatched ({@link Exchange#parked}), so at most {@code maxPipelinedRequests} requests of one
 * connection are at handler agents at once.
 *
 * <h2>Errors and closing (rule 9.3)</h2>
 * A framing problem (decoder failure, 413, 417, slow headers 408) ends the input: the error is
 * queued like any response, earlier responses are written first, then the connection half-closes,
 * drains what the client still sends (so the client reads the response rather than a reset) and
 * closes. {@code Connection: close} and HTTP/1.0 without keep-alive end the input after their
 * request.
 *
 * <p>Threading: event-loop confined. Handler answers arrive on agent or timer threads and are
 * re-submitted to the channel's event loop before they touch anything here; the event loop never
 * waits for an agent.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter implements TimedRequestDecoder.Listener {

    /** The user event that starts a graceful drain of the connection (rule 9.8). */
    enum Drain {
        /** The only instance. */
        INSTANCE
    }

    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    /** How long a closing connection keeps draining input after its last response. */
    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ServerState server;
    private final HttpServerConfig config;
    private final ServerCounters counters;
    private final ErrorResponses errors;
    private final ArrayDeque<Exchange> exchanges = new ArrayDeque<>();

    private ChannelHandlerContext ctx;
    /** The exchange whose body is arriving; always the last in {@link #exchanges}. */
    private Exchange receiving;
    private BodyBuffer body;
    /** Exchanges at handler agents now. */
    private int dispatched;
    /** Exchanges answered but not yet written: they hold a response in memory, so they count against the bound. */
    private int unwritten;
    /** The first byte of a request arrived and its head is not decoded yet. */
    private boolean headersPending;
    /** No further request is read or processed. */
    private boolean inputClosed;
    /** The last response is written; the connection is closing. */
    private boolean outputClosed;
    /** Upgraded to a WebSocket: everything passes through. */
    private boolean handedOver;
    private boolean draining;
    private boolean inactive;
    private boolean unflushed;
    private ScheduledFuture<?> headerTimer;
    /** {@link System#nanoTime()} when the socket last stopped taking our writes; 0 while it takes them. */
    private long unwritableSince;
    private ScheduledFuture<?> idleTimer;
    private long lastTraffic;

    HttpConnection(final ServerState server) {
        this.server = server;
        this.config = server.config();
        this.counters = server.counters();
        this.errors = server.errors();
    }

    // ---------------------------------------------------------------------------------------
    // Channel events
    // ---------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(final ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void handlerRemoved(final ChannelHandlerContext context) {
        cancelTimers();
    }

    @Override
    public void channelActive(final ChannelHandlerContext context) {
        lastTraffic = System.nanoTime();
        scheduleIdleCheck(config.idleTimeout().toNanos());
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
        inactive = true;
        cancelTimers();
        abandonAll();
        receiving = null;
        body = null;
        context.fireChannelInactive();
    }

    @Override
    public void channelRead(final ChannelHandlerContext context, final Object msg) {
        if (handedOver) {
            context.fireChannelRead(msg);
            return;
        }
        try {
            if (inputClosed) {
                return;
            }
            if (msg instanceof DecoderResultProvider decoded && decoded.decoderResult().isFailure()) {
                malformed(decoded.decoderResult().cause());
            } else {
                if (msg instanceof io.netty.handler.codec.http.HttpRequest head) {
                    onHead(head);
                }
                if (msg instanceof HttpContent content && !inputClosed && !handedOver) {
                    onContent(content);
                }
            }
            writeReady();
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
            if (!handedOver) {
                draining = true;
                if (exchanges.isEmpty() && receiving == null && !headersPending && !outputClosed) {
                    context.close();
                }
            }
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext context, final Throwable cause) {
        if (handedOver) {
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

    // ---------------------------------------------------------------------------------------
    // Decoder progress (TimedRequestDecoder.Listener), on this channel's event loop
    // ---------------------------------------------------------------------------------------

    @Override
    public void bytesReceived() {
        lastTraffic = System.nanoTime();
    }

    @Override
    public void requestStarted() {
        if (handedOver || inputClosed || inactive) {
            return;
        }
        headersPending = true;
        if (headerTimer == null && ctx.channel().config().isAutoRead()) {
            startHeaderTimer();
        }
    }

    // ---------------------------------------------------------------------------------------
    // Receiving
    // ---------------------------------------------------------------------------------------

    private void onHead(final io.netty.handler.codec.http.HttpRequest head) {
        cancelHeaderTimer();
        headersPending = false;
        final Exchange ex = Exchange.of(head, server.ids().forRequest(head.headers().get(CorrelationIds.HEADER)));
        exchanges.addLast(ex);
        if (isUnsupportedExpectation(head)) {
            refuse(ex, 417, "unsupported expectation '" + head.headers().get(HttpHeaderNames.EXPECT) + "'");
            return;
        }
        final long length;
        try {
            length = HttpUtil.getContentLength(head, -1L);
        } catch (final NumberFormatException e) {
            refuse(ex, 400, "malformed content-length '" + head.headers().get(HttpHeaderNames.CONTENT_LENGTH) + "'");
            return;
        }
        if (length > config.maxContentLength()) {
            refuse(ex, 413, "request body of " + length + " bytes is over the limit of " + config.maxContentLength() + " bytes");
            return;
        }
        ex.continuePending = HttpUtil.is100ContinueExpected(head);
        receiving = ex;
        body = new BodyBuffer(length);
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
        body.append(data);
        if (content instanceof LastHttpContent) {
            receiving = null;
            ex.continuePending = false;
            final byte[] bytes = body.toArray();
            body = null;
            received(ex, bytes);
            updateReading();
        }
    }

    /** A request is complete and within the limits: accept it, route it, dispatch it. */
    private void received(final Exchange ex, final byte[] bytes) {
        if (ex.closeAfter) {
            // Connection: close, or HTTP/1.0 without keep-alive: nothing after it is processed
            inputClosed = true;
            setAutoRead(false);
        }
        if (isDraining()) {
            accept(ex);
            ex.closeAfter = true;
            inputClosed = true;
            answer(ex, errors.unavailable("server is shutting down", ex.correlationId));
            return;
        }
        if (isWebSocketUpgrade(ex)) {
            if (exchanges.size() == 1) {
                handOver(ex, bytes);
                return;
            }
            accept(ex);
            answer(ex, errors.error(400, "a WebSocket upgrade must not be pipelined behind other requests"));
            return;
        }
        final long inFlight = accept(ex);
        final String path;
        final Map<String, List<String>> query;
        try {
            final QueryStringDecoder target = new QueryStringDecoder(originForm(ex.uri));
            path = target.path();
            query = target.parameters();
        } catch (final IllegalArgumentException e) {
            answer(ex, errors.error(400, "malformed request target"));
            return;
        }
        final RouteMatch match = server.router().match(ex.method, path);
        if (match instanceof RouteMatch.Found found) {
            if (inFlight > config.maxInFlightRequests()) {
                counters.rejectedOverload.increment();
                answer(ex, errors.overloaded(ex.correlationId));
                return;
            }
            ex.request = new HttpRequest(ex.method, path, query, headerMap(ex.headers), found.pathParams(), bytes,
                    ex.correlationId);
            ex.handler = found.handler();
            if (busy() < config.maxPipelinedRequests()) {
                dispatch(ex);
            } else {
                ex.parked = true;
            }
        } else if (match instanceof RouteMatch.MethodNotAllowed notAllowed) {
            answer(ex, errors.methodNotAllowed(ex.method, notAllowed.allowed()));
        } else {
            answer(ex, errors.notFound(path));
        }
    }

    private long accept(final Exchange ex) {
        ex.accepted = true;
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
        exchanges.remove(ex);
        handedOver = true;
        cancelTimers();
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

    // ---------------------------------------------------------------------------------------
    // Handler agents (rule 9.2)
    // ---------------------------------------------------------------------------------------

    private void dispatch(final Exchange ex) {
        ex.parked = false;
        ex.dispatched = true;
        dispatched++;
        final EventExecutor loop = ctx.executor();
        final boolean taken = server.dispatcher().dispatch(ex.request, ex.handler,
                (result, failure) -> onLoop(loop, () -> handled(ex, result, failure)));
        if (!taken) {
            ex.dispatched = false;
            dispatched--;
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
        if (ex.abandoned) {
            return;
        }
        ex.dispatched = false;
        dispatched--;
        answer(ex, failure == null ? counted(result) : forAskFailure(ex, failure));
        writeReady();
        flushIfNeeded();
    }

    /** Handlers running plus answers not yet written: what maxPipelinedRequests bounds per connection. */
    private int busy() {
        return dispatched + unwritten;
    }

    /** Dispatches parked requests, in order, while the bound allows. @return whether any was dispatched */
    private boolean dispatchParked() {
        boolean any = false;
        for (final Exchange next : exchanges) {
            if (busy() >= config.maxPipelinedRequests()) {
                break;
            }
            if (next.parked) {
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
            if (response.status() < 200) {
                // a 1xx is interim: the client would take the next response as this request's answer (rule 9.1)
                throw new IllegalArgumentException("a handler answered " + response.status()
                        + ", an interim status, as its final response");
            }
            out = toNetty(ex, response);
            ex.status = response.status();
        } catch (final RuntimeException e) {
            // e.g. a header value a handler built with a line break: Netty refuses it
            LOG.error("the response to {} {} cannot be written [correlation id {}]", ex.method, ex.uri, ex.correlationId, e);
            counters.handlerFailures.increment();
            out = toNetty(ex, errors.internalError(ex.correlationId));
            ex.status = 500;
        }
        if (ex.response == null) {
            unwritten++;
        } else {
            ex.response.release(); // answered twice cannot happen; keep the count and the buffers right if it does
        }
        ex.response = out;
    }

    /** Refuses a request before acceptance: error, then close (rule 9.3). */
    private void refuse(final Exchange ex, final int status, final String message) {
        counters.protocolErrors.increment();
        ex.protocolError = true;
        ex.continuePending = false;
        ex.closeAfter = true;
        ex.linger = true;
        inputClosed = true;
        setAutoRead(false);
        cancelHeaderTimer();
        headersPending = false;
        if (receiving == ex) {
            receiving = null;
            body = null;
        }
        answer(ex, errors.error(status, message));
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
        exchanges.addLast(ex);
        return ex;
    }

    /** Writes (without flushing) every answered response at the front of the queue. */
    private void writeReady() {
        if (outputClosed || inactive || handedOver) {
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
        while (!exchanges.isEmpty()) {
            final Exchange ex = exchanges.peekFirst();
            if (ex.response != null && !ctx.channel().isWritable()) {
                flushIfNeeded(); // writability comes back only once what is queued has been flushed
                break;
            }
            if (ex.response == null) {
                if (ex.continuePending && ex == receiving) {
                    ex.continuePending = false;
                    ctx.write(new DefaultFullHttpResponse(ex.version, HttpResponseStatus.CONTINUE, Unpooled.EMPTY_BUFFER));
                    unflushed = true;
                }
                break;
            }
            exchanges.pollFirst();
            unwritten--;
            final boolean last = ex.closeAfter || (draining && exchanges.isEmpty() && receiving == null && !headersPending);
            final FullHttpResponse out = ex.response;
            ex.response = null;
            if (last) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else if (ex.version == HttpVersion.HTTP_1_0) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            counters.responseWritten(ex.status);
            if (ex.accepted) {
                counters.requestFinished();
            }
            lastTraffic = System.nanoTime();
            final ChannelFuture written = ctx.write(out);
            unflushed = true;
            if (last) {
                closeAfter(written, ex.linger);
                return false;
            }
        }
        return true;
    }

    private void flushIfNeeded() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void closeAfter(final ChannelFuture lastWrite, final boolean linger) {
        outputClosed = true;
        inputClosed = true;
        cancelHeaderTimer();
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
                ctx.executor().schedule(() -> {
                    ctx.close();
                }, LINGER_NANOS, TimeUnit.NANOSECONDS);
            });
        });
    }

    /** The connection closed (or is closing) with exchanges not written: they are lost. */
    private void abandonAll() {
        for (final Exchange ex : exchanges) {
            ex.abandoned = true;
            if (ex.accepted) {
                counters.requestFinished();
            }
            if (ex.accepted || ex.protocolError) {
                counters.responsesLost.increment();
            }
            if (ex.response != null) {
                ex.response.release();
                ex.response = null;
            }
        }
        exchanges.clear();
        dispatched = 0;
        unwritten = 0;
    }

    private FullHttpResponse toNetty(final Exchange ex, final HttpResponse response) {
        final int status = response.status();
        final boolean noBodyAllowed = status < 200 || status == 204 || status == 304;
        final byte[] bytes = noBodyAllowed ? new byte[0] : response.body();
        final ByteBuf content = ex.head || bytes.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes);
        final FullHttpResponse out = new DefaultFullHttpResponse(ex.version, HttpResponseStatus.valueOf(status), content);
        final HttpHeaders headers = out.headers();
        for (final Map.Entry<String, String> h : response.headers().entrySet()) {
            final String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!isServerManaged(name)) {
                headers.add(name, h.getValue());
            }
        }
        if (!noBodyAllowed) {
            // for HEAD: the length the GET would have had
            headers.setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        }
        headers.set(CorrelationIds.HEADER, ex.correlationId);
        if (status == 503 && !headers.contains(HttpHeaderNames.RETRY_AFTER)) {
            headers.setInt(HttpHeaderNames.RETRY_AFTER, config.retryAfterSeconds());
        }
        return out;
    }

    private static boolean isServerManaged(final String lowerCaseName) {
        return lowerCaseName.equals("content-length") || lowerCaseName.equals("transfer-encoding")
                || lowerCaseName.equals("connection") || lowerCaseName.equals(CorrelationIds.HEADER);
    }

    // ---------------------------------------------------------------------------------------
    // Timeouts (rule 9.9)
    // ---------------------------------------------------------------------------------------

    private void headerTimeout() {
        headerTimer = null;
        if (inactive || handedOver || inputClosed || !headersPending) {
            return;
        }
        refuse(newProtocolExchange(), 408, "request headers not complete within "
                + ConfigParser.formatDuration(config.headerTimeout()));
        writeReady();
        flushIfNeeded();
    }

    private void scheduleIdleCheck(final long delayNanos) {
        idleTimer = ctx.executor().schedule(this::idleCheck, delayNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Closes a connection with nothing in flight and no traffic for {@code idleTimeout}; a request
     * body that stalls that long is answered 408. A connection waiting for its handlers is not
     * idle, nor one whose headers are arriving (the header timeout governs those). A connection
     * whose socket has stayed full (unwritable: Netty's buffer over its high-water mark, not
     * drained below the low one) for {@code idleTimeout} is closed too: its client does not read
     * its answers, or reads them too slowly to matter.
     */
    private void idleCheck() {
        idleTimer = null;
        if (inactive || handedOver || outputClosed) {
            return;
        }
        final long timeout = config.idleTimeout().toNanos();
        final long now = System.nanoTime();
        if (unwritableSince != 0 && !ctx.channel().isWritable()) {
            // Answers wait and the client does not drain them: it holds the connection (and up to
            // maxPipelinedRequests answers) without reading. A slow reader is one too (rule 9.9).
            final long stalled = now - unwritableSince;
            if (stalled < timeout) {
                scheduleIdleCheck(timeout - stalled);
                return;
            }
            counters.droppedNotReading.increment();
            final long dropped = server.connectionLogs().tryLog();
            if (dropped >= 0) {
                LOG.info("closing HTTP connection {}: the client left its answers unread (socket full) for {} ({} requests open){}",
                        ctx.channel(), ConfigParser.formatDuration(config.idleTimeout()), exchanges.size(), LogBudget.note(dropped));
            }
            ctx.close();
            return;
        }
        final long quiet = now - lastTraffic;
        final boolean waitingForServer = exchanges.size() > (receiving != null ? 1 : 0);
        if (waitingForServer || headersPending) {
            scheduleIdleCheck(timeout);
            return;
        }
        if (quiet < timeout) {
            scheduleIdleCheck(timeout - quiet);
            return;
        }
        if (receiving != null) {
            refuse(receiving, 408, "request body stalled for " + ConfigParser.formatDuration(config.idleTimeout()));
            writeReady();
            flushIfNeeded();
            return;
        }
        LOG.debug("closing idle HTTP connection {}", ctx.channel());
        ctx.close();
    }

    /** Gives the headers of the request that has started {@code headerTimeout} from now (rule 9.9). */
    private void startHeaderTimer() {
        headerTimer = ctx.executor().schedule(this::headerTimeout, config.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelHeaderTimer() {
        if (headerTimer != null) {
            headerTimer.cancel(false);
            headerTimer = null;
        }
    }

    private void cancelTimers() {
        cancelHeaderTimer();
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    /**
     * Reading is on while a request body is being received (bounded by maxContentLength: a body is
     * never left half-read, whatever maxPipelinedRequests is); otherwise only while fewer than
     * maxPipelinedRequests requests are open on the connection and the socket takes our writes, so
     * a client that pipelines without reading its responses stops being read instead of growing
     * the outbound queue (rules 9.1, 9.7's intent for HTTP).
     */
    private void updateReading() {
        if (inputClosed || handedOver || outputClosed) {
            return;
        }
        final boolean read = receiving != null
                || (exchanges.size() < config.maxPipelinedRequests() && ctx.channel().isWritable());
        setAutoRead(read);
        // Rule 9.9 times the client, not us: while we hold reading back, the rest of a started
        // request's headers waits in the socket however promptly it was sent. Its header timer
        // stops, and starts afresh (a whole headerTimeout) when reading resumes.
        if (!read) {
            cancelHeaderTimer();
        } else if (headersPending && headerTimer == null) {
            startHeaderTimer();
        }
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext context) {
        if (ctx.channel().isWritable()) {
            unwritableSince = 0;
        } else if (unwritableSince == 0) {
            unwritableSince = System.nanoTime() | 1; // never 0
        }
        if (!handedOver) {
            writeReady(); // answers held back while the socket was full
            flushIfNeeded();
            updateReading();
        }
        context.fireChannelWritabilityChanged();
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

    /** An {@code Expect} other than {@code 100-continue} on HTTP/1.1 (HTTP/1.0 ignores the header). */
    private static boolean isUnsupportedExpectation(final io.netty.handler.codec.http.HttpRequest head) {
        final String expect = head.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && head.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
    }

    private static String shorten(final String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }
}
