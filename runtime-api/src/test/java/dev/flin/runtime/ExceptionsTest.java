package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The typed error model: every error names what was wrong and cites its rule. */
class ExceptionsTest {

    private static final AgentId ID = new AgentId(7);

    private static void assertCites(final FlinException e, final String rule) {
        assertEquals(rule, e.rule());
        assertTrue(e.getMessage().endsWith("[rule " + rule + "]"), e.getMessage());
        assertNull(e.getCause());
    }

    private static void assertNamesAgent(final FlinException e, final AgentId agent) {
        assertTrue(e.getMessage().contains(agent.toString()), e.getMessage());
    }

    @Test
    void spec_2_5_agentNotFoundNamesTheAgentAndCitesItsRule() {
        final AgentNotFoundException e = new AgentNotFoundException(ID);
        assertCites(e, "2.5");
        assertNamesAgent(e, ID);
        assertSame(ID, e.agent());
    }

    @Test
    void spec_2_2_mailboxFullNamesTheAgentAndCapacityAndCarriesNoStackTrace() {
        final MailboxFullException e = new MailboxFullException(ID, 256);
        assertCites(e, "2.2");
        assertNamesAgent(e, ID);
        assertTrue(e.getMessage().contains("256"), e.getMessage());
        assertEquals(256, e.capacity());
        assertSame(ID, e.agent());
        assertEquals(0, e.getStackTrace().length, "hot-path error: no stack trace");
        assertEquals("agent-7 mailbox is full (capacity 256) [rule 2.2]", e.getMessage());
    }

    @Test
    void spec_2_6_messageTypeNamesTheAgentAndBothTypes() {
        final MessageTypeException e = new MessageTypeException(ID, String.class, Integer.class);
        assertCites(e, "2.6");
        assertNamesAgent(e, ID);
        assertTrue(e.getMessage().contains(String.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.class.getName()), e.getMessage());
    }

    @Test
    void spec_5_2_askTimeoutNamesTheTargetAndRequestType() {
        final AskTimeoutException e = new AskTimeoutException(ID, StringBuilder.class, Duration.ofMillis(250));
        assertCites(e, "5.2");
        assertNamesAgent(e, ID);
        assertTrue(e.getMessage().contains(StringBuilder.class.getName()), e.getMessage());
        assertSame(ID, e.target());
        assertEquals(StringBuilder.class, e.requestType());
        assertEquals(Duration.ofMillis(250), e.timeout());
    }

    @Test
    void spec_5_7_agentTerminatedNamesTheAgent() {
        final AgentTerminatedException e = new AgentTerminatedException(ID);
        assertCites(e, "5.7");
        assertNamesAgent(e, ID);
        assertSame(ID, e.agent());
    }

    @Test
    void spec_3_1_illegalTransitionNamesTheAgentAndBothStates() {
        final IllegalLifecycleTransitionException e =
                new IllegalLifecycleTransitionException(ID, AgentState.TERMINATED, AgentState.RUNNING);
        assertCites(e, "3.1");
        assertNamesAgent(e, ID);
        assertTrue(e.getMessage().contains("TERMINATED") && e.getMessage().contains("RUNNING"), e.getMessage());
    }

    @Test
    void spec_8_2_duplicateNameNamesTheNameAndTheOwner() {
        final DuplicateAgentNameException e = new DuplicateAgentNameException("billing", ID);
        assertCites(e, "8.2");
        assertNamesAgent(e, ID);
        assertTrue(e.getMessage().contains("'billing'"), e.getMessage());
    }

    @Test
    void spec_8_6_runtimeStoppedNamesTheRefusedOperation() {
        // not about one agent: it names the operation instead
        final RuntimeStoppedException e = new RuntimeStoppedException("send to " + ID);
        assertCites(e, "8.6");
        assertTrue(e.getMessage().contains("send to " + ID), e.getMessage());
    }

    @Test
    void spec_8_9_agentThreadCallNamesTheOperationAndTheAgent() {
        final AgentThreadCallException e = new AgentThreadCallException("shutdown", ID);
        assertCites(e, "8.9");
        assertNamesAgent(e, ID);
        assertEquals(ID, e.agent());
        assertEquals("shutdown", e.operation());
        assertTrue(e.getMessage().startsWith("shutdown()"), e.getMessage());
    }

    @Test
    void spec_1_4_contextOutsideAgentNamesTheMethodTheAgentAndTheThread() {
        final ContextOutsideAgentException e = new ContextOutsideAgentException("stop", ID, "main");
        assertTrue(e instanceof IllegalStateException, "rule 7.6 asks timers for an IllegalStateException: same family");
        assertEquals("1.4", e.rule());
        assertTrue(e.getMessage().endsWith("[rule 1.4]"), e.getMessage());
        assertTrue(e.getMessage().startsWith("context.stop() of agent-7 called on thread 'main'"), e.getMessage());
        assertEquals("stop", e.operation());
        assertSame(ID, e.agent());
        assertEquals("main", e.callingThread());
        assertNull(e.getCause());
    }

    @Test
    void shouldCoverEveryPermittedSubclassOfTheSealedRoot() {
        final Set<String> permitted = Arrays.stream(FlinException.class.getPermittedSubclasses())
                .map(Class::getSimpleName).collect(Collectors.toSet());
        assertEquals(Set.of("AgentNotFoundException", "MailboxFullException", "AskTimeoutException",
                "RuntimeStoppedException", "IllegalLifecycleTransitionException", "MessageTypeException",
                "DuplicateAgentNameException", "AgentTerminatedException", "AgentThreadCallException"), permitted,
                "a new typed error needs a test here");
        for (final Class<?> c : FlinException.class.getPermittedSubclasses()) {
            assertTrue(RuntimeException.class.isAssignableFrom(c), c + " must be unchecked");
        }
    }

    @Test
    void shouldValidateAgentIds() {
        assertThrows(IllegalArgumentException.class, () -> new AgentId(0));
        assertThrows(IllegalArgumentException.class, () -> new AgentId(-5));
        assertEquals("agent-7", ID.toString());
        assertTrue(new AgentId(2).compareTo(new AgentId(10)) < 0);
    }
}
