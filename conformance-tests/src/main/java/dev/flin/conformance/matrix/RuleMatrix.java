package dev.flin.conformance.matrix;

import dev.flin.conformance.FlinConformanceKit;
import dev.flin.conformance.Profile;
import dev.flin.conformance.RequiresCapability;
import dev.flin.conformance.SpecRule;
import dev.flin.conformance.SpecRules;

import dev.flin.conformance.http.HttpConformanceKit;
import dev.flin.conformance.http.WebSocketCaseKit;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Example;
import net.jqwik.api.Property;

/**
 * The rule-by-check matrix of this version of the kit, generated from {@link SpecRules} and the
 * kit's check methods (their names cite their rule): for every rule, its level, the profile that
 * needs it, the kit class and the checks behind it, and the capability a check needs. The kit's
 * build keeps {@code docs/conformance.md}'s copy equal to it. (A package of its own: it reads both
 * the core kit and the HTTP kits, which depend on the core kit's package.)
 *
 * <p>Threading: stateless.
 */
public final class RuleMatrix {

    private RuleMatrix() {
    }

    /** One check method. */
    private record Check(String kitClass, String name, String kind, String capabilities) { }

    /** @return the matrix as a Markdown table, one row per rule, in spec order */
    public static String markdown() {
        final Map<String, List<Check>> byRule = new LinkedHashMap<>();
        for (final SpecRule rule : SpecRules.ALL) {
            byRule.put(rule.id(), new ArrayList<>());
        }
        for (final Class<?> kit : List.of(FlinConformanceKit.class, HttpConformanceKit.class, WebSocketCaseKit.class)) {
            Arrays.stream(kit.getMethods())
                    .filter(m -> m.isAnnotationPresent(Example.class) || m.isAnnotationPresent(Property.class))
                    .sorted(Comparator.comparing(Method::getName))
                    .forEach(m -> SpecRules.idFromMethodName(m.getName()).ifPresent(id -> byRule
                            .computeIfAbsent(id, k -> new ArrayList<>()).add(check(kit, m, id))));
        }
        final StringBuilder out = new StringBuilder();
        out.append("| rule | level | title | profile | kit class | checks |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (final SpecRule rule : SpecRules.ALL) {
            final List<Check> checks = byRule.get(rule.id());
            final String classes = checks.stream().map(Check::kitClass).distinct().collect(Collectors.joining(", "));
            final String names = checks.stream()
                    .map(c -> "`" + c.name() + "`" + c.kind() + c.capabilities())
                    .collect(Collectors.joining("<br>"));
            out.append("| ").append(rule.id()).append(" | ").append(rule.level()).append(" | ")
                    .append(rule.title().replace("|", "\\|")).append(" | ")
                    .append(Profile.CORE.covers(rule) ? "CORE" : "CORE_AND_HTTP").append(" | ")
                    .append(classes).append(" | ").append(checks.size()).append(": ").append(names).append(" |\n");
        }
        return out.toString();
    }

    private static Check check(final Class<?> kit, final Method method, final String ruleId) {
        final String name = method.getName();
        final String prefix = "_spec_" + ruleId.replace('.', '_') + "_";
        final int cut = name.indexOf(prefix);
        final String shortName = cut < 0 || name.length() == cut + prefix.length()
                ? name : name.substring(cut + prefix.length());
        final String kind = name.startsWith("untested_") ? " (not checkable yet: always skipped)"
                : name.startsWith("optional_") ? " (optional)" : "";
        final RequiresCapability needs = method.getAnnotation(RequiresCapability.class);
        final String capabilities = needs == null ? ""
                : " [" + Arrays.stream(needs.value()).map(Enum::name).collect(Collectors.joining(", ")) + "]";
        return new Check(kit.getSimpleName(), shortName, kind, capabilities);
    }
}
