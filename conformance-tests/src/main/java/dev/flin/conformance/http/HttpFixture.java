package dev.flin.conformance.http;

import java.net.URI;
import java.time.Duration;

/**
 * A running fixture service: the HTTP/WebSocket server under test, started by your
 * {@link HttpFixtureProvider} with {@link HttpKitLimits}, serving these routes (each handled the way
 * your server handles any request, rule 9.2):
 *
 * <table>
 *   <caption>Fixture routes</caption>
 *   <tr><th>route</th><th>behaviour</th></tr>
 *   <tr><td>{@code GET /kit/echo/{text}}</td><td>200, {@code text/plain}, body {@code text}</td></tr>
 *   <tr><td>{@code POST /kit/echo}</td><td>200, the request body echoed</td></tr>
 *   <tr><td>{@code GET /kit/gate/{key}}</td><td>answers 200 with body {@code key} only once
 *       {@link #openGate(String) openGate(key)} was called (before or after the request)</td></tr>
 *   <tr><td>{@code GET /kit/bytes/{n}}</td><td>200, {@code n} bytes of body ({@code n} at most 1 MiB)</td></tr>
 *   <tr><td>{@code GET /kit/fail}</td><td>the handler throws an exception whose message is
 *       {@code "kit-secret-failure"}: 500</td></tr>
 *   <tr><td>{@code GET /kit/hang}</td><td>the handler never answers: 504 after the ask timeout</td></tr>
 *   <tr><td>{@code GET /kit/full}</td><td>the handler sends to an agent whose mailbox is full: 503</td></tr>
 *   <tr><td>{@code POST /kit/jobs/{text}}</td><td>hands a background job to a long-lived agent and
 *       answers 202 at once; the job fails when {@code text} is {@code fail}, else succeeds</td></tr>
 *   <tr><td>{@code GET /kit/jobs}</td><td>200, JSON object with numeric fields {@code succeeded} and {@code failed}</td></tr>
 *   <tr><td>{@code GET /kit/work}</td><td>the handler asks the fixture's worker agent, which answers
 *       {@code done} (200); while {@link #holdWorker() held}, requests wait for it. The worker
 *       drops, unrun, a request whose client has already been answered 504 (rule 9.10), and
 *       counts the ones it ran ({@link #workerRan()})</td></tr>
 *   <tr><td>WebSocket {@link #webSocketUri()}</td><td>the protocol of rule 9.5 with one topic
 *       named {@code kit}, whose events are JSON objects {@code {"text":...}}</td></tr>
 *   <tr><td>WebSocket {@link #echoWebSocketUri()}</td><td>echoes every text and binary message as
 *       one message of the same type, byte for byte ({@link WebSocketCaseKit})</td></tr>
 * </table>
 *
 * <p>Threading: the kit calls these methods from its test thread and from helper threads.
 */
public interface HttpFixture extends AutoCloseable {

    /** @return e.g. {@code http://127.0.0.1:41234} (no trailing slash) */
    URI baseUri();

    /** @return e.g. {@code ws://127.0.0.1:41234/kit/ws} */
    URI webSocketUri();

    /**
     * An echo endpoint on the server under test, configured with the same {@link HttpKitLimits}:
     * every complete text or binary message a client sends comes back as one message of the same
     * type with exactly the same payload, in the order sent; everything else (pings, closes, frame
     * errors, limits) is the server's own WebSocket handling, which {@link WebSocketCaseKit}
     * checks. It may be served by the same server as {@link #webSocketUri()} or by a second one
     * the fixture starts; the fixture's {@link #close()} stops it too.
     *
     * @return e.g. {@code ws://127.0.0.1:41235/kit/echo}
     */
    URI echoWebSocketUri();

    /** Lets the requests waiting on gate {@code key} (now or later) answer. */
    void openGate(String key);

    /** @return how many requests are waiting at gate {@code key} now (their handler has them) */
    int waitingAtGate(String key);

    /**
     * Publishes event {@code {"text": text}} on topic {@code kit}.
     *
     * @return how many subscribers accepted it
     */
    int publish(String text);

    /** @return the current subscriber count of topic {@code kit} */
    int subscriberCount();

    /** @return handler failures published on the runtime's failure topic since start (rule 4.5) */
    long publishedFailures();

    /** Makes the worker of {@code /kit/work} wait: requests queue for it until {@link #releaseWorker()}. */
    void holdWorker();

    /** Lets the worker of {@code /kit/work} go on with the requests queued for it. */
    void releaseWorker();

    /** @return how many {@code /kit/work} requests the worker ran (not the ones it dropped); call it while released */
    long workerRan();

    /**
     * Graceful server shutdown (rule 9.8) with {@code grace}; blocks until done.
     *
     * @return whether every in-flight request was answered within the grace period
     */
    boolean shutdownGracefully(Duration grace);

    /** Stops everything; idempotent. */
    @Override
    void close();
}
