package dev.flin.http.internal.ws;

import dev.flin.http.internal.LogBudget;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.Topic;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One WebSocket connection as an agent (rule 9.5). It owns the connection's subscriptions; it
 * parses the client's text frames, subscribes and unsubscribes itself, and writes every JSON frame
 * the client gets: acks, errors, events of its topics (which arrive in its mailbox as themselves,
 * in publish order, rule 6.3) and broadcasts.
 *
 * <p>Slow client (rule 9.7): the agent writes only while Netty reports the channel writable (its
 * queue for the socket under half of {@code wsOutboundLimit}); otherwise frames wait in the
 * agent, up to the other half, the oldest discarded past it (counted, announced by a
 * {@code missed} frame). So the bytes held for one client stay within the limit plus a frame,
 * whatever it does; a client only behind catches up with the newest events; a client that takes
 * nothing for {@code wsPongTimeout} while frames wait is dropped (Close 1008, counted, logged
 * with its topics and queued bytes).
 *
 * <p>Threading: agent thread only (rule 1.1); the fields need no synchronisation (rule 1.2).
 * {@code Channel.writeAndFlush} and {@code isWritable} are thread-safe in Netty.
 */
final class ConnectionAgent implements Agent<Object> {

    private static final Logger log = LoggerFactory.getLogger(ConnectionAgent.class);

    /** The key of the timer that drops a client which takes nothing while frames wait for it. */
    private static final String SLOW_TIMER = "slow-consumer";

    private final Channel channel;
    private final String remoteAddress;
    private final Shared shared;

    /** Subscribed topics by the name the client used, in subscription order. */
    private final Map<String, Topic<?>> subscribed = new LinkedHashMap<>();
    private long framesOut;
    private boolean dropped;
    private AgentId self;
    private AgentContext<Object> context;

    /** Frames waiting for the socket to take more, oldest first (rule 9.7). */
    private final ArrayDeque<byte[]> backlog = new ArrayDeque<>();
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
    public void onStart(final AgentContext<Object> context) {
        this.self = context.self().id();
        this.context = context;
    }

    @Override
    public void onMessage(final Object message, final AgentContext<Object> context) {
        if (message instanceof ConnectionCommand.ClientText text) {
            onClientText(text.text(), context);
        } else if (message instanceof ConnectionCommand.ClientBinary binary) {
            sendError("binary frames are not supported (got " + binary.bytes() + " bytes): send JSON text frames"
                    + " such as {\"op\":\"subscribe\",\"topic\":\"...\"}");
        } else if (message instanceof ConnectionCommand.Broadcast broadcast) {
            send(broadcast.frame().getBytes(StandardCharsets.UTF_8), "a broadcast");
        } else if (message instanceof ConnectionCommand.Writable) {
            flush(lastBlocked);
        } else if (message instanceof ConnectionCommand.SlowCheck) {
            onSlowCheck();
        } else if (message instanceof ConnectionCommand.Describe describe) {
            describe.replyTo().reply(new ConnectionCommand.Self(new ArrayList<>(subscribed.keySet()), framesOut,
                    backlogBytes));
        } else {
            onEvent(message);
        }
    }

    // ---- client frames

    private void onClientText(final String text, final AgentContext<Object> context) {
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

    private void subscribe(final String name, final Topic<?> topic, final AgentContext<Object> context) {
        if (!subscribed.containsKey(name)) {
            try {
                context.subscribe(topic); // rule 6.2: every event published after this returns reaches us
            } catch (final AgentNotFoundException stopping) {
                return; // the connection closed and this agent is stopping: nobody to acknowledge to
            }
            subscribed.put(name, topic);
        }
        send(Frames.topicAck(shared.json(), "subscribed", name), "an ack");
    }

    private void unsubscribe(final String name, final Topic<?> topic, final AgentContext<Object> context) {
        if (subscribed.remove(name) == null) {
            send(Frames.topicAck(shared.json(), "unsubscribed", name, "was not subscribed to '" + name + "'"),
                    "an ack");
            return;
        }
        context.unsubscribe(topic); // rule 6.4; events already in the mailbox are dropped in onEvent
        send(Frames.topicAck(shared.json(), "unsubscribed", name), "an ack");
    }

    // ---- events

    private void onEvent(final Object event) {
        final String name = topicOf(event);
        if (name == null) {
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
        send(frame, "an event on topic '" + name + "'");
    }

    /** @return the name of the subscribed topic whose event type {@code event} has, or null */
    private String topicOf(final Object event) {
        // A handful of topics at most; the endpoint guarantees their event types are unrelated.
        final Iterator<Map.Entry<String, Topic<?>>> it = subscribed.entrySet().iterator();
        while (it.hasNext()) {
            final Map.Entry<String, Topic<?>> e = it.next();
            if (e.getValue().eventType().isInstance(event)) {
                return e.getKey();
            }
        }
        return null;
    }

    // ---- writing (rule 9.7)

    private void sendError(final String message) {
        send(Frames.error(shared.json(), message), "an error frame");
    }

    /**
     * Queues one text frame behind the frames already waiting and writes as many as the socket
     * takes.
     *
     * @param what what the frame carries, for the log
     */
    private void send(final byte[] json, final String what) {
        if (dropped || !channel.isActive()) {
            return; // closing: the close listener has stopped this agent, the mailbox drains quietly
        }
        backlog.addLast(json);
        backlogBytes += json.length;
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
                write(Frames.missed(shared.json(), missed));
                missed = 0;
                continue;
            }
            final byte[] frame = backlog.pollFirst();
            backlogBytes -= frame.length;
            write(frame);
            progress = true;
        }
        if (slowTimer) {
            context.timers().cancel(SLOW_TIMER);
            slowTimer = false;
        }
    }

    private void write(final byte[] json) {
        framesOut++; // counted first: whoever sees the frame arrive sees it counted
        shared.counters().framesOut.increment();
        channel.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(json)));
        shared.counters().notePending(queuedBytes() + backlogBytes);
    }

    private void onUnwritable(final String what, final boolean progress) {
        final long limit = backlogLimit();
        while (backlogBytes > limit && backlog.size() > 1) { // the newest frame always stays
            backlogBytes -= backlog.pollFirst().length;
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
        dropSlow();
    }

    private void dropSlow() {
        dropped = true;
        shared.counters().droppedSlow.increment();
        final long logDropped = shared.clientLogs().tryLog();
        if (logDropped >= 0) {
            log.warn("WebSocket client {} ({}) dropped as a slow consumer: it took nothing for {} while {} bytes waited"
                            + " for it ({} in the socket's queue), over the outbound limit of {} bytes; blocked on {};"
                            + " subscribed to {}{}", remoteAddress, self, shared.pongTimeout(), queuedBytes() + backlogBytes,
                    queuedBytes(), shared.outboundLimit(), lastBlocked, List.copyOf(subscribed.keySet()),
                    LogBudget.note(logDropped));
        }
        backlog.clear();
        backlogBytes = 0;
        channel.pipeline().fireUserEventTriggered(new CloseRequest(CloseRequest.POLICY_VIOLATION,
                "slow consumer: outbound buffer over " + shared.outboundLimit() + " bytes", true));
    }

    /** @return bytes the agent may hold for the client: the half of the limit Netty's queue does not use */
    private long backlogLimit() {
        return shared.outboundLimit() - WebSocketSupport.highWaterMark(shared.outboundLimit());
    }

    /** @return bytes written to the channel and not yet taken by the socket; a volatile read */
    private long queuedBytes() {
        final ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
}
