package dev.flin.http.internal;

import dev.flin.http.AskRequest;
import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import dev.flin.http.HttpResponse;
import dev.flin.runtime.Correlated;
import dev.flin.runtime.Reply;
import java.util.Objects;

/**
 * The messages of a handler agent ({@link HandlerAgent}).
 *
 * <p>Each carries its request's correlation id ({@link Correlated}), so the runtime puts it in the
 * logging context while the handler agent handles it (rule 8.12): a handler's log lines name their
 * request.
 *
 * <p>Threading: immutable values (rule 1.5); the {@link Reply} inside is the ask's one-shot,
 * thread-safe handle.
 */
sealed interface HandlerMessage extends Correlated
        permits HandlerMessage.Handle, HandlerMessage.Settle, HandlerMessage.Expire {

    /**
     * Handle one request and reply with its {@link HandlerResult} (rule 9.2).
     *
     * @param request the request
     * @param handler the route's handler
     * @param slot    the pool slot to release when the request is finished, or -1 for none
     * @param deadlineNanos {@link System#nanoTime()} at which the client is answered 504 (rule 9.10)
     * @param reply   where the result goes
     */
    record Handle(HttpRequest request, HttpHandler handler, int slot, long deadlineNanos, Reply<HandlerResult> reply)
            implements HandlerMessage, AskRequest {
        public Handle {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(handler, "handler");
            Objects.requireNonNull(reply, "reply");
        }

        @Override
        public String correlationId() {
            return request.correlationId();
        }

        // Identity, not value, equality: each Handle is one request in flight, also as a timer key.
        @Override
        public boolean equals(final Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /**
     * The handler's stage completed: brought back onto the agent's thread by
     * {@link dev.flin.runtime.AgentContext#pipeToSelf} (rule 5.5).
     *
     * @param handle   the request
     * @param response the response, if the stage completed normally
     * @param failure  the failure, if it failed
     */
    record Settle(Handle handle, HttpResponse response, Throwable failure) implements HandlerMessage {
        public Settle {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public String correlationId() {
            return handle.correlationId();
        }
    }

    /**
     * The request's time is up (the server's ask timeout): the agent answers 504 and forgets it.
     *
     * @param handle the request
     */
    record Expire(Handle handle) implements HandlerMessage {
        public Expire {
            Objects.requireNonNull(handle, "handle");
        }

        @Override
        public String correlationId() {
            return handle.correlationId();
        }
    }
}
