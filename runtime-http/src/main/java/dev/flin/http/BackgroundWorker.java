package dev.flin.http;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-lived background agent for fire-and-forget work (rule 9.4): a handler
 * {@link #submit submits} a job and answers at once; the worker runs jobs one at a time, in order,
 * and publishes each {@link JobOutcome} on {@link #outcomes()}. A job that throws is an outcome,
 * not a crash: the worker goes on with the next job.
 *
 * <p>Threading: the handle is thread-safe; {@link #submit} never blocks.
 *
 * @param <J> the job type, an immutable value
 */
public final class BackgroundWorker<J> {

    private final String name;
    private final AgentRef<Command> ref;
    private final Topic<JobOutcome> outcomes;
    private final AtomicLong submitted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    private BackgroundWorker(final String name, final AgentRef<Command> ref, final Topic<JobOutcome> outcomes) {
        this.name = name;
        this.ref = ref;
        this.outcomes = outcomes;
    }

    /**
     * Spawns the worker agent, named {@code name}, with a mailbox of {@code capacity} jobs.
     *
     * @throws dev.flin.runtime.DuplicateAgentNameException if an agent already has that name
     */
    public static <J> BackgroundWorker<J> spawn(final AgentRuntime runtime, final String name, final Class<J> jobType,
            final JobHandler<J> handler, final int capacity) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(handler, "handler");
        final Topic<JobOutcome> topic = Topic.of("flin.http.jobs." + name, JobOutcome.class);
        final AgentRef<Command> ref = runtime.spawn(Command.class, () -> new WorkerAgent<>(name, jobType, handler, topic),
                SpawnOptions.defaults().withName(name).withMailboxCapacity(capacity)
                        .withRestartPolicy(RestartPolicy.never()));
        return new BackgroundWorker<>(name, ref, topic);
    }

    /**
     * Hands {@code job} to the worker without waiting.
     *
     * @return {@code false} if the worker's mailbox is full (answer 503), {@code true} once accepted
     * @throws NullPointerException if {@code job} is null
     * @throws dev.flin.runtime.AgentTerminatedException if the worker has stopped
     */
    public boolean submit(final J job) {
        final boolean accepted = ref.tryTell(new Command.Run(Objects.requireNonNull(job, "job")));
        (accepted ? submitted : rejected).incrementAndGet();
        return accepted;
    }

    /** @return the worker's counters, answered by the worker agent itself */
    public CompletionStage<JobCounters> counters(final Duration timeout) {
        final long sub = submitted.get();
        final long rej = rejected.get();
        return ref.<long[]>ask(Command.Count::new, timeout)
                .thenApply(done -> new JobCounters(sub, rej, done[0], done[1], Math.max(0, sub - done[0] - done[1])));
    }

    /** @return the topic each job's outcome is published on */
    public Topic<JobOutcome> outcomes() {
        return outcomes;
    }

    /** @return the worker agent's id */
    public AgentId id() {
        return ref.id();
    }

    /** @return the worker's name */
    public String name() {
        return name;
    }

    /** The worker agent's messages. */
    sealed interface Command permits Command.Run, Command.Count {
        /** Run a job (typed {@code Object} here; the agent checks it against the job type). */
        record Run(Object job) implements Command {
        }

        /** Answer {@code [succeeded, failed]}. */
        record Count(Reply<long[]> reply) implements Command {
        }
    }

    /** Runs jobs one at a time; owns its counters. */
    static final class WorkerAgent<J> implements Agent<Command> {
        private final String name;
        private final Class<J> jobType;
        private final JobHandler<J> handler;
        private final Topic<JobOutcome> topic;
        private long succeeded;
        private long failed;

        WorkerAgent(final String name, final Class<J> jobType, final JobHandler<J> handler, final Topic<JobOutcome> topic) {
            this.name = name;
            this.jobType = jobType;
            this.handler = handler;
            this.topic = topic;
        }

        @Override
        public void onMessage(final Command message, final AgentContext<Command> context) {
            if (message instanceof Command.Count count) {
                count.reply().reply(new long[] {succeeded, failed});
                return;
            }
            final Object job = ((Command.Run) message).job();
            final long start = System.nanoTime();
            String error = "";
            try {
                handler.run(jobType.cast(job));
                succeeded++;
            } catch (final Exception e) {
                failed++;
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            context.runtime().publish(topic, new JobOutcome(name, succeeded + failed, String.valueOf(job), error.isEmpty(),
                    error, Duration.ofNanos(System.nanoTime() - start)));
        }
    }
}
