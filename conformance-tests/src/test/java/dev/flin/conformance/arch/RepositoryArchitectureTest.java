package dev.flin.conformance.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * This repository's module architecture, checked on the class files of every module on this
 * module's test classpath (runtime-api, runtime-core, runtime-http, examples and todo-service are
 * dependencies; the kit's own
 * classes are in target/classes and target/test-classes).
 */
class RepositoryArchitectureTest {

    /** Production classes of every module (no test classes). */
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.flin");
    /** Production and test classes. */
    private static final JavaClasses ALL = new ClassFileImporter().importPackages("dev.flin");

    private static final String API = "dev.flin.runtime";
    /** JSpecify's nullness annotations (@NullMarked, @Nullable): every public package carries them. */
    private static final String NULLNESS = "org.jspecify.annotations";
    private static final String CORE = "dev.flin.runtime.core..";
    private static final String INTERNAL = "dev.flin.runtime.core.internal..";

    @Test
    void theClassesOfEveryModuleWereImported() {
        final Set<String> packages = StreamSupport.stream(MAIN.spliterator(), false).map(JavaClass::getPackageName)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("dev.flin.conformance", "dev.flin.conformance.arch", "dev.flin.conformance.http",
                "dev.flin.conformance.matrix",
                "dev.flin.examples", "dev.flin.http", "dev.flin.http.core", "dev.flin.http.examples", "dev.flin.http.internal",
                "dev.flin.http.internal.ws", "dev.flin.micrometer", "dev.flin.runtime", "dev.flin.runtime.core", "dev.flin.runtime.core.config",
                "dev.flin.runtime.core.internal", "dev.flin.runtime.core.spi",
                "dev.flin.testkit", "dev.flin.todo")), packages);
        assertFalse(MAIN.contain("dev.flin.conformance.faulty.FaultyRuntimeMatrixTest"), "tests excluded from MAIN");
    }

    @Test
    void runtimeApiDependsOnTheJdkOnly() {
        classes().that().resideInAPackage(API)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API, NULLNESS)
                .because("runtime-api is the contract every implementation compiles against (README: depends on the JDK"
                        + " and JSpecify's nullness annotations only)")
                .check(MAIN);
    }

    @Test
    void runtimeCoreDependsOnTheApiDisruptorSlf4jAndTheJdkOnly() {
        classes().that().resideInAPackage(CORE)
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jdk.jfr..", API, CORE,
                        "com.lmax.disruptor..", "org.slf4j..", NULLNESS)
                .because("runtime-core's declared dependencies are runtime-api, LMAX Disruptor and the SLF4J API;"
                        + " jdk.jfr (the JDK's Flight Recorder, for its events) is part of the JDK")
                .check(MAIN);
    }

    @Test
    void nothingOutsideRuntimeCoreUsesItsInternals() {
        noClasses().that().resideOutsideOfPackage(CORE)
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("dev.flin.runtime.core.internal is not exported by the runtime-core module")
                .check(ALL);
    }

    @Test
    void theKitsMainCodeDoesNotDependOnRuntimeCore() {
        noClasses().that().resideInAPackage("dev.flin.conformance..")
                .should().dependOnClassesThat().resideInAPackage(CORE)
                .because("the kit judges any runtime through runtime-api; runtime-core is only its test subject")
                .check(MAIN);
    }

    @Test
    void theKitsMainCodeDependsOnTheApiAndItsTestLibrariesOnly() {
        classes().that().resideInAPackage("dev.flin.conformance..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API, "dev.flin.conformance..",
                        "net.jqwik..", "org.junit..", "org.opentest4j..", "com.tngtech.archunit..")
                .check(MAIN);
    }

    @Test
    void theTestkitUsesTheApiRuntimeCoresExportedPackagesAndJUnitOnly() {
        classes().that().resideInAPackage("dev.flin.testkit..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API, "dev.flin.runtime.core",
                        "dev.flin.testkit..", "org.junit..", NULLNESS)
                .because("runtime-testkit's declared dependencies are runtime-core (its exported package) and the JUnit Jupiter API")
                .check(MAIN);
    }

    @Test
    void runtimeMicrometerUsesPublicPackagesAndMicrometerOnly() {
        classes().that().resideInAPackage("dev.flin.micrometer..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API, "dev.flin.runtime.core",
                        "dev.flin.runtime.core.spi", "dev.flin.http", "dev.flin.micrometer..", "io.micrometer..", NULLNESS)
                .because("runtime-micrometer binds what runtime-core and runtime-http publish (their exported"
                        + " packages and SPI hooks), never their internals")
                .check(MAIN);
    }

    @Test
    void runtimeHttpUsesTheApiNotRuntimeCore() {
        noClasses().that().resideInAnyPackage("dev.flin.http", "dev.flin.http.internal..")
                .should().dependOnClassesThat().resideInAPackage(CORE)
                .because("runtime-http serves agents of any FLIN runtime through runtime-api; only its example picks runtime-core")
                .check(MAIN);
    }

    @Test
    void nothingOutsideRuntimeHttpUsesItsInternals() {
        noClasses().that().resideOutsideOfPackages("dev.flin.http", "dev.flin.http.internal..")
                .should().dependOnClassesThat().resideInAPackage("dev.flin.http.internal..")
                .because("dev.flin.http.internal is not API: services use dev.flin.http")
                .check(ALL);
    }

    // ------------------------------------------------------------------------------- cycles

    /** One slice per package under a module's root package; classes elsewhere are ignored. */
    private static SliceAssignment packagesUnder(final String root) {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(final JavaClass javaClass) {
                final String pkg = javaClass.getPackageName();
                return pkg.equals(root) || pkg.startsWith(root + ".") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "packages under " + root;
            }
        };
    }

    // runtime-api is the single package dev.flin.runtime (theClassesOfEveryModuleWereImported): no cycle possible.

    /**
     * No exceptions: the dispatcher SPI is a package of its own ({@code core.spi}), which the
     * internals implement, so the factories in {@code core} reach into {@code core.internal} without
     * closing a cycle (core -> internal -> spi, core -> spi).
     */
    @Test
    void noPackageCyclesInRuntimeCore() {
        slices().assignedFrom(packagesUnder("dev.flin.runtime.core")).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void theDispatcherSpiDependsOnNothingElseOfRuntimeCore() {
        noClasses().that().resideInAPackage("dev.flin.runtime.core.spi")
                .should().dependOnClassesThat().resideInAnyPackage("dev.flin.runtime.core", INTERNAL)
                .because("implementations of the SPI (runtime-http's event loops) must not need the runtime's factories or internals")
                .check(MAIN);
    }

    @Test
    void theSettingsRegistryUsesTheJdkAndTheExportedPackagesOnly() {
        classes().that().resideInAPackage("dev.flin.runtime.core.config")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", API, "dev.flin.runtime.core",
                        "dev.flin.runtime.core.spi", "dev.flin.runtime.core.config")
                .because("the settings layer is read by every module and must carry no CLI or other dependency")
                .check(MAIN);
    }

    @Test
    void runtimeCore_onlyTheTwoFactoriesReachIntoInternal() {
        noClasses().that().resideInAPackage("dev.flin.runtime.core")
                .and().doNotHaveFullyQualifiedName("dev.flin.runtime.core.FlinRuntime")
                .and().doNotHaveFullyQualifiedName("dev.flin.runtime.core.Dispatchers")
                .should().dependOnClassesThat().resideInAPackage(INTERNAL)
                .because("the exported package may reach into internal only to create the runtime and its dispatcher")
                .check(MAIN);
    }

    @Test
    void noPackageCyclesInTheKit() {
        slices().assignedFrom(packagesUnder("dev.flin.conformance")).should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noPackageCyclesInTheExamples() {
        slices().assignedFrom(packagesUnder("dev.flin.examples")).should().beFreeOfCycles().check(MAIN);
    }
}
