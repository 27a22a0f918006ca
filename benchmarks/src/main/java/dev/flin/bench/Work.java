package dev.flin.bench;

/**
 * The small, fixed computation some scenarios do per message, identical for every system.
 */
public final class Work {

    private Work() {
    }

    /**
     * Thirty-two rounds of xorshift, about as much work as Savina's fjthrput does per message.
     *
     * @param seed any value
     * @return a value that depends on every round, to be folded into the agent's state so the JIT
     *         cannot drop the work
     */
    public static long compute(final long seed) {
        long x = seed | 1L;
        for (int i = 0; i < 32; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }
}
