package dev.flin.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/** Rule 4.2: the restart budget every runtime shares. */
class RestartWindowTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void neverRefusesAndAlwaysAllowsEveryRestart() {
        final RestartWindow never = new RestartWindow(RestartPolicy.never());
        final RestartWindow always = new RestartWindow(RestartPolicy.always(Backoff.NONE));
        for (int i = 0; i < 1_000; i++) {
            assertFalse(never.tryRestartAt(i));
            assertTrue(always.tryRestartAt(i));
        }
    }

    @Test
    void onFailureAllowsMaxRestartsWithinAnyWindowAndSlides() {
        final RestartWindow window = new RestartWindow(RestartPolicy.onFailure(2, Duration.ofSeconds(10), Backoff.NONE));
        assertTrue(window.tryRestartAt(0));
        assertTrue(window.tryRestartAt(SECOND));
        assertFalse(window.tryRestartAt(2 * SECOND), "a third restart within 10 s");
        assertFalse(window.tryRestartAt(10 * SECOND - 1), "the restart at 0 s is still inside");
        assertTrue(window.tryRestartAt(10 * SECOND), "the restart at 0 s has left the window");
        assertFalse(window.tryRestartAt(10 * SECOND + 1), "1 s and 10 s are inside");
        assertTrue(window.tryRestartAt(11 * SECOND), "the one at 1 s has left");
    }

    @Test
    void onFailureWithZeroRestartsStopsAtTheFirstFailure() {
        assertFalse(new RestartWindow(RestartPolicy.onFailure(0, Duration.ofSeconds(1), Backoff.NONE)).tryRestartAt(0));
    }

    @Test
    void aRefusedRestartIsNotCounted() {
        final RestartWindow window = new RestartWindow(RestartPolicy.onFailure(1, Duration.ofSeconds(10), Backoff.NONE));
        assertTrue(window.tryRestartAt(0));
        assertFalse(window.tryRestartAt(5 * SECOND));
        assertTrue(window.tryRestartAt(10 * SECOND), "only the restart at 0 s counted, not the refusal at 5 s");
    }

    @Test
    @SuppressWarnings("ConstantOverflow") // the clock's wrap is what this test is about
    void aClockThatWrapsStillMeasuresTheWindow() {
        final RestartWindow window = new RestartWindow(RestartPolicy.onFailure(1, Duration.ofSeconds(10), Backoff.NONE));
        final long beforeWrap = Long.MAX_VALUE - SECOND;
        assertTrue(window.tryRestartAt(beforeWrap));
        assertFalse(window.tryRestartAt(beforeWrap + 5 * SECOND), "5 s later, across the wrap");
        assertTrue(window.tryRestartAt(beforeWrap + 10 * SECOND), "10 s later, across the wrap");
    }

    @Test
    void windowsBeyondTheClockNeverForgetARestart() {
        for (final Duration huge : new Duration[] {Duration.ofSeconds(Long.MAX_VALUE), ChronoUnit.FOREVER.getDuration(),
                Duration.ofNanos(Long.MAX_VALUE)}) {
            final RestartWindow window = new RestartWindow(RestartPolicy.onFailure(1, huge, Backoff.NONE));
            assertTrue(window.tryRestartAt(0), huge.toString());
            assertFalse(window.tryRestartAt(Long.MAX_VALUE - 1), huge + ": the restart at 0 is still inside");
        }
    }

    @Test
    void aNullPolicyIsRefused() {
        assertThrows(NullPointerException.class, () -> new RestartWindow(null));
    }
}
