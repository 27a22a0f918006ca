package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the kit and the spec in step: the kit's rule table is exactly the spec's headings, and
 * every rule is named by at least one kit check (required_, optional_ or untested_) of
 * FlinConformanceKit or, for section 9, HttpConformanceKit and WebSocketCaseKit.
 */
class SpecRulesTest {

    private static final Pattern HEADING = Pattern.compile("^### (\\d+\\.\\d+) (.+)$", Pattern.MULTILINE);

    static Map<String, String> specHeadings() throws IOException {
        final String spec = Files.readString(Path.of("..", "docs", "spec.md"));
        final Map<String, String> headings = new LinkedHashMap<>();
        final Matcher m = HEADING.matcher(spec);
        while (m.find()) {
            headings.put(m.group(1), m.group(2).replace("`", "").trim());
        }
        return headings;
    }

    @Test
    void ruleTableMatchesTheSpecHeadings() throws IOException {
        final Map<String, String> headings = specHeadings();
        final Map<String, String> table = new LinkedHashMap<>();
        for (final SpecRule rule : SpecRules.ALL) {
            table.put(rule.id(), rule.title());
        }
        assertEquals(headings, table, "SpecRules.ALL must list exactly the rules of docs/spec.md, in order");
    }

    @Test
    void everyRuleIsNamedByAKitCheck() throws IOException {
        final TreeSet<String> named = new TreeSet<>();
        final List<String> badNames = new ArrayList<>();
        final List<Method> checks = new ArrayList<>(List.of(FlinConformanceKit.class.getMethods()));
        checks.addAll(List.of(dev.flin.conformance.http.HttpConformanceKit.class.getMethods()));
        checks.addAll(List.of(dev.flin.conformance.http.WebSocketCaseKit.class.getMethods()));
        for (final Method method : checks) {
            final boolean check = method.isAnnotationPresent(net.jqwik.api.Example.class)
                    || method.isAnnotationPresent(net.jqwik.api.Property.class);
            if (!check) {
                continue;
            }
            SpecRules.idFromMethodName(method.getName()).ifPresentOrElse(named::add, () -> badNames.add(method.getName()));
        }
        assertTrue(badNames.isEmpty(), "kit checks must cite a rule (required_/optional_/untested_spec_N_M_): " + badNames);
        final TreeSet<String> missing = new TreeSet<>(specHeadings().keySet());
        missing.removeAll(named);
        assertTrue(missing.isEmpty(), "rules of docs/spec.md that no kit check names: " + missing);
        for (final String id : named) {
            assertTrue(SpecRules.byId(id).isPresent(), "a kit check cites rule " + id + ", which the spec does not have");
        }
    }

    @Test
    void methodNamesCiteTheirRule() {
        assertEquals("2.2", SpecRules.idFromMethodName("required_spec_2_2_fullMailboxRejects").orElseThrow());
        assertEquals("3.10", SpecRules.idFromMethodName("optional_spec_3_10_x").orElseThrow());
        assertEquals("8.8", SpecRules.idFromMethodName("untested_spec_8_8").orElseThrow());
        assertTrue(SpecRules.idFromMethodName("spec_2_2_notAKitName").isEmpty());
    }
}
