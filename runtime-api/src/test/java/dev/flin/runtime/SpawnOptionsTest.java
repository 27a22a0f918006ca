package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SpawnOptions: name (rule 8.2), mailbox capacity (rule 2.1), restart policy (rule 4.2). */
class SpawnOptionsTest {

    @Test
    void shouldDefaultToNoNameDefaultCapacityAndNeverRestart() {
        final SpawnOptions d = SpawnOptions.defaults();
        assertNull(d.name());
        assertEquals(Optional.empty(), d.optionalName());
        assertEquals(0, d.mailboxCapacity(), "0 means the runtime default");
        assertSame(RestartPolicy.never(), d.restartPolicy());
        assertSame(DispatcherSelector.DEFAULT, d.dispatcher());
    }

    @Test
    void spec_1_7_dispatcherIsChosenAtSpawnAndNeverNull() {
        assertSame(DispatcherSelector.BLOCKING, SpawnOptions.defaults().withDispatcher(DispatcherSelector.BLOCKING).dispatcher());
        assertSame(DispatcherSelector.PINNED, SpawnOptions.defaults().withDispatcher(DispatcherSelector.PINNED).dispatcher());
        final NullPointerException viaWith = assertThrows(NullPointerException.class,
                () -> SpawnOptions.defaults().withDispatcher(null));
        assertTrue(viaWith.getMessage().contains("dispatcher"), viaWith.getMessage());
        assertThrows(NullPointerException.class, () -> new SpawnOptions(null, 0, RestartPolicy.never(), null));
        assertSame(DispatcherSelector.DEFAULT, new SpawnOptions("a", 4, RestartPolicy.never()).dispatcher(),
                "the 0.2 constructor places the agent on the default dispatcher");
        final SpawnOptions blocking = SpawnOptions.defaults().withDispatcher(DispatcherSelector.BLOCKING);
        assertSame(DispatcherSelector.BLOCKING, blocking.withName("n").withMailboxCapacity(8)
                .withRestartPolicy(RestartPolicy.always(Backoff.NONE)).dispatcher(), "the other withers keep it");
    }

    @Test
    void spec_2_1_capacityMustBePositiveWhenChosen() {
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.defaults().withMailboxCapacity(0));
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.defaults().withMailboxCapacity(-4));
        assertThrows(IllegalArgumentException.class, () -> new SpawnOptions(null, -1, RestartPolicy.never()));
        assertEquals(1, SpawnOptions.defaults().withMailboxCapacity(1).mailboxCapacity());
        assertEquals(1000, SpawnOptions.defaults().withMailboxCapacity(1000).mailboxCapacity(),
                "the options keep the request; rounding is the runtime's job");
    }

    @Test
    void spec_8_2_nameMustNotBeBlankOrNull() {
        assertThrows(NullPointerException.class, () -> SpawnOptions.defaults().withName(null));
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.defaults().withName(""));
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.defaults().withName("  \t"));
        assertEquals(Optional.of("worker"), SpawnOptions.defaults().withName("worker").optionalName());
    }

    @Test
    void spec_4_2_restartPolicyIsRequired() {
        assertThrows(NullPointerException.class, () -> new SpawnOptions("a", 0, null));
        final RestartPolicy always = RestartPolicy.always(Backoff.NONE);
        assertSame(always, SpawnOptions.defaults().withRestartPolicy(always).restartPolicy());
    }

    @Test
    void shouldReturnCopiesAndKeepOtherFields() {
        final RestartPolicy policy = RestartPolicy.onFailure(3, Duration.ofSeconds(1), Backoff.NONE);
        final SpawnOptions base = SpawnOptions.defaults();
        final SpawnOptions full = base.withName("n").withMailboxCapacity(64).withRestartPolicy(policy);
        assertNotSame(base, full);
        assertEquals(new SpawnOptions("n", 64, policy), full);
        assertEquals(SpawnOptions.defaults(), base, "the original is unchanged");
        assertEquals("n", full.withMailboxCapacity(8).name());
        assertEquals(64, full.withName("m").mailboxCapacity());
        assertTrue(full.withName("m").restartPolicy() == policy);
    }
}
