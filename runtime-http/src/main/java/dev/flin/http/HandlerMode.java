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
 */
public enum HandlerMode {
    PER_REQUEST,
    POOL
}
