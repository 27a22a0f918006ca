package dev.flin.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The README's main job must keep working: every pattern shows up and the counters add up. */
class TourTest {

    @Test
    void tourShowsEveryPatternAndCountersAddUp() throws Exception {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final boolean ok;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            ok = Tour.run(out);
        }
        final String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, text);
        assertTrue(text.contains("dashboard saw 3 changes"), text);
        assertTrue(text.contains("mailer paused with 3 emails waiting"), text);
        assertTrue(text.contains("mailer resumed and sent 3"), text);
        assertTrue(text.contains("-> RESTART"), text);
        assertTrue(text.contains("AGAIN (instance #1"), text);
        assertTrue(text.contains("heartbeat: tick 3"), text);
        assertTrue(text.contains("terminated (STOPPED)"), text);
        assertTrue(text.contains("graceful: true"), text);
    }
}
