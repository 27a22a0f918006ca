package dev.flin.todo;

/**
 * Start-up could not go on, for a reason the operator must fix: one line naming the cause and the
 * flag to change ("port 8080 on 127.0.0.1 is already in use: ... --port"). Nothing is left running.
 *
 * <p>Threading: an immutable value once thrown.
 */
public final class StartupFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message the cause and the flag to change, on one line
     * @param cause what was thrown underneath, or {@code null}
     */
    public StartupFailure(final String message, final Throwable cause) {
        super(message, cause);
    }
}
