package dev.flin.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import net.jqwik.api.Example;

/**
 * Checks of section 1 of {@code docs/spec.md}: Agents and isolation. One method or more per rule,
 * named {@code required_spec_1_M_...} (MUST), {@code optional_spec_1_M_...} (SHOULD/MAY) or
 * {@code untested_spec_1_M_...} (not checkable yet: always reported as skipped).
 */
public interface AgentRules extends KitSupport {

    @Example
    default void required_spec_1_1_callbacksOfOneAgentNeverOverlap() throws Exception {
        final Kit kit = kit();
        final Recorder<Integer> probe = kit.recorder(Integer.class);
        final int senders = 4;
        final int each = 500;
        final java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        for (int s = 0; s < senders; s++) {
            futures.add(kit.fork(() -> {
                for (int i = 0; i < each; i++) {
                    while (true) {
                        try {
                            probe.ref().tell(i);
                            break;
                        } catch (dev.flin.runtime.MailboxFullException full) {
                            Thread.onSpinWait();
                        }
                    }
                }
            }));
        }
        for (final java.util.concurrent.Future<?> f : futures) {
            f.get();
        }
        probe.awaitCount(senders * each);
        assertFalse(probe.overlapSeen(), "two callbacks of one agent ran at the same time");
        assertEquals(senders * each, probe.count());
    }
}
