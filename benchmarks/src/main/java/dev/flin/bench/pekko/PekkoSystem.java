package dev.flin.bench.pekko;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * The one Pekko typed {@link ActorSystem} of one workload, and the driver's ways of waiting on it.
 *
 * <p>The system runs with Pekko's default configuration (default dispatcher: fork-join executor,
 * throughput 5; default unbounded mailbox), except that logging is quiet. Its user guardian is a
 * {@link Spawner}, to which the driver (the benchmark thread) sends spawn requests from outside with
 * {@code tell}, each carrying a {@link CompletableFuture} that the guardian completes.
 *
 * <p>Threading: used by the benchmark thread only; the actors run on the default dispatcher's
 * threads.
 */
final class PekkoSystem {

    /** The system's name in every report. */
    static final String SYSTEM = "pekko";
    /** How long the driver waits for any one thing the actors must do. */
    static final long DEADLINE_SECONDS = 60;
    /** How long {@link #close()} waits for the system to terminate. */
    static final long CLOSE_SECONDS = 30;
    /** How long a timed-out driver waits for answers to a progress query, to say what was reached. */
    private static final long PROGRESS_SECONDS = 1;

    private final String scenario;
    private final ActorSystem<Spawner.Command> system;

    private PekkoSystem(final String scenario) {
        this.scenario = scenario;
        // Pekko names its threads after the system: a name of its own lets close() find them.
        this.system = ActorSystem.create(Spawner.create(),
                "bench-" + scenario + "-" + Integer.toHexString(System.identityHashCode(this)), config());
    }

    /** @return the default configuration, with logging quiet; dispatcher and mailbox untouched */
    private static Config config() {
        return ConfigFactory.parseString("""
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off""")
                .withFallback(ConfigFactory.load());
    }

    /** The set-up of a workload on a new system: spawns its actors, returns the workload. */
    @FunctionalInterface
    interface SetUp<W> {
        W apply(PekkoSystem system) throws Exception;
    }

    /**
     * Starts a new actor system for {@code scenario} and sets the workload up on it; terminates the
     * system again when the set-up fails.
     *
     * @param scenario the scenario's name, as in the benchmarks
     * @param setUp    spawns the workload's actors and returns the workload
     * @param <W>      the workload
     * @return the workload
     * @throws IllegalStateException when the set-up fails (a checked cause, such as a
     *                               {@link TimeoutException}, is kept as the cause)
     */
    static <W> W build(final String scenario, final SetUp<W> setUp) {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(setUp, "setUp");
        final PekkoSystem system = new PekkoSystem(scenario);
        try {
            return setUp.apply(system);
        } catch (Exception | Error e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            try {
                system.close();
            } catch (Exception closing) {
                e.addSuppressed(closing);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(scenario + " on " + SYSTEM + " could not be set up: " + e, e);
        }
    }

    /** @return the scenario this system runs */
    String scenario() {
        return scenario;
    }

    /**
     * Asks the guardian to spawn a named actor as its child, and waits for its reference.
     *
     * @param behavior the actor's initial behavior
     * @param name     the actor's name, unique among the guardian's children
     * @param <T>      the actor's protocol
     * @return the new actor
     * @throws Exception when the guardian cannot spawn it, or not within the deadline
     */
    <T> ActorRef<T> spawn(final Behavior<T> behavior, final String name) throws Exception {
        final CompletableFuture<ActorRef<T>> spawned = new CompletableFuture<>();
        system.tell(new Spawner.Spawn<>(behavior, name, spawned));
        return await(spawned, scenario, () -> "actor '" + name + "' not spawned yet");
    }

    /**
     * Asks the guardian to spawn {@code count} anonymous actors that are never sent anything, and
     * waits until it has.
     *
     * @param count how many
     * @return how many the guardian spawned
     * @throws Exception when it did not within the deadline
     */
    int spawnIdle(final int count) throws Exception {
        final CompletableFuture<Integer> spawned = new CompletableFuture<>();
        system.tell(new Spawner.SpawnIdle(count, spawned));
        return await(spawned, scenario, () -> "a batch of " + count + " idle actors not spawned yet");
    }

    /**
     * Terminates the actor system (stopping every actor in it) and waits until it has terminated and
     * its threads (dispatchers, scheduler), which Pekko ends only after reporting termination, have
     * ended.
     *
     * @throws TimeoutException when they have not within {@value #CLOSE_SECONDS} s
     * @throws Exception        when termination failed
     */
    void close() throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_SECONDS);
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            final TimeoutException timeout = new TimeoutException(scenario + " on " + SYSTEM
                    + ": the actor system had not terminated " + CLOSE_SECONDS + " s after terminate()");
            timeout.initCause(e);
            throw timeout;
        }
        // A dispatcher may still start a worker while it winds down: look again until none is left.
        final String prefix = system.name() + "-";
        List<Thread> alive = threadsNamed(prefix);
        while (!alive.isEmpty()) {
            for (final Thread thread : alive) {
                final long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    final List<String> names = new ArrayList<>();
                    for (final Thread running : threadsNamed(prefix)) {
                        names.add(running.getName());
                    }
                    throw new TimeoutException(scenario + " on " + SYSTEM + ": threads still running "
                            + CLOSE_SECONDS + " s after terminate(): " + names);
                }
                thread.join(left);
            }
            alive = threadsNamed(prefix);
        }
    }

    /** @return the live threads whose names start with {@code prefix} */
    private static List<Thread> threadsNamed(final String prefix) {
        final List<Thread> named = new ArrayList<>();
        for (final Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().startsWith(prefix) && thread.isAlive()) {
                named.add(thread);
            }
        }
        return named;
    }

    /**
     * Waits for what the actors report, with the {@value #DEADLINE_SECONDS} s deadline.
     *
     * @param result  completed by an actor
     * @param scenario the scenario, for the timeout's message
     * @param reached describes, on expiry only, what was reached
     * @param <T>     the result
     * @return the result
     * @throws TimeoutException   naming the scenario, the system and what was reached, on expiry
     * @throws ExecutionException when an actor completed the result exceptionally
     */
    static <T> T await(final CompletableFuture<T> result, final String scenario, final Supplier<String> reached)
            throws Exception {
        try {
            return result.get(DEADLINE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            final TimeoutException timeout = new TimeoutException(scenario + " on " + SYSTEM + ": not complete after "
                    + DEADLINE_SECONDS + " s; reached: " + reached.get());
            timeout.initCause(e);
            throw timeout;
        }
    }

    /**
     * Waits for every one of {@code results} and sums them.
     *
     * @param results  one per reporting actor
     * @param scenario the scenario, for the timeout's message
     * @param unit     what the results count, for the timeout's message
     * @return the sum of the results
     * @throws TimeoutException naming how many reported and their sum so far, on expiry
     */
    static long awaitSum(final List<CompletableFuture<Long>> results, final String scenario, final String unit)
            throws Exception {
        await(CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])), scenario,
                () -> reported(results, unit));
        long sum = 0;
        for (final CompletableFuture<Long> result : results) {
            sum += result.join();
        }
        return sum;
    }

    /** @return how many of {@code results} are complete, and the sum of those */
    private static String reported(final List<CompletableFuture<Long>> results, final String unit) {
        int done = 0;
        long sum = 0;
        for (final CompletableFuture<Long> result : results) {
            if (result.isDone() && !result.isCompletedExceptionally()) {
                done++;
                sum += result.join();
            }
        }
        return done + " of " + results.size() + " actors reported, " + sum + " " + unit + " in total";
    }

    /**
     * Asks actors how far they got, for a timeout's message: sends each a progress query and sums
     * the answers that arrive within {@value #PROGRESS_SECONDS} s.
     *
     * @param actors the actors to ask
     * @param query  makes the query that carries the future the actor completes with its count
     * @param unit   what the counts count
     * @param <C>    the actors' protocol
     * @return what they answered
     */
    static <C> String progress(final List<ActorRef<C>> actors, final Function<CompletableFuture<Long>, C> query,
            final String unit) {
        final List<CompletableFuture<Long>> answers = new ArrayList<>(actors.size());
        for (final ActorRef<C> actor : actors) {
            final CompletableFuture<Long> answer = new CompletableFuture<>();
            answers.add(answer);
            actor.tell(query.apply(answer));
        }
        try {
            CompletableFuture.allOf(answers.toArray(new CompletableFuture<?>[0])).get(PROGRESS_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // Report the answers that did arrive.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int answered = 0;
        long sum = 0;
        for (final CompletableFuture<Long> answer : answers) {
            if (answer.isDone() && !answer.isCompletedExceptionally()) {
                answered++;
                sum += answer.join();
            }
        }
        return sum + " " + unit + " counted by the " + answered + " of " + actors.size()
                + " actors that answered a progress query within " + PROGRESS_SECONDS + " s";
    }
}
