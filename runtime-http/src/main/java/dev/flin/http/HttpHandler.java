package dev.flin.http;

import java.util.concurrent.CompletionStage;

/**
 * Handles one HTTP request, on the thread of the handler agent that owns the request (rule 9.2).
 *
 * <p>The handler returns a stage that completes with the response. It may complete it later, for
 * example after asking a store agent through {@link HandlerContext#ask}; the handler agent takes
 * the outcome back onto its own thread before it answers, so the stage's callbacks must be pure
 * functions of their inputs (they run on whichever thread completes the stage).
 *
 * <p>Outcomes: a stage that completes normally is the response; a stage (or a throw) that fails
 * with {@link HttpException} answers with that exception's status; any other failure answers 500
 * with a correlation id and counts as a handler failure (rule 9.3), except the runtime's own
 * {@code MailboxFullException} (503 with {@code Retry-After}) and {@code AskTimeoutException}
 * (504).
 *
 * <p>Bounds: a stage that has not completed after the server's ask timeout is answered 504, and
 * its outcome, if it ever comes, is dropped.
 *
 * <p>Threading: called on a handler agent's thread, never on a Netty event loop; one call at a time
 * per handler agent. Everything the handler does before its stage completes happens-before the
 * response is written: the outcome reaches the agent through its mailbox (rule 1.2) and the event
 * loop through the loop's task queue. Implementations registered for per-request agents may keep no state between
 * calls; with a handler pool, per-agent state is owned by that agent (see {@link HandlerMode}).
 */
@FunctionalInterface
public interface HttpHandler {

    /**
     * @param request the request, already parsed and size-checked
     * @param context what the handler may use: the runtime, asks with the server's timeout
     * @return the response, now or later
     * @throws Exception any failure; mapped to a status as described above
     */
    CompletionStage<HttpResponse> handle(HttpRequest request, HandlerContext context) throws Exception;
}
