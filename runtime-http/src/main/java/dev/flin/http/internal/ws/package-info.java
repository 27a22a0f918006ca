/**
 * WebSocket connection agents behind {@link dev.flin.http.WebSocketEndpoint}. Not API.
 *
 * <h2>Who runs where</h2>
 * <ul>
 *   <li>{@link dev.flin.http.internal.ws.WebSocketSupport#upgrade}, {@link dev.flin.http.internal.ws.FrameHandler}
 *       and every Netty callback: the connection's event loop. They never wait for an agent: client
 *       frames reach the agent by {@code tryTell}, which refuses at once when the mailbox is full.</li>
 *   <li>{@link dev.flin.http.internal.ws.ConnectionAgent}: the agent thread, one message at a time
 *       (rule 1.1). It owns the connection's subscriptions and writes every JSON frame with
 *       {@code Channel.writeAndFlush}, which Netty hands to the event loop in call order, so frames
 *       leave in the order the agent wrote them. It writes only while the channel is writable;
 *       otherwise frames wait in the agent, bounded (rule 9.7), and the event loop wakes it when
 *       the socket takes frames again.</li>
 *   <li>{@link dev.flin.http.internal.ws.ConnectionHub}: any thread. It holds handles (agent ref,
 *       channel), never agent state; a connection describes itself by answering an ask.</li>
 * </ul>
 *
 * <h2>Happens-before</h2>
 * A client frame read on the event loop happens-before the agent's handling of it (the accepted
 * {@code tryTell}, rule 1.2). A frame the agent writes is handed over to the event loop through
 * Netty's task queue, which orders the agent's writes before their flush. Closing the channel
 * (either side) runs the close listener on the event loop, which stops the agent and unsubscribes
 * it from every topic of the endpoint before the listener returns (rule 9.6).
 */
package dev.flin.http.internal.ws;
