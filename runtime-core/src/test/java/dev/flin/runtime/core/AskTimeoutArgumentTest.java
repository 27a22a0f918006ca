package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An ask's timeout must be positive: zero and negative timeouts are refused before anything is sent. */
class AskTimeoutArgumentTest extends RuntimeTestSupport {

    record Req(int n, Reply<Integer> reply) {}

    @Test
    void aZeroOrNegativeTimeoutIsRefused() {
        final AgentRuntime rt = deterministic(21);
        final AgentRef<Req> echo = rt.spawn(Req.class, () -> (m, ctx) -> m.reply().reply(m.n()));
        assertThrows(IllegalArgumentException.class, () -> echo.<Integer>ask(r -> new Req(1, r), Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> echo.<Integer>ask(r -> new Req(1, r), Duration.ofMillis(-1)));
    }
}
