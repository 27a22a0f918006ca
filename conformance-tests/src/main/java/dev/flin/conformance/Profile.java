package dev.flin.conformance;

/**
 * What an implementation claims to provide, and so which rules its report counts (see
 * {@link ConformanceClaim}): a runtime alone, or a runtime with its HTTP and WebSocket server.
 *
 * <p>Threading: an immutable enum.
 */
public enum Profile {
    /** The runtime: sections 1 to 8 of the spec. The default of every {@link FlinConformanceKit}. */
    CORE(8, "the runtime: sections 1-8"),
    /**
     * The runtime and its HTTP and WebSocket server: sections 1 to 9. Checked by a
     * {@link FlinConformanceKit} and the HTTP kits ({@code HttpConformanceKit}, {@code WebSocketCaseKit})
     * run together, each class carrying the same {@link ConformanceClaim}.
     */
    CORE_AND_HTTP(9, "the runtime and its HTTP/WebSocket server: sections 1-9");

    private final int lastSection;
    private final String description;

    Profile(final int lastSection, final String description) {
        this.lastSection = lastSection;
        this.description = description;
    }

    /**
     * @param rule a rule of the spec
     * @return whether an implementation of this profile must meet it
     */
    public boolean covers(final SpecRule rule) {
        return section(rule.id()) <= lastSection;
    }

    /** @return what the profile provides, for the report */
    public String description() {
        return description;
    }

    static int section(final String ruleId) {
        final int dot = ruleId.indexOf('.');
        return Integer.parseInt(dot < 0 ? ruleId : ruleId.substring(0, dot));
    }
}
