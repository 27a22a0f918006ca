package dev.flin.bench;

/**
 * Thrown when a system has no implementation of a scenario (the raw Disruptor has no agents to
 * spawn, for example) or cannot run on this JVM (virtual threads before JDK 21).
 */
public final class UnsupportedScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param system   the system asked for
     * @param scenario the scenario asked for
     * @param why      why it cannot run
     */
    public UnsupportedScenarioException(final String system, final String scenario, final String why) {
        super(system + " does not run " + scenario + ": " + why);
    }
}
