package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * Fault: hands the id of a terminated agent to the next agent spawned (ids start at 1; freed ids
 * are reused last-freed first). A stale id, or a ref kept from the terminated agent's id, then
 * reaches a stranger: sends by id succeed, state and lookups answer for the new agent. Rule 3.8;
 * also 2.5 and 3.10 (a stale id is found).
 */
public final class ReusesIds extends IdTranslatingRuntime {

    /**
     * @param delegate the real runtime
     */
    public ReusesIds(final AgentRuntime delegate) {
        super(delegate, 1, true);
    }

    /** The kit against this fault. */
    public static final class Conformance extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return IdTranslatingRuntime.overCore(options, ReusesIds::new);
        }
    }
}
