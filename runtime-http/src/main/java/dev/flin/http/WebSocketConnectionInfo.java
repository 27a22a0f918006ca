package dev.flin.http;

import dev.flin.runtime.AgentId;
import java.time.Instant;
import java.util.List;

/**
 * One open WebSocket connection, as its agent describes itself.
 *
 * @param agent the connection's agent
 * @param remoteAddress the client's address
 * @param connectedAt when the upgrade completed
 * @param topics the topic names it is subscribed to
 * @param framesOut frames written to it
 * @param queuedBytes bytes written but not yet flushed to the socket
 */
public record WebSocketConnectionInfo(AgentId agent, String remoteAddress, Instant connectedAt, List<String> topics,
        long framesOut, long queuedBytes) {

    public WebSocketConnectionInfo {
        topics = List.copyOf(topics);
    }
}
