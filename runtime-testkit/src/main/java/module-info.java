/**
 * The FLIN testkit: JUnit 5 support for testing users' own agents on the FLIN runtime. Exports
 * {@code dev.flin.testkit} only: {@code FlinTestKit}, {@code TestProbe}, {@code ReplyProbe}, the
 * JUnit extension {@code FlinTestKitExtension} and its {@code DeterministicRuntime} annotation.
 */
module dev.flin.testkit {
    requires transitive dev.flin.runtime.core;
    requires transitive org.junit.jupiter.api;

    exports dev.flin.testkit;
}
