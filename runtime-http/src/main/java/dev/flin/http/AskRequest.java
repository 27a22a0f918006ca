package dev.flin.http;

import dev.flin.runtime.Reply;

/**
 * A message sent by ask that carries its ask's {@link Reply}. When the ask comes from a handler
 * through {@link HandlerContext#ask}, its timeout is the time the HTTP request has left: once the
 * client has been answered 504, the reply is completed (timed out) too, and
 * {@link ExpiredAsks#drop} tells the receiving agent to skip the message instead of doing work
 * whose result nobody reads (rule 9.10).
 *
 * <p>Threading: as for any message, an immutable value (rule 1.5); {@link Reply} is thread-safe.
 */
public interface AskRequest {

    /** @return the reply handle of the ask that sent this message */
    Reply<?> reply();
}
