package dev.flin.conformance.faulty;

import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;

/**
 * The matrix's controls: kits that must pass with the matrix's short timeouts, proving that a
 * failure of a faulty runtime comes from its fault, not from the wrapper or the timeouts.
 */
public final class Controls {

    private Controls() {
    }

    /** runtime-core itself, unwrapped. */
    public static final class Core extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return FlinRuntime.create(options);
        }
    }

    /**
     * runtime-core behind the forwarding machinery every fault uses, with id translation switched on
     * (ids from 1,000,001, never reused), so every hook and every translation is exercised.
     */
    public static final class Forwarding extends MatrixKit {
        @Override
        protected AgentRuntime createRuntime(final RuntimeOptions options) {
            return IdTranslatingRuntime.overCore(options, real -> new IdTranslatingRuntime(real, 1_000_001L, false));
        }
    }
}
