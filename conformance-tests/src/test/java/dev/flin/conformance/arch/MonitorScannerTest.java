package dev.flin.conformance.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.flin.conformance.arch.samples.bad.SynchronizedBlockAgent;
import dev.flin.conformance.arch.samples.bad.SynchronizedMethodAgent;
import dev.flin.conformance.arch.samples.good.AccountAgent;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytecode scanner behind {@link NoSharedStateRules#AGENTS_HAVE_NO_SYNCHRONIZED_BLOCKS}. */
class MonitorScannerTest {

    private static byte[] classFile(final Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getName().substring(type.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Lookup and table switches, string switches, long and double constants (two pool slots each). */
    static final class Busy {
        long work(final int key, final String text) {
            long total = 1_234_567_890_123L;
            final double d = 3.25;
            switch (key) {
                case 1, 2, 3, 4 -> total += 1;
                default -> total += 2;
            }
            switch (text) {
                case "a" -> total += 3;
                case "zzz" -> total += 4;
                default -> total += (long) d;
            }
            final int[] many = new int[300];
            for (int i = 0; i < many.length; i++) {
                many[i] = i * key;
            }
            return total + many[key & 255];
        }

        void guarded() {
            synchronized (this) {
                work(1, "a");
            }
        }
    }

    @Test
    void findsTheBlockAndNotTheMethodModifier() throws IOException {
        assertEquals(List.of("onMessage(Ljava/lang/String;Ldev/flin/runtime/AgentContext;)V"),
                MonitorScanner.scan(classFile(SynchronizedBlockAgent.class)));
        assertEquals(List.of(), MonitorScanner.scan(classFile(SynchronizedMethodAgent.class)));
    }

    @Test
    void decodesSwitchesAndConstantsWithoutFalseHits() throws IOException {
        assertEquals(List.of("guarded()V"), MonitorScanner.scan(classFile(Busy.class)));
        assertEquals(List.of(), MonitorScanner.scan(classFile(AccountAgent.class)));
    }

    @Test
    void refusesWhatIsNotAClassFile() {
        assertThrows(IllegalArgumentException.class, () -> MonitorScanner.scan(new byte[] {1, 2, 3, 4}));
    }
}
