package dev.flin.http;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentId;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.Backoff;
import dev.flin.runtime.Reply;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.DispatcherSelector;
import dev.flin.runtime.SpawnOptions;
import dev.flin.runtime.Topic;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-lived background agent for fire-and-forget work (rule 9.4): a handler
 * {@link #submit submits} a job and answers at once (say 202); the worker runs jobs one at a time,
 * in the order they were accepted from each submitter (rule 2.3), and publishes each
 * {@link JobOutcome} on {@link #outcomes()}. A job that throws is an outcome, not a crash: the
 * worker goes on with the next job. Only a {@link VirtualMachineError} (out of memory, stack
 * overflow) fails the worker agent itself; it is then restarted (with backoff), the failure is
 * published on {@code SystemTopics.FAILURES}, that job is not retried (rule 4.3), and the jobs
 * queued behind it run on the new instance.
 *
 * <p>Observability: {@link #outcomes()} per job, {@link #counters} in total. The counts survive
 * restarts of the worker agent; they are exact at quiescence, and
 * {@code submitted == succeeded + failed + queued} always.
 *
 * <p>Threading: the handle is thread-safe and may be shared; {@link #submit} never blocks. A
 * {@link #submit} that returned {@code true} happens-before the job runs (rule 1.2). The job
 * handler runs on the worker agent's thread, one job at a time.
 *
 * @param <J> the job type, an immutable value (rule 1.5)
 */
public final class BackgroundWorker<J> {

    private static final Backoff RESTART_BACKOFF = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(1));

    private final String name;
    private final Class<J> jobType;
    private final AgentRuntime runtime;
    private final AgentRef<WorkerCommand> ref;
    private final Topic<JobOutcome> outcomes;
    private final Tally tally;

    private BackgroundWorker(final String name, final Class<J> jobType, final AgentRuntime runtime, final AgentRef<WorkerCommand> ref,
            final Topic<JobOutcome> outcomes, final Tally tally) {
        this.name = name;
        this.jobType = jobType;
        this.runtime = runtime;
        this.ref = ref;
        this.outcomes = outcomes;
        this.tally = tally;
    }

    /**
     * Spawns the worker agent, named {@code name}, with a mailbox of {@code capacity} jobs, on the
     * runtime's blocking dispatcher ({@code DispatcherSelector.BLOCKING}, rule 1.7): a job may block
     * (send mail, call a slow service) without holding a shared worker or an event loop. Its
     * outcomes are published on the topic {@code flin.http.jobs.<name>}.
     *
     * @throws dev.flin.runtime.DuplicateAgentNameException if an agent already has that name
     * @throws dev.flin.runtime.RuntimeStoppedException    if the runtime is shut down
     * @throws IllegalArgumentException                     if {@code capacity < 1} or the name is blank
     */
    public static <J> BackgroundWorker<J> spawn(final AgentRuntime runtime, final String name, final Class<J> jobType,
            final JobHandler<J> handler, final int capacity) {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(jobType, "jobType");
        Objects.requireNonNull(handler, "handler");
        final SpawnOptions options = SpawnOptions.defaults().withName(name).withMailboxCapacity(capacity)
                .withRestartPolicy(RestartPolicy.always(RESTART_BACKOFF))
                .withDispatcher(DispatcherSelector.BLOCKING); // jobs send mail, write files: they block (rule 1.7)
        final Topic<JobOutcome> topic = Topic.of("flin.http.jobs." + name, JobOutcome.class);
        final Tally tally = new Tally();
        final AgentRef<WorkerCommand> ref = runtime.spawn(WorkerCommand.class, () -> new WorkerAgent<>(name, jobType, handler, topic, tally),
                options);
        return new BackgroundWorker<>(name, jobType, runtime, ref, topic, tally);
    }

    /**
     * Hands {@code job} to the worker without waiting (rule 2.2: never blocks).
     *
     * @return {@code true} once accepted; {@code false} if the worker's mailbox is full (answer 503)
     * @throws NullPointerException                       if {@code job} is null
     * @throws IllegalArgumentException                   if {@code job} is not a {@code J} (a raw-typed caller)
     * @throws dev.flin.runtime.AgentNotFoundException   if the worker has been stopped
     * @throws dev.flin.runtime.RuntimeStoppedException  if the runtime is shut down
     */
    public boolean submit(final J job) {
        Objects.requireNonNull(job, "job");
        if (!jobType.isInstance(job)) {
            throw new IllegalArgumentException("worker '" + name + "' runs jobs of type " + jobType.getName()
                    + ", not " + job.getClass().getName());
        }
        // Counted before the send, so that a job can never be done before it is counted submitted.
        tally.submitted.incrementAndGet();
        final boolean accepted;
        try {
            accepted = ref.tryTell(new RunJob(job));
        } catch (final RuntimeException refused) {
            tally.submitted.decrementAndGet();
            throw refused;
        }
        if (!accepted) {
            tally.submitted.decrementAndGet();
            tally.rejected.incrementAndGet();
        }
        return accepted;
    }

    /**
     * Asks the worker for its counters. The answer comes after every job this thread submitted
     * before the call has run (rule 2.3).
     *
     * @param timeout how long to wait for the worker's answer
     * @return the counters; or a stage failed with {@link dev.flin.runtime.AskTimeoutException}, or
     *         with {@link dev.flin.runtime.MailboxFullException} when the worker's mailbox is full
     *         (the question is a message like any other, rule 2.9)
     */
    public CompletionStage<JobCounters> counters(final Duration timeout) {
        return ref.ask(CountJobs::new, timeout);
    }

    /**
     * Stops the worker gracefully: the jobs accepted before this call run first (rule 3.6).
     * Idempotent while the worker is alive.
     *
     * @throws dev.flin.runtime.AgentNotFoundException if the worker has already terminated
     */
    public void stop() {
        runtime.stop(ref.id());
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

    /**
     * What the worker agent takes: a job to run, or a request for its counters. A job travels wrapped,
     * so the agent's type is this closed protocol rather than {@code Object}, and no job value can be
     * mistaken for a request of the worker's own.
     */
    private sealed interface WorkerCommand permits RunJob, CountJobs {
    }

    /** A job to run; typed {@code Object} here, checked to be the worker's job type by {@link #submit}. */
    private record RunJob(Object job) implements WorkerCommand {
    }

    /** Asks the worker for its counters. */
    private record CountJobs(Reply<JobCounters> reply) implements WorkerCommand {
    }

    /**
     * The counts, kept outside the agent instance so that they survive its restarts. Written by
     * submitters ({@code submitted}, {@code rejected}) and by the worker agent alone
     * ({@code succeeded}, {@code failed}); atomics, read from any thread.
     */
    private static final class Tally {
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong rejected = new AtomicLong();
        final AtomicLong succeeded = new AtomicLong();
        final AtomicLong failed = new AtomicLong();

        JobCounters snapshot() {
            final long done = succeeded.get() + failed.get();
            final long sub = submitted.get();
            return new JobCounters(sub, rejected.get(), succeeded.get(), failed.get(), Math.max(0, sub - done));
        }
    }

    /** Runs jobs one at a time. */
    private static final class WorkerAgent<J> implements Agent<WorkerCommand> {
        private final String name;
        private final Class<J> jobType;
        private final JobHandler<J> handler;
        private final Topic<JobOutcome> topic;
        private final Tally tally;

        WorkerAgent(final String name, final Class<J> jobType, final JobHandler<J> handler, final Topic<JobOutcome> topic,
                final Tally tally) {
            this.name = name;
            this.jobType = jobType;
            this.handler = handler;
            this.topic = topic;
            this.tally = tally;
        }

        @Override
        public void onMessage(final WorkerCommand message, final AgentContext<WorkerCommand> context) {
            if (message instanceof CountJobs count) {
                count.reply().reply(tally.snapshot());
                return;
            }
            final Object job = ((RunJob) message).job();
            final long start = System.nanoTime();
            String error = "";
            try {
                handler.run(jobType.cast(job));
            } catch (final VirtualMachineError fatal) {
                // not a job's outcome: fail the agent (reported, restarted, this job not retried)
                tally.failed.incrementAndGet();
                throw fatal;
            } catch (final Throwable thrown) {
                error = thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
            }
            final long number;
            if (error.isEmpty()) {
                tally.succeeded.incrementAndGet();
            } else {
                tally.failed.incrementAndGet();
            }
            number = tally.succeeded.get() + tally.failed.get();
            context.runtime().publish(topic, new JobOutcome(name, number, String.valueOf(job), error.isEmpty(), error,
                    Duration.ofNanos(System.nanoTime() - start)));
        }
    }
}
