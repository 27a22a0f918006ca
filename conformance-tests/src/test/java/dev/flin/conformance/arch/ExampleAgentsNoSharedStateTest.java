package dev.flin.conformance.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.CompositeArchRule;

/**
 * How a user applies the rules with the ArchUnit JUnit 5 engine (docs/conformance.md, verbatim but
 * for the package): here to this repository's example agents. An {@code @ArchTest} method rather
 * than an {@code @ArchTest ArchRule} field: Maven Surefire 3.5.3, which this build uses, silently
 * skips {@code @ArchTest} fields (SUREFIRE-2298, fixed in 3.5.4).
 */
@AnalyzeClasses(packages = "dev.flin.examples", importOptions = ImportOption.DoNotIncludeTests.class)
class ExampleAgentsNoSharedStateTest {

    @ArchTest
    static void agentCodeSharesNoState(final JavaClasses classes) {
        CompositeArchRule.of(NoSharedStateRules.all()).check(classes);
    }
}
