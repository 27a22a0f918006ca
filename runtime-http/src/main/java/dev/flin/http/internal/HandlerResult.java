package dev.flin.http.internal;

import dev.flin.http.HttpResponse;
import java.util.Objects;

/**
 * What a handler agent answers to the server's ask: the response, and what kind of outcome it is,
 * so the event loop can count it without looking into the body.
 *
 * <p>Threading: an immutable value.
 *
 * @param response the response to write
 * @param kind     how the request ended
 */
record HandlerResult(HttpResponse response, Kind kind) {

    HandlerResult {
        Objects.requireNonNull(response, "response");
        Objects.requireNonNull(kind, "kind");
    }

    /** How a request ended in its handler agent. */
    enum Kind {
        /** The handler's response, or its {@link dev.flin.http.HttpException}. */
        ANSWERED,
        /** The handler failed: 500 with a correlation id (rule 9.3). */
        HANDLER_FAILED,
        /** A mailbox the handler sent to was full: 503 (rule 9.3). */
        OVERLOADED,
        /** An ask of the handler, or the handler itself, timed out: 504 (rule 9.3). */
        TIMED_OUT,
        /** The handler agent stopped or restarted before the request finished: 503. */
        ABORTED
    }
}
