package dev.flin.conformance.arch;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agents of runtime-http (handler, WebSocket connection and background agents, and its
 * examples) and of the todo demo service pass every no-shared-state rule (issue 6, rule 1.5).
 *
 * <p>Three kinds of field type are accepted as immutable here that the structural rule cannot prove:
 * the HTTP value classes below (final classes with private final fields that copy their arrays and
 * collections in and out, and the handler and factory interfaces a service registers, whose
 * instances the API requires stateless or thread-safe); {@code Throwable}, a handler's failure handed to its agent once thrown
 * and never changed after (the API's own {@code AgentFailure} carries one the same way); and {@code List}/{@code Set}/{@code Map} fields, which these packages'
 * records fill only with {@code List.copyOf}, {@code Set.copyOf} or {@code Map.copyOf} in their
 * compact constructors (the rule's documented use of {@code alsoImmutable}).
 */
class HttpAgentsNoSharedStateTest {

    private static final Set<String> IMMUTABLE_HTTP_VALUES = Set.of(
            "dev.flin.http.HttpRequest", "dev.flin.http.HttpResponse", "dev.flin.http.HttpHandler",
            "dev.flin.http.Router", "dev.flin.http.Json", "dev.flin.http.JobHandler", "dev.flin.http.WebSocketHandler$Factory",
            "java.lang.Throwable");

    private static final DescribedPredicate<JavaClass> HTTP_VALUES = DescribedPredicate.describe(
            "immutable HTTP values " + IMMUTABLE_HTTP_VALUES + " or copied List/Set/Map",
            c -> IMMUTABLE_HTTP_VALUES.contains(c.getName())
                    || Set.of("java.util.List", "java.util.Set", "java.util.Map").contains(c.getName()));

    private static JavaClasses importPackages(final String... packages) {
        return new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(packages);
    }

    /**
     * The two envelopes that carry a user's value through a typed protocol: a background job ({@code J},
     * erased to {@code Object}) and a topic's event ({@code E}, rule 6.9). The rule cannot know those
     * types; rule 1.5 applies to them where the user declares them (their job and event classes), so
     * only these two fields, by name, are exempt: any other {@code Object} field still fails.
     */
    private static final Set<String> USER_VALUE_ENVELOPES = Set.of(
            "dev.flin.http.BackgroundWorker$RunJob.job", "dev.flin.http.internal.ws.ConnectionCommand$Event.event");

    @Test
    void httpModuleAndTodoServiceAgentsShareNoState() {
        final JavaClasses classes = importPackages("dev.flin.http", "dev.flin.todo");
        final List<ArchRule> rules = new ArrayList<>(NoSharedStateRules.all());
        rules.remove(NoSharedStateRules.MESSAGES_ARE_IMMUTABLE);
        rules.add(NoSharedStateRules.messagesAreImmutable(HTTP_VALUES));
        final com.tngtech.archunit.lang.EvaluationResult result = CompositeArchRule.of(rules).evaluate(classes)
                .filterDescriptionsMatching(line -> USER_VALUE_ENVELOPES.stream()
                        .noneMatch(field -> line.startsWith("field " + field + " ") && line.contains("java.lang.Object")));
        if (result.hasViolation()) {
            throw new AssertionError(String.join(System.lineSeparator(), result.getFailureReport().getDetails()));
        }
    }

    @Test
    void theEnvelopesExemptAboveAreStillFlaggedWithoutTheExemption() {
        // so the exemption stays narrow: if one of them stopped being flagged (renamed, retyped), say so
        final JavaClasses classes = importPackages("dev.flin.http");
        final String report = NoSharedStateRules.messagesAreImmutable(HTTP_VALUES).evaluate(classes).getFailureReport().toString();
        for (final String field : USER_VALUE_ENVELOPES) {
            if (!report.contains("field " + field + " ")) {
                throw new AssertionError(field + " is no longer flagged: remove it from USER_VALUE_ENVELOPES");
            }
        }
    }

    @Test
    void theImportSeesTheAgentsItChecks() {
        final JavaClasses classes = importPackages("dev.flin.http", "dev.flin.todo");
        final long agents = classes.stream().filter(NoSharedStateRules.AGENT_CLASSES).count();
        if (agents < 3) {
            throw new AssertionError("expected the handler, WebSocket and background agents (and the demo's) to be imported, found "
                    + agents + " agent classes: a check of nothing passes vacuously");
        }
    }
}
