package dev.flin.http.internal.ws;

import dev.flin.runtime.AgentRef;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's handle on one open connection: its agent's ref and its channel, never the agent's
 * state (rule 1.4). Not a message: it stays in the hub.
 *
 * <p>Threading: its fields are final and every part is thread-safe. {@link #closed()} completes on
 * the event loop once the channel closed, the agent was asked to stop and its subscriptions were
 * removed.
 */
final class Connection {

    private final AgentRef<ConnectionCommand> agent;
    private final Channel channel;
    private final String remoteAddress;
    private final Instant connectedAt;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param agent the connection's agent
     * @param channel the connection
     * @param remoteAddress the client's address, as text
     * @param connectedAt when the upgrade was accepted
     */
    Connection(final AgentRef<ConnectionCommand> agent, final Channel channel, final String remoteAddress,
            final Instant connectedAt) {
        this.agent = agent;
        this.channel = channel;
        this.remoteAddress = remoteAddress;
        this.connectedAt = connectedAt;
    }

    AgentRef<ConnectionCommand> agent() {
        return agent;
    }

    Channel channel() {
        return channel;
    }

    String remoteAddress() {
        return remoteAddress;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    /** @return completes when the connection's close was handled */
    CompletableFuture<Void> closed() {
        return closed;
    }

    /** @return "agent-7 /127.0.0.1:51234", for logs */
    String describe() {
        return agent.id() + " " + remoteAddress;
    }
}
