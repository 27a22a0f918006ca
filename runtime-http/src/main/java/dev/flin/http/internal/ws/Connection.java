package dev.flin.http.internal.ws;

import dev.flin.runtime.AgentRef;
import io.netty.channel.Channel;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The hub's handle on one open connection: its agent's ref and its channel, never the agent's
 * state (rule 1.4).
 *
 * <p>Threading: immutable; every part is thread-safe. {@code closed} completes on the event loop
 * once the channel closed, the agent was asked to stop and its subscriptions were removed.
 *
 * @param agent the connection's agent
 * @param channel the connection
 * @param remoteAddress the client's address, as text
 * @param connectedAt when the upgrade was accepted
 * @param closed completes when the connection's close was handled
 */
record Connection(AgentRef<Object> agent, Channel channel, String remoteAddress, Instant connectedAt,
        CompletableFuture<Void> closed) {

    /** @return "agent-7 /127.0.0.1:51234", for logs */
    String describe() {
        return agent.id() + " " + remoteAddress;
    }
}
