package dev.flin.conformance;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How long the next wait of a check may take: the full {@link KitTimeouts#awaitSignal()}, or the
 * short {@link KitTimeouts#shortWait()} once the run has seen {@link KitTimeouts#fullWaitsPerRun()}
 * waits time out, or once the same check (any try of a property) has seen one. A correct runtime
 * never times out, so it always gets the full budget; a badly broken one pays the full budget a few
 * times per run, not once per wait.
 *
 * <p>One {@link Run} per verification class and run (kept in jqwik's store by {@link KitChecksHook}),
 * one {@link Check} per check (all its tries and shrinks). Threading: counts are atomics; any
 * thread of a check may wait and time out.
 */
public final class KitWaits {

    private final KitTimeouts timeouts;
    private final Check check;

    /**
     * @param timeouts the provider's timeouts
     * @param check    the current check's accounting
     */
    public KitWaits(final KitTimeouts timeouts, final Check check) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.check = Objects.requireNonNull(check, "check");
    }

    /** @return the budget of a wait starting now */
    public Budget next() {
        final int runTimeouts = check.run().timeouts.get();
        final int checkTimeouts = check.timeouts.get();
        if (checkTimeouts > 0) {
            return new Budget(shortest(), "a short wait: this check already timed out " + times(checkTimeouts)
                    + " in an earlier try or wait; " + rerunHint());
        }
        if (runTimeouts >= timeouts.fullWaitsPerRun()) {
            return new Budget(shortest(), "a short wait: this run already timed out " + times(runTimeouts) + "; "
                    + rerunHint());
        }
        return new Budget(timeouts.awaitSignal(), "");
    }

    /**
     * Counts a wait that timed out, for the check and for the run; the run's
     * {@link KitTimeouts#stopAfterTimeouts()}-th stops it ({@link Run#stopReason()}).
     */
    public void timedOut() {
        check.timeouts.incrementAndGet();
        final Run run = check.run();
        run.timedOutIn(check.name());
        final int n = run.timeouts.incrementAndGet();
        if (n >= timeouts.stopAfterTimeouts()) {
            run.stop(n, timeouts.stopAfterTimeouts());
        }
    }

    private Duration shortest() {
        return timeouts.shortWait().compareTo(timeouts.awaitSignal()) < 0 ? timeouts.shortWait() : timeouts.awaitSignal();
    }

    private String rerunHint() {
        final String method = check.name().substring(check.name().indexOf('#') + 1);
        final String rules = SpecRules.idFromMethodName(method).map(id -> " -D" + RuleSelection.PROPERTY + "=" + id).orElse("");
        return "rerun this rule alone (" + (rules.isEmpty() ? check.name() : rules.trim()) + ") for the full " + timeouts.awaitSignal();
    }

    private static String times(final int n) {
        return n == 1 ? "once" : n + " times";
    }

    /**
     * The budget of one wait.
     *
     * @param limit how long it may take
     * @param note  empty for the full budget; else why it is short, for the failure message
     */
    public record Budget(Duration limit, String note) {
        /** Checks arguments. */
        public Budget {
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(note, "note");
        }

        /** @return whether this is a shortened wait */
        public boolean isShort() {
            return !note.isEmpty();
        }

        /**
         * @param what what was awaited
         * @return the failure message of a wait that timed out
         */
        public String timedOut(final String what) {
            return "timed out after " + limit + (isShort() ? " (" + note + ")" : "") + " waiting for: " + what;
        }
    }

    /** The timed-out waits of one verification class in one run. Threading: thread-safe. */
    public static final class Run {
        private static final int NAMED = 3;

        private final AtomicInteger timeouts = new AtomicInteger();
        /** The first few checks that timed out, for the stop's reason; guarded by itself. */
        private final Set<String> firstTimedOut = new LinkedHashSet<>();
        private final AtomicReference<String> stopReason = new AtomicReference<>();

        /** @return how many waits of the run timed out so far */
        public int timeouts() {
            return timeouts.get();
        }

        /**
         * @return why the run's remaining checks are not run, or empty while it goes on (the reason
         *     is set once, by the wait that reached {@link KitTimeouts#stopAfterTimeouts()})
         */
        public Optional<String> stopReason() {
            return Optional.ofNullable(stopReason.get());
        }

        private void timedOutIn(final String check) {
            synchronized (firstTimedOut) {
                if (firstTimedOut.size() < NAMED) {
                    firstTimedOut.add(check.substring(check.indexOf('#') + 1));
                }
            }
        }

        private void stop(final int n, final int limit) {
            final String first;
            synchronized (firstTimedOut) {
                first = String.join(", ", firstTimedOut);
            }
            stopReason.compareAndSet(null, "not run: " + n + " waits of this run timed out (the first in " + first
                    + "), so the runtime is too broken for more checks to say more; fix the first failures, rerun"
                    + " a rule alone (-D" + RuleSelection.PROPERTY + "=N.M), or set -Dflin.kit.stopAfterTimeouts="
                    + Math.max(1000, limit * 100) + " to run every check");
        }
    }

    /** The timed-out waits of one check (all tries and shrinks of a property). Threading: thread-safe. */
    public static final class Check {
        private final Run run;
        private final String name;
        private final AtomicInteger timeouts = new AtomicInteger();

        /**
         * @param run  the run it belongs to
         * @param name {@code Class#method}, for the rerun hint
         */
        public Check(final Run run, final String name) {
            this.run = Objects.requireNonNull(run, "run");
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @return the run */
        public Run run() {
            return run;
        }

        /** @return {@code Class#method} */
        public String name() {
            return name;
        }

        /** @return how many waits of the check timed out so far */
        public int timeouts() {
            return timeouts.get();
        }
    }
}
