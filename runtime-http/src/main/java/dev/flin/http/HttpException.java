package dev.flin.http;

/**
 * A handler's way to answer with a specific error status: thrown (or a stage failed with it) by a
 * {@link HttpHandler}, it answers {@code status} with a JSON body naming {@code getMessage()}. It
 * is an answer, not a handler failure: nothing is restarted, nothing is published.
 *
 * <p>Threading: immutable once thrown. Preallocated instances may be shared: it carries no stack
 * trace and no suppressed exceptions.
 */
public final class HttpException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    /**
     * @param status an HTTP status from 400 to 599
     * @param message what was wrong, for the client
     */
    public HttpException(final int status, final String message) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an HttpException carries a 4xx or 5xx status, was " + status);
        }
        this.status = status;
    }

    /** @return the status to answer with */
    public int status() {
        return status;
    }

    public static HttpException badRequest(final String message) {
        return new HttpException(400, message);
    }

    public static HttpException notFound(final String message) {
        return new HttpException(404, message);
    }

    public static HttpException conflict(final String message) {
        return new HttpException(409, message);
    }
}
