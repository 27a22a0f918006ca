package dev.flin.runtime.core.spi;

import java.util.concurrent.locks.LockSupport;

/**
 * What a worker thread does when it finds no agent to run. Borrowed in shape from Agrona.
 *
 * <p>Threading: one instance per worker thread (use {@link #copy()}); called by that thread only.
 */
public interface IdleStrategy {

    /**
     * Called after a round that found no work.
     *
     * @param idleRounds how many empty rounds in a row, from 1
     */
    void idle(int idleRounds);

    /**
     * @param idleRounds the value the next {@link #idle} call gets
     * @return whether that call parks the thread. A worker announces itself as parked (so that new
     *         work unparks it) only for such rounds: announcing it for spinning or yielding rounds
     *         made every submission pay an {@code unpark}, a system call, for a worker that was
     *         awake anyway.
     */
    boolean parks(int idleRounds);

    /**
     * @return a fresh instance with the same settings, for another worker thread
     */
    IdleStrategy copy();

    /** @return spin forever: lowest latency, burns a core per worker */
    static IdleStrategy busySpin() {
        return new BusySpin();
    }

    /** @return yield the CPU on every empty round */
    static IdleStrategy yielding() {
        return new Yielding();
    }

    /**
     * @param spins   empty rounds spent spinning first
     * @param yields  then rounds spent yielding
     * @param maxPark then park, up to this many nanoseconds (woken early by new work)
     * @return spin, then yield, then park
     */
    static IdleStrategy backoff(final int spins, final int yields, final long maxPark) {
        return new Backoff(spins, yields, maxPark);
    }

    /** @return park at once until woken by new work (lowest CPU use, highest wake-up latency) */
    static IdleStrategy parking() {
        return new Backoff(0, 0, 50_000_000L);
    }

    /** Spins with {@link Thread#onSpinWait()}. */
    record BusySpin() implements IdleStrategy {
        @Override
        public void idle(final int idleRounds) {
            Thread.onSpinWait();
        }

        @Override
        public boolean parks(final int idleRounds) {
            return false;
        }

        @Override
        public IdleStrategy copy() {
            return this;
        }
    }

    /** Yields. */
    record Yielding() implements IdleStrategy {
        @Override
        public void idle(final int idleRounds) {
            Thread.yield();
        }

        @Override
        public boolean parks(final int idleRounds) {
            return false;
        }

        @Override
        public IdleStrategy copy() {
            return this;
        }
    }

    /**
     * Spin, then yield, then park with a doubling timeout up to {@code maxParkNanos}.
     *
     * @param spins        rounds to spin
     * @param yields       rounds to yield
     * @param maxParkNanos longest park
     */
    record Backoff(int spins, int yields, long maxParkNanos) implements IdleStrategy {
        /**
         * Checks arguments.
         *
         * @param spins        rounds to spin
         * @param yields       rounds to yield
         * @param maxParkNanos longest park
         */
        public Backoff {
            if (spins < 0 || yields < 0 || maxParkNanos < 1000) {
                throw new IllegalArgumentException("spins, yields >= 0 and maxParkNanos >= 1000 needed");
            }
        }

        @Override
        public void idle(final int idleRounds) {
            if (idleRounds <= spins) {
                Thread.onSpinWait();
            } else if (idleRounds <= spins + yields) {
                Thread.yield();
            } else {
                final int shift = Math.min(idleRounds - spins - yields, 20);
                LockSupport.parkNanos(Math.min(maxParkNanos, 1000L << shift));
            }
        }

        @Override
        public boolean parks(final int idleRounds) {
            return idleRounds > spins + yields;
        }

        @Override
        public IdleStrategy copy() {
            return this;
        }
    }
}
