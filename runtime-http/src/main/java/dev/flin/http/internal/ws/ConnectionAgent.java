package dev.flin.http.internal.ws;

import dev.flin.http.WebSocketHandler;
import dev.flin.http.WebSocketMessage;
import dev.flin.http.WebSocketSession;
import dev.flin.http.internal.LogBudget;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.Topic;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One WebSocket connection as an agent (rule 9.5). On a subscription endpoint it owns the
 * connection's subscriptions; it parses the client's text frames, subscribes and unsubscribes
 * itself, and writes every JSON frame the client gets: acks, errors, events of its topics (which
 * arrive in its mailbox wrapped by its subscriptions' adapter with the topic's name, in publish order,
 * rules 6.3, 6.9) and broadcasts. On a handler
 * endpoint it makes the connection's {@link WebSocketHandler} in {@code onStart}, hands it every
 * client message with a {@link WebSocketSession}, and writes the frames the handler sends; a
 * handler that throws fails this agent (the support then closes with 1011).
 *
 * <p>Slow client (rule 9.7): the agent writes only while Netty reports the channel writable (its
 * queue for the socket under half of {@code wsOutboundLimit}); otherwise frames wait in the
 * agent, up to the other half, the oldest discarded past it (counted, announced by a
 * {@code missed} frame). So the bytes held for one client stay within the limit plus a frame,
 * whatever it does; a client only behind catches up with the newest events; a client that takes
 * nothing for {@code wsPongTimeout} while frames wait is dropped (Close 1008, counted, logged
 * with its topics and queued bytes). A handler endpoint's frames are never discarded (a gap cannot
 * be announced in a protocol that is not ours): a client behind by more than the agent's half is
 * dropped with 1008 instead.
 *
 * <p>Threading: agent thread only (rule 1.1); the fields need no synchronisation (rule 1.2).
 * {@code Channel.writeAndFlush} and {@code isWritable} are thread-safe in Netty.
 */
@SuppressWarnings("FutureReturnValueIgnored") // Netty write and close futures: failures reach the pipeline (exceptionCaught, close listeners)
final class ConnectionAgent implements Agent<ConnectionCommand> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionAgent.class);

    /** The key of the timer that drops a client which takes nothing while frames wait for it. */
    private static final String SLOW_TIMER = "slow-consumer";

    private final Channel channel;
    private final String remoteAddress;
    private final Shared shared;

    /** The handler endpoint's handler for this connection, made in onStart; null for the subscription protocol. */
    private WebSocketHandler handler;
    /** The handler's view of the connection; null for the subscription protocol. */
    private Session session;
    /** The thread running the handler's {@code onMessage} now, else null: where the session is valid. */
    private Thread handling;
    /** The handler asked to close: nothing more is sent, and no message reaches it. */
    private boolean closeRequested;
    /** The handler's close, waiting for the frames sent before it to be written. */
    private CloseRequest pendingClose;

    /** Subscribed topics by the name the client used, in subscription order. */
    private final Map<String, Topic<?>> subscribed = new LinkedHashMap<>();
    private long framesOut;
    private boolean dropped;
    private AgentId self;
    private AgentContext<ConnectionCommand> context;

    /** Frames waiting for the socket to take more, oldest first (rule 9.7). */
    private final ArrayDeque<Outgoing> backlog = new ArrayDeque<>();
    private long backlogBytes;
    /** Frames discarded since the client last got one; announced by a {@code missed} frame. */
    private long missed;
    /** Whether the {@link #SLOW_TIMER} is running. */
    private boolean slowTimer;
    /** What the agent was writing when the socket last stopped taking frames, for the log. */
    private String lastBlocked = "nothing";

    ConnectionAgent(final Channel channel, final String remoteAddress, final Shared shared) {
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.shared = shared;
    }

    @Override
    public void onStart(final AgentContext<ConnectionCommand> context) throws Exception {
        this.self = context.self().id();
        this.context = context;
        if (shared.endpoint().hasHandler()) {
            handler = Objects.requireNonNull(shared.endpoint().handlerFactory().newHandler(),
                    "the WebSocket endpoint's handler factory returned null");
            session = new Session();
        }
    }

    @Override
    public void onMessage(final ConnectionCommand message, final AgentContext<ConnectionCommand> context) throws Exception {
        if (message instanceof ConnectionCommand.FromClient client) {
            if (handler != null) {
                onHandlerMessage(client.message());
            } else if (client.message() instanceof WebSocketMessage.Text text) {
                onClientText(text.text(), context);
            } else {
                sendError("binary frames are not supported (got " + ((WebSocketMessage.Binary) client.message()).length()
                        + " bytes): send JSON text frames such as {\"op\":\"subscribe\",\"topic\":\"...\"}");
            }
        } else if (message instanceof ConnectionCommand.Broadcast broadcast) {
            send(Outgoing.text(broadcast.frame().getBytes(StandardCharsets.UTF_8)), "a broadcast");
        } else if (message instanceof ConnectionCommand.Drain) {
            channel.pipeline().fireUserEventTriggered(message); // every client message before it was taken
        } else if (message instanceof ConnectionCommand.Writable) {
            flush(lastBlocked);
        } else if (message instanceof ConnectionCommand.SlowCheck) {
            onSlowCheck();
        } else if (message instanceof ConnectionCommand.Describe describe) {
            describe.replyTo().reply(new ConnectionCommand.Self(new ArrayList<>(subscribed.keySet()), framesOut,
                    backlogBytes));
        } else if (message instanceof ConnectionCommand.Event event) {
            onEvent(event);
        }
    }

    // ---- handler endpoints

    private void onHandlerMessage(final WebSocketMessage message) throws Exception {
        if (closeRequested || dropped || !channel.isActive()) {
            return; // closing: what the client sent meanwhile is not handled
        }
        handling = Thread.currentThread();
        try {
            handler.onMessage(message, session);
        } finally {
            handling = null;
        }
    }

    /**
     * The handler's view of this connection: valid on the agent's thread while the handler runs.
     * An inner class: its state is the agent's, touched on the agent's thread only.
     */
    private final class Session implements WebSocketSession {

        @Override
        public void send(final WebSocketMessage message) {
            Objects.requireNonNull(message, "message");
            requireHandling();
            if (closeRequested) {
                return;
            }
            if (message instanceof WebSocketMessage.Text text) {
                ConnectionAgent.this.send(Outgoing.text(utf8(text.text())), "a text message");
            } else {
                ConnectionAgent.this.send(Outgoing.binary(((WebSocketMessage.Binary) message).data()), "a binary message");
            }
        }

        @Override
        public void close(final int code, final String reason) {
            Objects.requireNonNull(reason, "reason");
            requireHandling();
            if (!isSendableCloseCode(code)) {
                throw new IllegalArgumentException("close code " + code + " may not be sent (RFC 6455 7.4): use"
                        + " 1000-1003, 1007-1014 or 3000-4999");
            }
            final int reasonBytes = reason.getBytes(StandardCharsets.UTF_8).length;
            if (reasonBytes > 123) {
                throw new IllegalArgumentException("a close reason has at most 123 bytes in UTF-8, this one " + reasonBytes);
            }
            if (closeRequested) {
                return;
            }
            closeRequested = true;
            pendingClose = new CloseRequest(code, reason, false);
            if (backlog.isEmpty()) {
                fireClose();
            } // else flush() fires it once the frames before it are written
        }

        @Override
        public String remoteAddress() {
            requireHandling();
            return remoteAddress;
        }

        private void requireHandling() {
            if (handling != Thread.currentThread()) {
                throw new IllegalStateException("a WebSocketSession is valid only on its connection agent's thread,"
                        + " during WebSocketHandler.onMessage");
            }
        }
    }

    private void fireClose() {
        final CloseRequest close = pendingClose;
        pendingClose = null;
        channel.pipeline().fireUserEventTriggered(close); // after the frames written before it: one task queue
    }

    /** @return whether an endpoint may send {@code code} in a Close frame (RFC 6455 7.4) */
    static boolean isSendableCloseCode(final int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static byte[] utf8(final String text) {
        try {
            final ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().encode(CharBuffer.wrap(text)); // reports, never replaces
            final byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (final CharacterCodingException e) {
            throw new IllegalArgumentException("a text message must be valid Unicode (an unpaired surrogate cannot be"
                    + " sent as UTF-8): " + e.getMessage(), e);
        }
    }

    // ---- client frames (subscription protocol)

    private void onClientText(final String text, final AgentContext<ConnectionCommand> context) {
        final JsonNode frame;
        try {
            frame = shared.json().mapper().readTree(text);
        } catch (final JacksonException e) {
            sendError("malformed JSON: " + e.getOriginalMessage());
            return;
        }
        if (frame == null || frame.isMissingNode()) {
            sendError("empty frame: expected a JSON object such as {\"op\":\"subscribe\",\"topic\":\"...\"}");
            return;
        }
        if (!frame.isObject()) {
            sendError("expected a JSON object such as {\"op\":\"subscribe\",\"topic\":\"...\"}, got "
                    + frame.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
            return;
        }
        for (final String property : frame.propertyNames()) {
            if (!"op".equals(property) && !"topic".equals(property)) {
                sendError("unknown field '" + property + "': a client frame has only \"op\" and \"topic\"");
                return;
            }
        }
        final JsonNode op = frame.get("op");
        if (op == null || !op.isString()) {
            sendError("missing \"op\": expected \"subscribe\" or \"unsubscribe\"");
            return;
        }
        final String opName = op.stringValue();
        if (!"subscribe".equals(opName) && !"unsubscribe".equals(opName)) {
            sendError("unknown op '" + opName + "': expected \"subscribe\" or \"unsubscribe\"");
            return;
        }
        final JsonNode topicNode = frame.get("topic");
        if (topicNode == null || !topicNode.isString()) {
            sendError("missing \"topic\" for " + opName + ": expected one of " + shared.endpoint().topics().keySet());
            return;
        }
        final String name = topicNode.stringValue();
        final Topic<?> topic = shared.endpoint().topics().get(name);
        if (topic == null) {
            sendError("unknown topic '" + name + "': this endpoint offers " + shared.endpoint().topics().keySet());
            return;
        }
        if ("subscribe".equals(opName)) {
            subscribe(name, topic, context);
        } else {
            unsubscribe(name, topic, context);
        }
    }

    private void subscribe(final String name, final Topic<?> topic, final AgentContext<ConnectionCommand> context) {
        if (!subscribed.containsKey(name)) {
            try {
                // rule 6.2: every event published after this returns reaches us, labelled with its topic (rule 6.9)
                context.subscribe(topic, event -> new ConnectionCommand.Event(name, event));
            } catch (final AgentNotFoundException stopping) {
                return; // the connection closed and this agent is stopping: nobody to acknowledge to
            }
            subscribed.put(name, topic);
        }
        send(Outgoing.text(Frames.topicAck(shared.json(), "subscribed", name)), "an ack");
    }

    private void unsubscribe(final String name, final Topic<?> topic, final AgentContext<ConnectionCommand> context) {
        if (subscribed.remove(name) == null) {
            send(Outgoing.text(Frames.topicAck(shared.json(), "unsubscribed", name, "was not subscribed to '" + name
                    + "'")), "an ack");
            return;
        }
        context.unsubscribe(topic); // rule 6.4; events already in the mailbox are dropped in onEvent
        send(Outgoing.text(Frames.topicAck(shared.json(), "unsubscribed", name)), "an ack");
    }

    // ---- events

    private void onEvent(final ConnectionCommand.Event delivered) {
        final String name = delivered.topic();
        final Object event = delivered.event();
        if (!subscribed.containsKey(name)) {
            return; // published before our unsubscribe returned (rule 6.4): the client no longer wants it
        }
        final byte[] frame;
        try {
            frame = Frames.event(shared.json(), name, event);
        } catch (final JacksonException e) {
            final long dropped = shared.clientLogs().tryLog();
            if (dropped >= 0) {
                log.warn("WebSocket client {} ({}): an event of type {} on topic '{}' cannot be written as JSON: {}{}",
                        remoteAddress, self, event.getClass().getName(), name, e.getOriginalMessage(), LogBudget.note(dropped));
            }
            sendError("an event of type " + event.getClass().getSimpleName() + " on topic '" + name
                    + "' could not be written as JSON");
            return;
        }
        send(Outgoing.text(frame), "an event on topic '" + name + "'");
    }

    // ---- writing (rule 9.7)

    private void sendError(final String message) {
        send(Outgoing.text(Frames.error(shared.json(), message)), "an error frame");
    }

    /**
     * Queues one frame behind the frames already waiting and writes as many as the socket takes.
     *
     * @param what what the frame carries, for the log
     */
    private void send(final Outgoing frame, final String what) {
        if (dropped || !channel.isActive()) {
            return; // closing: the close listener has stopped this agent, the mailbox drains quietly
        }
        backlog.addLast(frame);
        backlogBytes += frame.length();
        flush(what);
    }

    /**
     * Writes waiting frames while the channel is writable, i.e. while Netty's queue for the socket
     * is under its high water mark (half of {@code wsOutboundLimit}). When it is not, the frames
     * wait here, up to the other half of the limit; past it the oldest are discarded (counted, and
     * announced to the client by a {@code missed} frame at the gap), so the newest events still
     * reach a client that is only behind. A client that takes nothing for {@code wsPongTimeout}
     * while frames wait is dropped (the {@link ConnectionCommand.SlowCheck} timer).
     */
    private void flush(final String what) {
        boolean progress = false;
        while (!backlog.isEmpty()) {
            if (!channel.isWritable()) {
                onUnwritable(what, progress);
                return;
            }
            if (missed > 0) { // tell the client where the gap is, before the first frame after it
                write(Outgoing.text(Frames.missed(shared.json(), missed)));
                missed = 0;
                continue;
            }
            final Outgoing frame = backlog.pollFirst();
            backlogBytes -= frame.length();
            write(frame);
            progress = true;
        }
        if (slowTimer) {
            context.timers().cancel(SLOW_TIMER);
            slowTimer = false;
        }
        if (pendingClose != null && !dropped) {
            fireClose();
        }
    }

    private void write(final Outgoing frame) {
        framesOut++; // counted first: whoever sees the frame arrive sees it counted
        shared.counters().framesOut.increment();
        channel.writeAndFlush(frame.toFrame());
        shared.counters().notePending(queuedBytes() + backlogBytes);
    }

    private void onUnwritable(final String what, final boolean progress) {
        final long limit = backlogLimit();
        if (handler != null && backlogBytes > limit && backlog.size() > 1) {
            // a handler's frames are never discarded (the gap could not be announced in its protocol)
            dropSlow("fell behind by more than " + limit + " bytes of frames waiting in its agent");
            return;
        }
        while (backlogBytes > limit && backlog.size() > 1) { // the newest frame always stays
            backlogBytes -= backlog.pollFirst().length();
            missed++;
            shared.counters().framesMissed.increment();
        }
        shared.counters().notePending(queuedBytes() + backlogBytes);
        lastBlocked = what;
        if (progress || !slowTimer) { // the client took something: it gets a fresh grace period
            context.timers().startSingle(SLOW_TIMER, ConnectionCommand.SlowCheck.INSTANCE, shared.pongTimeout());
            slowTimer = true;
        }
    }

    private void onSlowCheck() {
        slowTimer = false; // a one-shot timer is spent once delivered
        if (dropped || !channel.isActive()) {
            return;
        }
        if (channel.isWritable()) {
            flush(lastBlocked);
            return;
        }
        dropSlow("it took nothing for " + shared.pongTimeout());
    }

    /** @param why what the client did, for the log */
    private void dropSlow(final String why) {
        dropped = true;
        shared.counters().droppedSlow.increment();
        final long logDropped = shared.clientLogs().tryLog();
        if (logDropped >= 0) {
            log.warn("WebSocket client {} ({}) dropped as a slow consumer: {} while {} bytes waited"
                            + " for it ({} in the socket's queue), over the outbound limit of {} bytes; blocked on {};"
                            + " {}{}", remoteAddress, self, why, queuedBytes() + backlogBytes,
                    queuedBytes(), shared.outboundLimit(), lastBlocked,
                    handler != null ? "a handler endpoint" : "subscribed to " + List.copyOf(subscribed.keySet()),
                    LogBudget.note(logDropped));
        }
        backlog.clear();
        backlogBytes = 0;
        channel.pipeline().fireUserEventTriggered(new CloseRequest(CloseRequest.POLICY_VIOLATION,
                "slow consumer: outbound buffer over " + shared.outboundLimit() + " bytes", true));
    }

    /** @return bytes the agent may hold for the client: the half of the limit Netty's queue does not use */
    private long backlogLimit() {
        return (long) shared.outboundLimit() - WebSocketSupport.highWaterMark(shared.outboundLimit());
    }

    /** @return bytes written to the channel and not yet taken by the socket; a volatile read */
    private long queuedBytes() {
        final ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * One frame waiting for the socket: its payload and whether it is binary. Not a message: it
     * stays in this agent's backlog.
     */
    private static final class Outgoing {
        private final byte[] payload;
        private final boolean binary;

        private Outgoing(final byte[] payload, final boolean binary) {
            this.payload = payload;
            this.binary = binary;
        }

        static Outgoing text(final byte[] utf8) {
            return new Outgoing(utf8, false);
        }

        static Outgoing binary(final byte[] bytes) {
            return new Outgoing(bytes, true);
        }

        int length() {
            return payload.length;
        }

        WebSocketFrame toFrame() {
            return binary ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(payload))
                    : new TextWebSocketFrame(Unpooled.wrappedBuffer(payload));
        }
    }
}
