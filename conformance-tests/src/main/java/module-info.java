/**
 * The FLIN conformance kit: rule checks an implementation runs against itself (extend
 * {@code dev.flin.conformance.FlinConformanceKit}), the conformance report, and reusable
 * no-shared-state ArchUnit rules. Depends on the API only, never on runtime-core.
 */
module dev.flin.conformance {
    requires transitive dev.flin.runtime.api;
    requires transitive net.jqwik.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.platform.launcher;
    requires static com.tngtech.archunit;

    exports dev.flin.conformance;
    // jqwik instantiates the verification classes and invokes the checks reflectively
    opens dev.flin.conformance;

    provides org.junit.platform.launcher.TestExecutionListener with dev.flin.conformance.ConformanceReportListener;
}
