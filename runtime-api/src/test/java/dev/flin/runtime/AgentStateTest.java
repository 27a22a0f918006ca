package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rule 3.1: the exact set of legal lifecycle edges. */
class AgentStateTest {

    /** The legal edges, written out independently of the implementation. */
    private static final Set<String> LEGAL = Set.of(
            "STARTING->STARTING",      // onStart failed and the policy restarts (rule 4.6)
            "STARTING->RUNNING",       // onStart ok
            "STARTING->PAUSED",        // onStart ok while a pause was requested
            "STARTING->SHUTTING_DOWN", // stop during start/backoff, or the policy gives up
            "RUNNING->PAUSED",
            "RUNNING->STARTING",       // restart
            "RUNNING->SHUTTING_DOWN",
            "PAUSED->RUNNING",
            "PAUSED->STARTING",        // restart of a paused agent
            "PAUSED->SHUTTING_DOWN",
            "SHUTTING_DOWN->TERMINATED");

    @Test
    void spec_3_1_canTransitionToAllowsExactlyTheLegalEdges() {
        final Set<String> allowed = new LinkedHashSet<>();
        for (final AgentState from : AgentState.values()) {
            for (final AgentState to : AgentState.values()) {
                if (from.canTransitionTo(to)) {
                    allowed.add(from + "->" + to);
                }
            }
        }
        assertEquals(LEGAL, allowed);
        assertEquals(11, allowed.size());
    }

    @Test
    void spec_3_1_terminatedHasNoWayOut() {
        for (final AgentState to : AgentState.values()) {
            assertFalse(AgentState.TERMINATED.canTransitionTo(to), "TERMINATED->" + to);
        }
    }

    @Test
    void spec_3_1_onlyTerminatedIsTerminal() {
        for (final AgentState s : AgentState.values()) {
            assertEquals(s == AgentState.TERMINATED, s.isTerminal(), s.toString());
        }
    }

    @Test
    void spec_3_1_terminatedIsReachedOnlyThroughShuttingDown() {
        final Set<AgentState> into = EnumSet.noneOf(AgentState.class);
        for (final AgentState from : AgentState.values()) {
            if (from.canTransitionTo(AgentState.TERMINATED)) {
                into.add(from);
            }
        }
        assertEquals(EnumSet.of(AgentState.SHUTTING_DOWN), into);
        // and SHUTTING_DOWN leads nowhere else
        for (final AgentState to : AgentState.values()) {
            assertEquals(to == AgentState.TERMINATED, AgentState.SHUTTING_DOWN.canTransitionTo(to), "to " + to);
        }
    }

    @Test
    void spec_3_1_lifecycleEventRefusesAnIllegalEdge() {
        final AgentId id = new AgentId(3);
        for (final AgentState from : AgentState.values()) {
            for (final AgentState to : AgentState.values()) {
                if (LEGAL.contains(from + "->" + to)) {
                    final LifecycleEvent e = new LifecycleEvent(id, from, to);
                    assertEquals(from, e.from());
                    assertEquals(to, e.to());
                } else {
                    final IllegalLifecycleTransitionException ex = assertThrows(
                            IllegalLifecycleTransitionException.class, () -> new LifecycleEvent(id, from, to));
                    assertEquals("3.1", ex.rule());
                    assertTrue(ex.getMessage().contains(from + " to " + to), ex.getMessage());
                }
            }
        }
    }
}
