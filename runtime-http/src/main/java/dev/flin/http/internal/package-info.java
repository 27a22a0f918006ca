/**
 * The HTTP server's internals: not API, may change at any time.
 *
 * <h2>Path of a request</h2>
 * <pre>
 *  socket -> TimedRequestDecoder -> HttpConnection --ask--> handler agent (HandlerAgent)
 *            (Netty decoder, times    (limits, routing,        runs the HttpHandler, takes its
 *             slow headers)            in-order queue)         stage back with pipeToSelf
 *  socket &lt;- HttpResponseEncoder &lt;- HttpConnection &lt;--reply--  (one HandlerResult per request)
 * </pre>
 *
 * <h2>Threads and ordering</h2>
 * <ul>
 *   <li><b>Event-loop confined</b>: {@link dev.flin.http.internal.HttpConnection},
 *       {@link dev.flin.http.internal.Exchange}, {@link dev.flin.http.internal.BodyBuffer},
 *       {@link dev.flin.http.internal.TimedRequestDecoder}: plain fields, touched only on the
 *       channel's event loop. An answer computed elsewhere reaches them only through
 *       {@code EventExecutor.execute}, whose task queue orders the submitting thread's writes
 *       before the task (happens-before, as for any {@code Executor}).</li>
 *   <li><b>Agent-thread confined</b>: {@link dev.flin.http.internal.HandlerAgent}'s fields, by
 *       rules 1.1 and 1.2 of the spec.</li>
 *   <li><b>Shared</b>: {@link dev.flin.http.internal.ServerCounters} (adders, an atomic in-flight
 *       gauge and a volatile draining flag: see its class comment for why the last request to
 *       finish is never missed by a shutdown), {@link dev.flin.http.internal.PoolDispatcher}'s
 *       admission counts (CAS), {@link dev.flin.http.internal.CorrelationIds} (one atomic
 *       counter). Everything else shared is immutable.</li>
 * </ul>
 * No thread ever waits for another here except {@link dev.flin.http.internal.NettyServer#shutdown},
 * on a future, from the caller's thread.
 */
package dev.flin.http.internal;
