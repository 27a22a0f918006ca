package dev.flin.http;

import dev.flin.runtime.AgentId;
import java.time.Instant;
import java.util.List;

/**
 * One open WebSocket connection, as its agent describes itself (see {@link WebSocketHub#connections()}).
 *
 * <p>Threading: an immutable value.
 *
 * @param agent the connection's agent
 * @param remoteAddress the client's address
 * @param connectedAt when the server accepted the upgrade
 * @param topics the topic names it is subscribed to
 * @param framesOut data frames its agent wrote to it (acks, errors, events, broadcasts; a handler endpoint's messages)
 * @param queuedBytes bytes written to the connection and not yet taken by the socket, read on its
 *     event loop; bounded by {@code HttpServerConfig.wsOutboundLimit()} plus one frame (rule 9.7)
 */
public record WebSocketConnectionInfo(AgentId agent, String remoteAddress, Instant connectedAt, List<String> topics,
        long framesOut, long queuedBytes) {

    public WebSocketConnectionInfo {
        topics = List.copyOf(topics);
    }
}
