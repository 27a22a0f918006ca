package dev.flin.conformance;

import java.time.Duration;
import java.util.Objects;

/**
 * The kit's kinds of waiting, kept apart so slow machines do not make it flaky (peer lesson 8):
 * <ul>
 *   <li>{@code awaitSignal}: how long to wait for something that must happen. Generous: a correct
 *       runtime is never near it, it only bounds how long a broken one takes to fail.</li>
 *   <li>{@code expectNothing}: how long to watch for something that must not happen. A correct
 *       runtime passes whatever the value; a broken one is caught more often with a longer one.</li>
 *   <li>{@code fullWaitsPerRun} and {@code shortWait}: fail fast on a broken runtime. Once
 *       {@code fullWaitsPerRun} waits of a run (one verification class) have timed out, every later
 *       wait of that run gets {@code shortWait} instead of {@code awaitSignal}; and once a wait of a
 *       check has timed out, the check's later waits (other tries and shrinks of a property) get
 *       {@code shortWait} too. A correct runtime never times out, so it always waits the full
 *       {@code awaitSignal} and a slow machine does not make it flaky; a broken runtime pays the full
 *       wait a few times per run instead of once per wait. A failure after a short wait says so
 *       ("a short wait: this run already timed out N times; rerun this rule alone
 *       (-Dflin.kit.rules=N.M) for the full ..."): rerun that rule alone to see it with the full budget.</li>
 *   <li>{@code stopAfterTimeouts}: stop a run that is hopeless. Once that many waits of a run have
 *       timed out, its remaining checks are not run: each is reported skipped, with the reason
 *       ("not run: 10 waits of this run timed out ..."). Such a runtime fails the run already; what
 *       the rest would report is more of the same short timeouts.</li>
 * </ul>
 * Defaults: 10 s, 300 ms, 2, 300 ms and 10; override with {@code -Dflin.kit.awaitMillis=...},
 * {@code -Dflin.kit.quietMillis=...}, {@code -Dflin.kit.fullWaitsPerRun=...} (a large number
 * switches failing fast off), {@code -Dflin.kit.shortWaitMillis=...} and
 * {@code -Dflin.kit.stopAfterTimeouts=...} (a large number runs every check). The kit's properties do
 * not shrink unless they say so (a failing property re-run with every shrink would repeat its
 * waits; the failing sample is reported as generated).
 *
 * <p>Threading: an immutable value.
 *
 * @param awaitSignal     upper bound for waiting on something that must happen
 * @param expectNothing   how long to watch for something that must not happen
 * @param fullWaitsPerRun how many waits of a run may time out with the full {@code awaitSignal}
 *                        before later waits get {@code shortWait}
 * @param shortWait       the budget of a wait once the run or the check has timed out (never more
 *                        than {@code awaitSignal})
 * @param stopAfterTimeouts how many waits of a run may time out before its remaining checks are not
 *                        run (at least 1)
 */
public record KitTimeouts(Duration awaitSignal, Duration expectNothing, int fullWaitsPerRun, Duration shortWait,
                          int stopAfterTimeouts) {

    /** How many full-budget timeouts a run gets by default. */
    public static final int DEFAULT_FULL_WAITS_PER_RUN = 2;

    /** The default short wait. */
    public static final Duration DEFAULT_SHORT_WAIT = Duration.ofMillis(300);

    /** How many timed-out waits stop a run by default. */
    public static final int DEFAULT_STOP_AFTER_TIMEOUTS = 10;

    /** Checks arguments. */
    public KitTimeouts {
        Objects.requireNonNull(awaitSignal, "awaitSignal");
        Objects.requireNonNull(expectNothing, "expectNothing");
        Objects.requireNonNull(shortWait, "shortWait");
        if (awaitSignal.isNegative() || awaitSignal.isZero() || expectNothing.isNegative()) {
            throw new IllegalArgumentException("awaitSignal must be positive and expectNothing >= 0");
        }
        if (fullWaitsPerRun < 0 || shortWait.isNegative() || shortWait.isZero()) {
            throw new IllegalArgumentException("fullWaitsPerRun must be >= 0 and shortWait positive");
        }
        if (stopAfterTimeouts < 1) {
            throw new IllegalArgumentException("stopAfterTimeouts must be >= 1: " + stopAfterTimeouts);
        }
    }

    /**
     * The waits with the default run stop.
     *
     * @param awaitSignal     upper bound for waiting on something that must happen
     * @param expectNothing   how long to watch for something that must not happen
     * @param fullWaitsPerRun how many waits of a run may time out with the full {@code awaitSignal}
     * @param shortWait       the budget of a wait once the run or the check has timed out
     */
    public KitTimeouts(final Duration awaitSignal, final Duration expectNothing, final int fullWaitsPerRun,
                       final Duration shortWait) {
        this(awaitSignal, expectNothing, fullWaitsPerRun, shortWait, DEFAULT_STOP_AFTER_TIMEOUTS);
    }

    /**
     * The two waits, with the default fail-fast settings.
     *
     * @param awaitSignal   upper bound for waiting on something that must happen
     * @param expectNothing how long to watch for something that must not happen
     */
    public KitTimeouts(final Duration awaitSignal, final Duration expectNothing) {
        this(awaitSignal, expectNothing, DEFAULT_FULL_WAITS_PER_RUN, DEFAULT_SHORT_WAIT, DEFAULT_STOP_AFTER_TIMEOUTS);
    }

    /**
     * @return the defaults, overridden by the system properties {@code flin.kit.awaitMillis},
     *         {@code flin.kit.quietMillis}, {@code flin.kit.fullWaitsPerRun},
     *         {@code flin.kit.shortWaitMillis} and {@code flin.kit.stopAfterTimeouts}
     */
    public static KitTimeouts fromSystemProperties() {
        return new KitTimeouts(Duration.ofMillis(Long.getLong("flin.kit.awaitMillis", 10_000L)),
                Duration.ofMillis(Long.getLong("flin.kit.quietMillis", 300L)),
                Integer.getInteger("flin.kit.fullWaitsPerRun", DEFAULT_FULL_WAITS_PER_RUN),
                Duration.ofMillis(Long.getLong("flin.kit.shortWaitMillis", DEFAULT_SHORT_WAIT.toMillis())),
                Integer.getInteger("flin.kit.stopAfterTimeouts", DEFAULT_STOP_AFTER_TIMEOUTS));
    }
}
