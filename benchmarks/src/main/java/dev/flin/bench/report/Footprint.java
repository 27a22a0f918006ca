package dev.flin.bench.report;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The heap one idle agent holds on one system, or why it was not measured.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param system        the system's id
 * @param status        whether it was measured
 * @param agents        idle agents kept alive for the measurement; 0 when none were
 * @param bytesPerAgent heap bytes per idle agent, when measured
 * @param note          what the reader must know about the figure (what is not counted), or why
 *                      there is none; empty when nothing
 */
public record Footprint(String system, Status status, int agents, OptionalDouble bytesPerAgent, String note) {

    /** Whether there is a figure. */
    public enum Status {
        /** Measured: {@link #bytesPerAgent()} is present. */
        MEASURED,
        /** The system has no agents to measure (the raw Disruptor), or cannot run on this JVM. */
        NOT_APPLICABLE,
        /** The measurement was attempted and did not produce a figure. */
        FAILED
    }

    /** Checks that a figure is present exactly when measured. */
    public Footprint {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(bytesPerAgent, "bytesPerAgent");
        Objects.requireNonNull(note, "note");
        if ((status == Status.MEASURED) != bytesPerAgent.isPresent()) {
            throw new IllegalArgumentException(status + " with bytesPerAgent " + bytesPerAgent);
        }
    }

    /**
     * @param system        the system's id
     * @param agents        idle agents measured
     * @param bytesPerAgent heap bytes per idle agent
     * @param note          what is not counted, or empty
     * @return a measured footprint
     */
    public static Footprint measured(final String system, final int agents, final double bytesPerAgent, final String note) {
        return new Footprint(system, Status.MEASURED, agents, OptionalDouble.of(bytesPerAgent), note);
    }

    /**
     * @param system the system's id
     * @param why    why there is nothing to measure
     * @return a footprint without a figure
     */
    public static Footprint notApplicable(final String system, final String why) {
        return new Footprint(system, Status.NOT_APPLICABLE, 0, OptionalDouble.empty(), why);
    }

    /**
     * @param system the system's id
     * @param agents idle agents asked for
     * @param why    what went wrong
     * @return a footprint without a figure
     */
    public static Footprint failed(final String system, final int agents, final String why) {
        return new Footprint(system, Status.FAILED, agents, OptionalDouble.empty(), why);
    }

    /**
     * Reads the line {@code IdleFootprint} prints: {@code bytesPerAgent=<double> agents=<n> system=<id>}
     * (fields in any order, separated by white space).
     *
     * @param line a line of the measuring JVM's output
     * @param note the note to attach
     * @return the footprint it reports, or empty when the line is not such a line
     * @throws IllegalArgumentException when it is such a line but a value is malformed
     */
    public static Optional<Footprint> parseLine(final String line, final String note) {
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(note, "note");
        final Map<String, String> fields = new HashMap<>();
        for (final String token : line.strip().split("\\s+")) {
            final int eq = token.indexOf('=');
            if (eq > 0) {
                fields.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        final String bytes = fields.get("bytesPerAgent");
        final String agents = fields.get("agents");
        final String system = fields.get("system");
        if (bytes == null || agents == null || system == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(measured(system, Integer.parseInt(agents), Double.parseDouble(bytes), note));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed footprint line '" + line + "'", e);
        }
    }
}
