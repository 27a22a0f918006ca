package dev.flin.conformance.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.flin.conformance.arch.samples.bad.EnclosingStateAgents;
import dev.flin.conformance.arch.samples.bad.HoldsAnotherAgent;
import dev.flin.conformance.arch.samples.bad.LockingAgent;
import dev.flin.conformance.arch.samples.bad.MutableMessages;
import dev.flin.conformance.arch.samples.bad.PeekedAgent;
import dev.flin.conformance.arch.samples.bad.Peeker;
import dev.flin.conformance.arch.samples.bad.PublicFieldAgent;
import dev.flin.conformance.arch.samples.bad.StaticStateAgent;
import dev.flin.conformance.arch.samples.bad.SynchronizedBlockAgent;
import dev.flin.conformance.arch.samples.bad.SynchronizedMethodAgent;
import dev.flin.conformance.arch.samples.bad.WaitingAgent;
import dev.flin.conformance.arch.samples.good.AccountAgent;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link NoSharedStateRules} fires on a deliberately bad sample
 * ({@code samples.bad}) and passes on good code: the good samples ({@code samples.good}) and this
 * repository's example agents ({@code dev.flin.examples}).
 */
class NoSharedStateRulesTest {

    private static final JavaClasses BAD = new ClassFileImporter().importPackages("dev.flin.conformance.arch.samples.bad");
    private static final JavaClasses GOOD = new ClassFileImporter().importPackages("dev.flin.conformance.arch.samples.good");
    private static final JavaClasses EXAMPLES = new ClassFileImporter().importPackages("dev.flin.examples");

    /** Asserts the rule fails on the bad samples and names every given sample (or its text) in the failure. */
    private static void assertFires(final ArchRule rule, final String... mentioned) {
        final AssertionError failure = assertThrows(AssertionError.class, () -> rule.check(BAD),
                "the rule passed on the bad samples: " + rule.getDescription());
        for (final String text : mentioned) {
            assertTrue(failure.getMessage().contains(text), "the failure does not mention " + text + ":\n" + failure.getMessage());
        }
    }

    private static String name(final Class<?> type) {
        return type.getName();
    }

    @Test
    void agentsHaveNoMutableStaticFields_firesOnAStaticCounter() {
        assertFires(NoSharedStateRules.AGENTS_HAVE_NO_MUTABLE_STATIC_FIELDS, name(StaticStateAgent.class) + ".handledByAllInstances");
    }

    @Test
    void agentsHaveNoPublicMutableFields_firesOnAPublicCounter() {
        assertFires(NoSharedStateRules.AGENTS_HAVE_NO_PUBLIC_MUTABLE_FIELDS, name(PublicFieldAgent.class) + ".handled");
    }

    @Test
    void agentFieldsAreAccessedOnlyByTheirAgent_firesOnAnOutsideReader() {
        assertFires(NoSharedStateRules.AGENT_FIELDS_ARE_ACCESSED_ONLY_BY_THEIR_AGENT,
                name(PeekedAgent.class) + ".handled", name(Peeker.class));
    }

    @Test
    void agentsAccessOnlyTheirOwnMutableFields_firesOnEnclosingAndStaticState() {
        assertFires(NoSharedStateRules.AGENTS_ACCESS_ONLY_THEIR_OWN_MUTABLE_FIELDS,
                name(EnclosingStateAgents.class) + ".total", "mutable static state");
    }

    @Test
    void agentsDoNotHoldOtherAgents_firesOnAFieldOfAnAgentType() {
        assertFires(NoSharedStateRules.AGENTS_DO_NOT_HOLD_OTHER_AGENTS, name(HoldsAnotherAgent.class) + ".other");
    }

    @Test
    void agentsHaveNoSynchronizedMethods_firesOnASynchronizedOnMessage() {
        assertFires(NoSharedStateRules.AGENTS_HAVE_NO_SYNCHRONIZED_METHODS, name(SynchronizedMethodAgent.class) + ".onMessage");
    }

    @Test
    void agentsHaveNoSynchronizedBlocks_firesOnASynchronizedBlock_andOnlyThere() {
        assertFires(NoSharedStateRules.AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS,
                "agent " + name(SynchronizedBlockAgent.class) + " has a synchronized block in onMessage");
        final AssertionError failure = assertThrows(AssertionError.class,
                () -> NoSharedStateRules.AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS.check(BAD));
        // a synchronized method is not a block (another rule), and try/finally or a lock call is not either
        assertFalse(failure.getMessage().contains(name(SynchronizedMethodAgent.class) + " has"), failure.getMessage());
        assertFalse(failure.getMessage().contains(name(LockingAgent.class) + " has"), failure.getMessage());
    }

    @Test
    void agentsDoNotUseLocks_firesOnAReentrantLock() {
        assertFires(NoSharedStateRules.AGENTS_DO_NOT_USE_LOCKS, name(LockingAgent.class), "java.util.concurrent.locks.ReentrantLock");
    }

    @Test
    void agentsDoNotWaitOrNotify_firesOnWaitAndNotifyAll() {
        assertFires(NoSharedStateRules.AGENTS_DO_NOT_WAIT_OR_NOTIFY, name(WaitingAgent.class), "wait(long)", "notifyAll()");
    }

    @Test
    void messagesAreImmutable_firesOnEveryKindOfMutableMessage() {
        assertFires(NoSharedStateRules.MESSAGES_ARE_IMMUTABLE,
                name(MutableMessages.ListMessage.class) + ".items",
                name(MutableMessages.ArrayMessage.class) + ".data",
                name(MutableMessages.CounterMessage.class) + ".count",
                name(MutableMessages.OpenMessage.class) + " is neither a record",
                name(MutableMessages.Order.class) + ".note");
    }

    @Test
    void messagesAreImmutable_acceptsWhatTheUserDeclaresImmutable() {
        final ArchRule listsAccepted = NoSharedStateRules.messagesAreImmutable(JavaClass.Predicates.assignableTo(List.class));
        final AssertionError failure = assertThrows(AssertionError.class, () -> listsAccepted.check(BAD));
        assertFalse(failure.getMessage().contains(name(MutableMessages.ListMessage.class) + ".items"), failure.getMessage());
        assertTrue(failure.getMessage().contains(name(MutableMessages.ArrayMessage.class) + ".data"), failure.getMessage());
    }

    @Test
    void everyRulePassesOnTheGoodSamples() {
        for (final ArchRule rule : NoSharedStateRules.all()) {
            rule.check(GOOD);
        }
    }

    @Test
    void everyRulePassesOnThisRepositorysExampleAgents() {
        final List<String> agents = StreamSupport.stream(EXAMPLES.spliterator(), false)
                .filter(NoSharedStateRules.AGENT_CLASSES).map(JavaClass::getName).collect(Collectors.toList());
        assertTrue(agents.size() >= 6, "the examples' agent classes were imported: " + agents);
        for (final ArchRule rule : NoSharedStateRules.all()) {
            rule.check(EXAMPLES);
        }
    }

    @Test
    void theMessageSelectionFindsTheExamplesMessagesAndTheGoodSamplesSealedRecords() {
        final List<String> examples = names(NoSharedStateRules.MESSAGE_CLASSES.transform(EXAMPLES));
        assertTrue(examples.contains("dev.flin.examples.Tour$Save"), examples.toString());
        assertTrue(examples.contains("dev.flin.examples.Tour$Tick"), examples.toString());
        assertTrue(examples.contains("dev.flin.examples.ReadmeExample$Greet"), examples.toString());
        final List<String> good = names(NoSharedStateRules.MESSAGE_CLASSES.transform(GOOD));
        assertTrue(good.contains("dev.flin.conformance.arch.samples.good.AccountMessage$Kind"), good.toString());
        assertFalse(good.contains(name(AccountAgent.class)), good.toString());
    }

    @Test
    void allListsEveryRule() {
        assertEquals(10, NoSharedStateRules.all().size());
    }

    private static List<String> names(final Iterable<JavaClass> classes) {
        return StreamSupport.stream(classes.spliterator(), false).map(JavaClass::getName).sorted().collect(Collectors.toList());
    }
}
