package dev.flin.todo;

/**
 * The store lost its connection to the database (or failed in a way that is not the database's):
 * the reply of the request that hit it fails with this (an HTTP handler answers 500), and the
 * store agent restarts, which reopens its connection. The database's other errors are answers, not
 * failures: see {@link SqlFailures}.
 *
 * <p>Threading: immutable once thrown.
 */
public final class TodoStoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what the store was doing
     * @param cause the database's error
     */
    public TodoStoreException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
