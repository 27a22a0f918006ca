/**
 * The FLIN conformance kit: rule checks an implementation runs against itself (extend
 * {@code dev.flin.conformance.FlinConformanceKit}), the conformance report, and reusable
 * no-shared-state ArchUnit rules. Depends on the API only, never on runtime-core.
 */
@SuppressWarnings("requires-transitive-automatic") // ArchUnit is an automatic module; NoSharedStateRules exposes its types
module dev.flin.conformance {
    requires transitive dev.flin.runtime.api;
    requires transitive net.jqwik.api;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.platform.launcher;
    requires static transitive com.tngtech.archunit;
    requires java.net.http;

    exports dev.flin.conformance;
    // NoSharedStateRules: ArchUnit rules for users' agent code (users add ArchUnit, which the kit brings)
    exports dev.flin.conformance.arch;
    // HttpConformanceKit: rules of section 9 over real sockets, against a fixture service you start
    exports dev.flin.conformance.http;
    exports dev.flin.conformance.matrix;
    // jqwik instantiates the verification classes and invokes the checks reflectively
    opens dev.flin.conformance;
    opens dev.flin.conformance.http;

    provides org.junit.platform.launcher.TestExecutionListener with dev.flin.conformance.ConformanceReportListener;
}
