package dev.flin.conformance.arch;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * How a user applies the rules with plain JUnit Jupiter, one test per rule (docs/conformance.md,
 * verbatim but for the package): here to this repository's example agents.
 */
class ExampleAgentsPlainJUnitTest {

    private static final JavaClasses AGENT_CODE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.flin.examples");

    @TestFactory
    Stream<DynamicTest> agentCodeSharesNoState() {
        return NoSharedStateRules.all().stream()
                .map(rule -> dynamicTest(rule.getDescription(), () -> rule.check(AGENT_CODE)));
    }
}
