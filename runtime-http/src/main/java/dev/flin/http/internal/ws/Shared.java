package dev.flin.http.internal.ws;

import dev.flin.runtime.FatalErrorHandler;
import dev.flin.http.Json;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.internal.LogBudget;
import java.time.Duration;

/**
 * What every connection of one endpoint shares: the endpoint, the codec, the counters and the
 * limits. Not a message: the support hands it to each connection's agent and handler at creation.
 *
 * <p>Threading: its fields are final and every part is thread-safe.
 */
final class Shared {

    private final WebSocketEndpoint endpoint;
    private final Json json;
    private final WebSocketCounters counters;
    private final int maxFramePayload;
    private final int outboundLimit;
    private final Duration pongTimeout;
    private final FatalErrorHandler fatalErrors;
    private final LogBudget clientLogs = new LogBudget(10);

    /**
     * @param endpoint the endpoint: path, topics, mailbox capacity
     * @param json the server's codec
     * @param counters the endpoint's counters
     * @param maxFramePayload the largest frame payload, and the largest message of continuation frames
     * @param outboundLimit the most bytes held for one client (rule 9.7): half in Netty's queue for
     *     its socket, half waiting in its agent
     * @param pongTimeout how long the server waits for any frame after a ping, for the client's
     *     Close after its own, and for a client to take anything while frames wait for it
     * @param fatalErrors what a fatal error on a connection's event loop does (rule 4.9)
     */
    Shared(final WebSocketEndpoint endpoint, final Json json, final WebSocketCounters counters,
            final int maxFramePayload, final int outboundLimit, final Duration pongTimeout,
            final FatalErrorHandler fatalErrors) {
        this.endpoint = endpoint;
        this.json = json;
        this.counters = counters;
        this.maxFramePayload = maxFramePayload;
        this.outboundLimit = outboundLimit;
        this.pongTimeout = pongTimeout;
        this.fatalErrors = fatalErrors;
    }

    FatalErrorHandler fatalErrors() {
        return fatalErrors;
    }

    WebSocketEndpoint endpoint() {
        return endpoint;
    }

    Json json() {
        return json;
    }

    WebSocketCounters counters() {
        return counters;
    }

    int maxFramePayload() {
        return maxFramePayload;
    }

    int outboundLimit() {
        return outboundLimit;
    }

    Duration pongTimeout() {
        return pongTimeout;
    }

    /** @return the budget of per-connection log lines (closes, drops, failures): about 10 a second */
    LogBudget clientLogs() {
        return clientLogs;
    }
}
