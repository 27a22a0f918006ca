package dev.flin.conformance.arch.samples.bad;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;

/** Breaks AGENTS_DO_NOT_WAIT_OR_NOTIFY: parks the agent thread on a monitor. */
public final class WaitingAgent implements Agent<String> {

    @Override
    public void onMessage(final String message, final AgentContext<String> context) throws InterruptedException {
        if (message.isEmpty()) {
            wait(10);
        }
        notifyAll();
    }
}
