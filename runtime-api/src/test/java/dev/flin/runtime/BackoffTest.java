package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rule 4.4: exponential backoff, min(max, initial * factor^n). */
class BackoffTest {

    private static long ms(final long millis) {
        return Duration.ofMillis(millis).toNanos();
    }

    @Test
    void spec_4_4_delaysDoubleFromInitialUpToMax() {
        final Backoff b = Backoff.exponential(Duration.ofMillis(10), Duration.ofMillis(100));
        assertEquals(2.0, b.factor());
        assertEquals(ms(10), b.delayNanos(0));
        assertEquals(ms(20), b.delayNanos(1));
        assertEquals(ms(40), b.delayNanos(2));
        assertEquals(ms(80), b.delayNanos(3));
        assertEquals(ms(100), b.delayNanos(4), "capped at max");
        assertEquals(ms(100), b.delayNanos(5));
    }

    @Test
    void spec_4_4_delaysNeverShrinkAndStayCappedForever() {
        final Backoff b = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(30), 1.5);
        long previous = -1;
        for (int n = 0; n < 200; n++) {
            final long delay = b.delayNanos(n);
            assertTrue(delay >= previous, "delay shrank at n=" + n);
            assertTrue(delay <= Duration.ofSeconds(30).toNanos(), "delay above max at n=" + n);
            previous = delay;
        }
        assertEquals(Duration.ofSeconds(30).toNanos(), b.delayNanos(Integer.MAX_VALUE), "no overflow for huge n");
    }

    @Test
    void spec_4_4_fractionalFactorGrowsAsDocumented() {
        final Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), 1.5);
        assertEquals(ms(100), b.delayNanos(0));
        assertEquals(ms(150), b.delayNanos(1));
        assertEquals(ms(225), b.delayNanos(2));
    }

    @Test
    void spec_4_4_factorOneIsAConstantDelay() {
        final Backoff b = new Backoff(Duration.ofMillis(7), Duration.ofMillis(7), 1.0);
        for (int n = 0; n < 10; n++) {
            assertEquals(ms(7), b.delayNanos(n));
        }
    }

    @Test
    void spec_4_4_noneMeansNoDelay() {
        for (int n = 0; n < 10; n++) {
            assertEquals(0, Backoff.NONE.delayNanos(n));
        }
        assertEquals(0, new Backoff(Duration.ZERO, Duration.ofSeconds(1), 2.0).delayNanos(5),
                "a zero initial delay stays zero");
    }

    @Test
    void spec_4_4_validatesItsArguments() {
        assertThrows(NullPointerException.class, () -> new Backoff(null, Duration.ofSeconds(1), 2));
        assertThrows(NullPointerException.class, () -> new Backoff(Duration.ZERO, null, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofMillis(-1), Duration.ofSeconds(1), 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2), "max below initial");
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofMillis(-1), 2));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0.99), "factor below 1");
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Double.NaN));
        assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class,
                () -> Backoff.exponential(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    }

    @Test
    void shouldValidateRestartPolicyArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> RestartPolicy.onFailure(-1, Duration.ofSeconds(1), Backoff.NONE));
        assertThrows(IllegalArgumentException.class,
                () -> RestartPolicy.onFailure(1, Duration.ZERO, Backoff.NONE));
        assertThrows(NullPointerException.class, () -> RestartPolicy.onFailure(1, null, Backoff.NONE));
        assertThrows(NullPointerException.class, () -> RestartPolicy.always(null));
        assertEquals(RestartPolicy.never(), SpawnOptions.defaults().restartPolicy(), "rule 4.2: never is the default");
    }
}
