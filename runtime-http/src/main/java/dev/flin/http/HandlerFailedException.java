package dev.flin.http;

import java.util.Objects;

/**
 * A {@link HttpHandler} failed with something other than an {@link HttpException} (rule 9.3). The
 * client got a 500 whose body and {@code X-Correlation-Id} header carry {@link #correlationId()};
 * the handler agent then throws this exception, so the runtime counts and publishes the failure on
 * {@link dev.flin.runtime.SystemTopics#FAILURES} (its {@code cause} is this exception, whose own
 * cause is what the handler threw) and applies the handler agent's restart policy.
 *
 * <p>Threading: immutable once thrown.
 */
public final class HandlerFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String method;
    private final String path;
    private final String correlationId;

    /**
     * @param method        the request's method
     * @param path          the request's path
     * @param correlationId the id sent to the client in the 500
     * @param cause         what the handler threw or failed its stage with
     */
    public HandlerFailedException(final String method, final String path, final String correlationId, final Throwable cause) {
        super("handler for " + method + " " + path + " failed [correlation id " + correlationId + "] [rule 9.3]: " + cause,
                Objects.requireNonNull(cause, "cause"));
        this.method = Objects.requireNonNull(method, "method");
        this.path = Objects.requireNonNull(path, "path");
        this.correlationId = Objects.requireNonNull(correlationId, "correlationId");
    }

    /** @return the failed request's method */
    public String method() {
        return method;
    }

    /** @return the failed request's path */
    public String path() {
        return path;
    }

    /** @return the id the client saw in the 500's body and {@code X-Correlation-Id} header */
    public String correlationId() {
        return correlationId;
    }
}
