package dev.flin.runtime.core.config;

/**
 * A setting that cannot be read: an unknown flag, a value that is not of its type, one out of
 * range, a missing value, an unreadable {@code --config} file. The message names the flag and
 * the source it came from ({@code env FLIN_PORT: 'abc' is not an integer}).
 *
 * <p>Threading: an immutable value once thrown.
 */
public final class SettingsException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the flag and its source */
    public SettingsException(final String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the flag and its source
     * @param cause what was thrown underneath
     */
    public SettingsException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
