package dev.flin.runtime;

/**
 * The runtime has shut down (or is shutting down): spawns, sends and publishes are refused
 * (rule 8.6).
 */
public final class RuntimeStoppedException extends FlinException {
    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was attempted, e.g. "spawn"
     */
    public RuntimeStoppedException(final String operation) {
        super("runtime is shut down; " + operation + " refused", "8.6", false);
    }
}
