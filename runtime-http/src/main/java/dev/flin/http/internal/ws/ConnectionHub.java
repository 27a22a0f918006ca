package dev.flin.http.internal.ws;

import dev.flin.http.WebSocketConnectionInfo;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.RuntimeStoppedException;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import tools.jackson.core.JacksonException;

/**
 * The open connections of one endpoint, as handles (agent ref and channel), like the registry:
 * never agent state (rule 1.4). Listing asks each connection's agent to describe itself; a
 * broadcast is one non-blocking send to each agent.
 *
 * <p>Threading: thread-safe and non-blocking. A connection is added on its event loop during the
 * upgrade and removed on its event loop when it closed; a listing or broadcast sees the
 * connections present when it iterates (weakly consistent).
 */
final class ConnectionHub implements WebSocketHub {

    private final ConcurrentHashMap<AgentId, Connection> open = new ConcurrentHashMap<>();
    private final Shared shared;
    private final Duration askTimeout;

    ConnectionHub(final Shared shared, final Duration askTimeout) {
        this.shared = shared;
        this.askTimeout = askTimeout;
    }

    void add(final Connection connection) {
        open.put(connection.agent().id(), connection);
    }

    void remove(final Connection connection) {
        open.remove(connection.agent().id(), connection);
    }

    Collection<Connection> snapshot() {
        return List.copyOf(open.values());
    }

    /**
     * Each connection answers for itself: its agent replies with its subscriptions and frames
     * written, then its event loop adds the bytes queued for the socket. A connection that closes
     * meanwhile, or whose agent cannot answer within the server's ask timeout (its mailbox is
     * full), is left out of the list; {@link #connectionCount()} still counts it while it is open.
     *
     * @return the described connections, ordered by agent id
     */
    @Override
    public CompletionStage<List<WebSocketConnectionInfo>> connections() {
        final List<CompletableFuture<WebSocketConnectionInfo>> each = new ArrayList<>();
        for (final Connection c : open.values()) {
            each.add(describe(c));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
            final List<WebSocketConnectionInfo> list = new ArrayList<>(each.size());
            for (final CompletableFuture<WebSocketConnectionInfo> f : each) {
                final WebSocketConnectionInfo info = f.join(); // completed: allOf is done, and failures became null
                if (info != null) {
                    list.add(info);
                }
            }
            list.sort(Comparator.comparing(WebSocketConnectionInfo::agent));
            return List.copyOf(list);
        });
    }

    private CompletableFuture<WebSocketConnectionInfo> describe(final Connection c) {
        return c.agent().<ConnectionCommand.Self>ask(ConnectionCommand.Describe::new, askTimeout)
                .toCompletableFuture()
                .thenCompose(self -> queuedBytes(c.channel()).thenApply(queued -> new WebSocketConnectionInfo(
                        c.agent().id(), c.remoteAddress(), c.connectedAt(), self.topics(), self.framesOut(),
                        queued + self.waitingBytes())))
                .exceptionally(gone -> null);
    }

    /** Reads the channel's outbound buffer on its own event loop, where it is written. */
    private static CompletableFuture<Long> queuedBytes(final Channel channel) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                final ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
                return buffer == null ? 0L : buffer.totalPendingWriteBytes();
            }, channel.eventLoop());
        } catch (final RejectedExecutionException loopShutDown) {
            return CompletableFuture.completedFuture(0L);
        }
    }

    @Override
    public int connectionCount() {
        return open.size();
    }

    /**
     * Writes {@code event} as JSON once, then offers the frame to every connection's agent with
     * {@code tryTell}: an agent whose mailbox is full, or that is closing, does not get it.
     *
     * @throws IllegalArgumentException if {@code event} cannot be written as JSON
     */
    @Override
    public int broadcast(final Object event) {
        Objects.requireNonNull(event, "event");
        final String frame;
        try {
            frame = Frames.broadcast(shared.json(), event);
        } catch (final JacksonException e) {
            throw new IllegalArgumentException("a broadcast event of type " + event.getClass().getName()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        final ConnectionCommand.Broadcast command = new ConnectionCommand.Broadcast(frame);
        int accepted = 0;
        for (final Connection c : open.values()) {
            try {
                if (c.agent().tryTell(command)) {
                    accepted++;
                }
            } catch (final AgentNotFoundException | RuntimeStoppedException closing) {
                // closed meanwhile: nobody to send to
            }
        }
        return accepted;
    }
}
