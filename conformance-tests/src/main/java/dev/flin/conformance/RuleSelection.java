package dev.flin.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules a run is limited to: {@code -Dflin.kit.rules=3.4,8} runs the checks of rule 3.4 and of
 * every rule of section 8 ({@code 8.*} says the same). Unset or blank: every rule. A selector that
 * names no rule of the spec is refused with the list of what it could have named, so a typo never
 * passes as a run of zero checks.
 *
 * <p>Threading: an immutable value.
 */
public final class RuleSelection {

    /** The system property that selects rules. */
    public static final String PROPERTY = "flin.kit.rules";

    private static final RuleSelection ALL = new RuleSelection("", List.of());

    private final String text;
    private final List<String> selectors;

    private RuleSelection(final String text, final List<String> selectors) {
        this.text = text;
        this.selectors = selectors;
    }

    /**
     * @param text a comma-separated list of rule ids ({@code 3.4}) and sections ({@code 8} or {@code 8.*});
     *             blank selects every rule
     * @return the selection
     * @throws IllegalArgumentException naming the selector that matches no rule of the spec
     */
    public static RuleSelection parse(final String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return ALL;
        }
        final List<String> selectors = new ArrayList<>();
        for (final String raw : text.split(",", -1)) {
            String selector = raw.trim();
            if (selector.endsWith(".*")) {
                selector = selector.substring(0, selector.length() - 2);
            }
            final String candidate = selector;
            if (SpecRules.ALL.stream().noneMatch(rule -> matches(candidate, rule.id()))) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + text + ": '" + raw.trim()
                        + "' names no rule of the spec; give rule ids such as 3.4 or sections such as 8 (or 8.*),"
                        + " separated by commas; the spec's sections are 1 to "
                        + Profile.section(SpecRules.ALL.get(SpecRules.ALL.size() - 1).id()));
            }
            selectors.add(candidate);
        }
        return new RuleSelection(text.trim(), List.copyOf(selectors));
    }

    /**
     * @return the selection of {@code -Dflin.kit.rules}
     * @throws IllegalArgumentException if it names no rule of the spec
     */
    public static RuleSelection fromSystemProperties() {
        return parse(System.getProperty(PROPERTY, ""));
    }

    /** @return whether every rule is selected */
    public boolean selectsAll() {
        return selectors.isEmpty();
    }

    /**
     * @param ruleId a rule id
     * @return whether the rule's checks run
     */
    public boolean selects(final String ruleId) {
        return selectors.isEmpty() || selectors.stream().anyMatch(s -> matches(s, ruleId));
    }

    /**
     * @param methodName a check's method name
     * @return whether it runs: it cites a selected rule (a method that cites none runs only when all do)
     */
    public boolean selectsCheck(final String methodName) {
        final Optional<String> rule = SpecRules.idFromMethodName(methodName);
        return rule.map(this::selects).orElse(selectors.isEmpty());
    }

    /** @return the selection as given, empty when every rule is selected */
    public String text() {
        return text;
    }

    private static boolean matches(final String selector, final String ruleId) {
        return selector.indexOf('.') >= 0 ? selector.equals(ruleId) : ruleId.startsWith(selector + ".");
    }

    @Override
    public String toString() {
        return selectors.isEmpty() ? "every rule" : "-D" + PROPERTY + "=" + text;
    }
}
