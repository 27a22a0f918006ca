package dev.flin.conformance;

import dev.flin.conformance.simple.ThreadPerAgentRuntime;

/**
 * Runs the kit against the deliberately simple second implementation (one platform thread per agent
 * over java.util.concurrent queues), plugged in exactly as docs/conformance.md says.
 */
class ThreadPerAgentRuntimeConformanceVerification extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return ThreadPerAgentRuntime::create;
    }
}
