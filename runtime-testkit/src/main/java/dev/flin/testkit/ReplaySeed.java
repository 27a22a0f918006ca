package dev.flin.testkit;

/**
 * Attached (suppressed) to the failure of a deterministic test by {@link FlinTestKitExtension}: the
 * seed it ran with, and how to run it again with the same interleaving.
 *
 * <p>Threading: an immutable exception; it has no stack trace of its own.
 */
public final class ReplaySeed extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The seed. */
    private final long seed;

    /**
     * @param seed     the seed the failed test ran with
     * @param testName the test, for the message
     */
    public ReplaySeed(final long seed, final String testName) {
        super(testName + " ran on the deterministic dispatcher with seed " + seed + "; replay it with "
                + "@DeterministicRuntime(seed = " + seed + "L) or -D" + DeterministicRuntime.SEED_PROPERTY + "=" + seed,
                null, false, false);
        this.seed = seed;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }
}
