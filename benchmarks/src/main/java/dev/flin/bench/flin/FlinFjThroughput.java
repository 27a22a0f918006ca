package dev.flin.bench.flin;

import dev.flin.bench.Params;
import dev.flin.bench.Work;
import dev.flin.bench.Workload;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.spi.IdleStrategy;
import java.util.concurrent.CompletableFuture;

/**
 * Savina "fjthrput": the driver sends the same number of messages to each of many agents, round
 * robin; each message costs the same small computation.
 *
 * <pre>
 * driver --Job(i)--&gt; agent 0, agent 1, ..., agent 59, agent 0, ...
 * </pre>
 *
 * <p>The driver is a thread outside the runtime, so it retries a send that meets a full mailbox.
 */
final class FlinFjThroughput implements Workload {

    /** The protocol. */
    sealed interface JobMessage permits Expect, Job {
    }

    /** Count {@code jobs} jobs, then complete {@code done} with the count. */
    record Expect(int jobs, CompletableFuture<Long> done) implements JobMessage {
    }

    /** One unit of work on input {@code i}. */
    record Job(long i) implements JobMessage {
    }

    private final String system;
    private final AgentRuntime runtime;
    private final AgentRef<JobMessage>[] agents;
    private final Job[] jobs;

    @SuppressWarnings("unchecked")
    FlinFjThroughput(final String system, final IdleStrategy idle, final Params.FjThroughput params) {
        this.system = system;
        this.runtime = FlinSupport.runtime(idle, system);
        this.agents = new AgentRef[params.agents()];
        for (int i = 0; i < agents.length; i++) {
            agents[i] = runtime.spawn(JobMessage.class, Worker::new);
        }
        this.jobs = new Job[params.messagesPerAgent()];
        for (int i = 0; i < jobs.length; i++) {
            jobs[i] = new Job(i);
        }
    }

    @Override
    public long runOnce() throws Exception {
        @SuppressWarnings("unchecked")
        final CompletableFuture<Long>[] done = new CompletableFuture[agents.length];
        for (int a = 0; a < agents.length; a++) {
            done[a] = new CompletableFuture<>();
            FlinSupport.tellPatiently(agents[a], new Expect(jobs.length, done[a]));
        }
        for (final Job job : jobs) {
            for (final AgentRef<JobMessage> agent : agents) {
                FlinSupport.tellPatiently(agent, job);
            }
        }
        long processed = 0;
        for (final CompletableFuture<Long> agent : done) {
            processed += FlinSupport.await(agent, "SavinaFjThroughput", system);
        }
        return processed;
    }

    @Override
    public long expected() {
        return (long) agents.length * jobs.length;
    }

    @Override
    public void close() {
        FlinSupport.shutdown(runtime, system);
    }

    /** Does each job's computation and counts the jobs. */
    private static final class Worker implements Agent<JobMessage> {
        private long state;
        private long count;
        private long target;
        private CompletableFuture<Long> done;

        @Override
        public void onMessage(final JobMessage message, final AgentContext<JobMessage> context) {
            if (message instanceof Job job) {
                state += Work.compute(job.i() ^ state);
                if (++count == target) {
                    done.complete(count);
                }
            } else {
                final Expect expect = (Expect) message;
                count = 0;
                target = expect.jobs();
                done = expect.done();
            }
        }
    }
}
