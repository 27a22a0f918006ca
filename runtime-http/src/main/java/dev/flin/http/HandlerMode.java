package dev.flin.http;

/**
 * How requests are assigned to handler agents (rule 9.2).
 *
 * <ul>
 *   <li>{@link #PER_REQUEST}: one agent spawned per request, stopped after it answers: the seed's
 *       model, no state can leak between requests.
 *   <li>{@link #POOL}: a fixed pool of long-lived handler agents (round-robin), each restarted on
 *       failure per its restart policy; less work per request. The measured trade-off is in
 *       {@code docs/http.md}.
 * </ul>
 *
 * <p>In both modes the server asks the handler agent and waits for the answer without blocking
 * (rule 9.2). A pool agent is given at most {@code handlerMailboxCapacity} requests at a time, so
 * its mailbox always has room for its own replies and timers; beyond that the request is answered
 * 503 at once (rule 9.3).
 */
public enum HandlerMode {
    PER_REQUEST,
    POOL
}
