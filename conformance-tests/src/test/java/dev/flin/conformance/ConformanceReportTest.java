package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.conformance.ConformanceReportListener.Outcome;
import dev.flin.conformance.ConformanceReportListener.Status;
import dev.flin.conformance.ConformanceReportListener.Subject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's summary and verdict per profile and selection, and the rule selection's syntax. */
class ConformanceReportTest {

    private static final Subject CORE = new Subject("my-runtime", Profile.CORE, "my-runtime");
    private static final Subject FULL = new Subject("my-runtime", Profile.CORE_AND_HTTP, "my-runtime");

    /** One passing check for every rule the profile covers, but {@code except}. */
    private static List<Outcome> passingAll(final Profile profile, final String... except) {
        final List<Outcome> outcomes = new ArrayList<>();
        for (final SpecRule rule : SpecRules.ALL) {
            if (profile.covers(rule) && !List.of(except).contains(rule.id())) {
                outcomes.add(new Outcome("required_spec_" + rule.id().replace('.', '_') + "_x", rule.id(), Status.PASSED, ""));
            }
        }
        return outcomes;
    }

    private static String lastLines(final String report) {
        final String[] lines = report.split("\n");
        return lines[lines.length - 2] + "\n" + lines[lines.length - 1];
    }

    @Test
    void aCoreRuntimePassingEveryCoreRuleGetsACleanSummary_section9NotCounted() {
        final String report = ConformanceReportListener.render(CORE, RuleSelection.parse(""), passingAll(Profile.CORE));
        final long coreRules = SpecRules.ALL.stream().filter(Profile.CORE::covers).count();
        assertEquals("summary: " + coreRules + " passed, 0 failed, 0 skipped, 0 not checked (rules of profile CORE;"
                + " not counted, outside the profile: 9.1-9.14)\nverdict: CONFORMS to CORE", lastLines(report));
        assertFalse(report.contains("\n9.1 "), report);
    }

    @Test
    void theSameOutcomesUnderCoreAndHttpAreIncomplete_namingSection9() {
        final String report = ConformanceReportListener.render(FULL, RuleSelection.parse(""), passingAll(Profile.CORE));
        assertTrue(lastLines(report).contains("14 not checked (rules of profile CORE_AND_HTTP)"), report);
        assertTrue(lastLines(report).endsWith("verdict: INCOMPLETE: no check of rules 9.1-9.14 ran (run every"
                + " verification class of the implementation in one test run)"), report);
    }

    @Test
    void aFailedRuleIsNamedInTheVerdict_andSkippedRulesAreListed() {
        final List<Outcome> outcomes = passingAll(Profile.CORE, "3.4", "7.2");
        outcomes.add(new Outcome("required_spec_3_4_x", "3.4", Status.SKIPPED, "runtime lacks capability PAUSE (rule 3.4)"));
        outcomes.add(new Outcome("required_spec_7_2_x", "7.2", Status.FAILED, "rule 7.2: fired early"));
        final String report = ConformanceReportListener.render(CORE, RuleSelection.parse(""), outcomes);
        assertTrue(report.contains("7.2   MUST   FAILED      Never early\n      FAILED  required_spec_7_2_x -- rule 7.2: fired early"),
                report);
        assertTrue(lastLines(report).endsWith("verdict: DOES NOT CONFORM to CORE: rules 7.2 failed"), report);
        final String passing = ConformanceReportListener.render(CORE, RuleSelection.parse(""),
                outcomes.subList(0, outcomes.size() - 1));
        assertTrue(lastLines(passing).contains("1 skipped, 1 not checked"), passing);
    }

    @Test
    void aSelectionReportsOnlyTheSelectedRules_andSaysItIsPartial() {
        final String report = ConformanceReportListener.render(CORE, RuleSelection.parse("3.4, 8"), passingAll(Profile.CORE));
        assertTrue(report.contains("selection: -Dflin.kit.rules=3.4, 8 (a partial run)"), report);
        final long section8 = SpecRules.ALL.stream().filter(r -> r.id().startsWith("8.")).count();
        assertTrue(lastLines(report).startsWith("summary: " + (section8 + 1) + " passed, 0 failed"), report);
        assertTrue(lastLines(report).endsWith("verdict: the selected rules pass (-Dflin.kit.rules=3.4, 8)"), report);
        assertFalse(report.contains("\n3.5 "), report);
    }

    @Test
    void aRunWithoutChecksVerifiedNothing() {
        final String report = ConformanceReportListener.render(CORE, RuleSelection.parse(""), List.of());
        assertTrue(lastLines(report).endsWith("verdict: NOTHING VERIFIED: no check ran"), report);
    }

    @Test
    void theSelectionAcceptsRulesAndSections_andRefusesWhatNamesNoRule() {
        final RuleSelection selection = RuleSelection.parse("3.4,8.*, 9");
        assertTrue(selection.selects("3.4"));
        assertTrue(selection.selects("8.12"));
        assertTrue(selection.selects("9.1"));
        assertFalse(selection.selects("3.41"));
        assertFalse(selection.selects("1.3"));
        assertTrue(selection.selectsCheck("required_spec_8_2_namesAreUnique"));
        assertFalse(selection.selectsCheck("notACheck"));
        assertTrue(RuleSelection.parse(" ").selectsCheck("notACheck"));
        final IllegalArgumentException typo = assertThrows(IllegalArgumentException.class, () -> RuleSelection.parse("3.4,3.44"));
        assertTrue(typo.getMessage().startsWith("-Dflin.kit.rules=3.4,3.44: '3.44' names no rule of the spec"), typo.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RuleSelection.parse("10"));
        assertThrows(IllegalArgumentException.class, () -> RuleSelection.parse("3.4,"));
    }

    @Test
    void aClaimJoinsClassesUnderOneImplementation_unclaimedKitsAreCoreUnderTheirClassName() throws Exception {
        assertEquals(new Subject("runtime-core and runtime-http", Profile.CORE_AND_HTTP, "runtime-core_and_runtime-http"),
                Subject.of(ReferenceRuntimeConformanceVerification.class).orElseThrow());
        assertEquals(Subject.of(ReferenceRuntimeConformanceVerification.class),
                Subject.of(Class.forName("dev.flin.conformance.http.PerRequestHttpConformanceVerification")));
        assertEquals(new Subject(ThreadPerAgentRuntimeConformanceVerification.class.getName(), Profile.CORE,
                "ThreadPerAgentRuntimeConformanceVerification"), Subject.of(ThreadPerAgentRuntimeConformanceVerification.class).orElseThrow());
        assertTrue(Subject.of(String.class).isEmpty());
    }
}
