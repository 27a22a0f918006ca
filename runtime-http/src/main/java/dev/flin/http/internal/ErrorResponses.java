package dev.flin.http.internal;

import dev.flin.http.HttpException;
import dev.flin.http.HttpResponse;
import dev.flin.http.Json;
import dev.flin.runtime.AskTimeoutException;
import dev.flin.runtime.MailboxFullException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The server's own answers (rule 9.3), as JSON bodies {@code {"error": ...}}, and the mapping of a
 * handler's failure to one of them. Error bodies never carry an exception's text or stack trace,
 * except the message of an {@link HttpException}, which the handler wrote for the client.
 *
 * <p>Threading: immutable; any thread.
 */
final class ErrorResponses {

    private final Json json;
    private final String retryAfter;
    private final LogBudget failureLogs = new LogBudget(10);

    ErrorResponses(final Json json, final int retryAfterSeconds) {
        this.json = Objects.requireNonNull(json, "json");
        this.retryAfter = Integer.toString(retryAfterSeconds);
    }

    /**
     * @return the budget of handler-failure log lines (about 10 a second with their stack traces):
     *     every failure is still counted and published on {@code SystemTopics.FAILURES} with its
     *     correlation id (rule 9.3), where a subscriber sees them all
     */
    LogBudget failureLogs() {
        return failureLogs;
    }

    /** @return {@code status} with {@code {"error": message}} plus the given fields */
    HttpResponse error(final int status, final String message, final Object... moreFields) {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        for (int i = 0; i + 1 < moreFields.length; i += 2) {
            body.put((String) moreFields[i], moreFields[i + 1]);
        }
        final HttpResponse response = HttpResponse.of(status, "application/json", json.writeBytes(body));
        return status == 503 ? response.withHeader("retry-after", retryAfter) : response;
    }

    HttpResponse notFound(final String path) {
        return error(404, "not found", "path", path);
    }

    HttpResponse methodNotAllowed(final String method, final Set<String> allowed) {
        final List<String> sorted = List.copyOf(new TreeSet<>(allowed));
        return error(405, "method " + method + " not allowed", "allowed", sorted)
                .withHeader("allow", String.join(", ", sorted));
    }

    HttpResponse overloaded(final String correlationId) {
        return error(503, "overloaded, retry later", "correlationId", correlationId);
    }

    HttpResponse unavailable(final String why, final String correlationId) {
        return error(503, why, "correlationId", correlationId);
    }

    HttpResponse timedOut(final String correlationId) {
        return error(504, "timed out", "correlationId", correlationId);
    }

    HttpResponse internalError(final String correlationId) {
        return error(500, "internal error", "correlationId", correlationId);
    }

    /**
     * Maps a handler's failure (rule 9.3): its {@link HttpException} is an answer; a full mailbox
     * anywhere in the cause chain is 503; an ask timeout is 504; anything else is a handler failure
     * (500, to be logged, published and rethrown by the caller).
     */
    HandlerResult forFailure(final Throwable failure, final String correlationId) {
        final Throwable t = unwrap(failure);
        if (t instanceof HttpException http) {
            return new HandlerResult(error(http.status(), String.valueOf(http.getMessage())), HandlerResult.Kind.ANSWERED);
        }
        if (inCauseChain(t, MailboxFullException.class)) {
            return new HandlerResult(overloaded(correlationId), HandlerResult.Kind.OVERLOADED);
        }
        if (inCauseChain(t, AskTimeoutException.class)) {
            return new HandlerResult(timedOut(correlationId), HandlerResult.Kind.TIMED_OUT);
        }
        return new HandlerResult(internalError(correlationId), HandlerResult.Kind.HANDLER_FAILED);
    }

    /** @return the failure without its {@link CompletionException} / {@link ExecutionException} wrappers */
    static Throwable unwrap(final Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** @return whether {@code type} is {@code t} or one of its causes */
    static boolean inCauseChain(final Throwable t, final Class<? extends Throwable> type) {
        int depth = 0;
        for (Throwable c = t; c != null && depth < 32; c = c.getCause(), depth++) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }
}
