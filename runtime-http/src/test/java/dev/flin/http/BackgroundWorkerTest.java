package dev.flin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.AgentFailure;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.SystemTopics;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rule 9.4: fire-and-forget work on a long-lived agent, whose outcomes are observable. */
class BackgroundWorkerTest extends ServerTestSupport {

    /** A job: an immutable value. */
    record Email(String to) {
    }

    private List<JobOutcome> collect(final BackgroundWorker<?> worker) {
        final List<JobOutcome> seen = new CopyOnWriteArrayList<>();
        final AgentRef<JobOutcome> collector = runtime.spawn(JobOutcome.class, () -> (outcome, c) -> seen.add(outcome));
        runtime.subscribe(worker.outcomes(), collector);
        return seen;
    }

    private static JobCounters counters(final BackgroundWorker<?> worker) throws Exception {
        return worker.counters(PATIENCE).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void shouldRunJobsInOrderAndPublishEachOutcome() throws Exception {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "mailer", Email.class, job -> sent.add(job.to()), 64);
        final List<JobOutcome> outcomes = collect(worker);
        for (int i = 0; i < 20; i++) {
            assertTrue(worker.submit(new Email("user" + i)));
        }
        final JobCounters counters = counters(worker);
        assertEquals(new JobCounters(20, 0, 20, 0, 0), counters);
        for (int i = 0; i < 20; i++) {
            assertEquals("user" + i, sent.get(i), "in submission order");
        }
        awaitTrue("every outcome published", () -> outcomes.size() == 20);
        for (int i = 0; i < 20; i++) {
            final JobOutcome outcome = outcomes.get(i);
            assertEquals(i + 1, outcome.jobNumber());
            assertEquals("mailer", outcome.worker());
            assertTrue(outcome.succeeded());
            assertEquals("", outcome.error());
            assertEquals(new Email("user" + i).toString(), outcome.job());
        }
    }

    /** Rule 1.7: the worker runs on the blocking dispatcher, so jobs that block hold no shared worker. */
    @Test
    void spec_1_7_jobsMayBlockInManyWorkersAtOnce() throws Exception {
        final int workers = 4 * Runtime.getRuntime().availableProcessors() + 4; // more than the shared pool's threads
        final java.util.concurrent.CountDownLatch allInside = new java.util.concurrent.CountDownLatch(workers);
        final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        try {
            for (int w = 0; w < workers; w++) {
                final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "blocking-" + w, Email.class, job -> {
                    allInside.countDown();
                    gate.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS); // a slow mail server
                }, 4);
                assertTrue(worker.submit(new Email("someone")));
            }
            assertTrue(allInside.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS),
                    "every worker's job blocks at once; inside: " + (workers - allInside.getCount()) + " of " + workers);
        } finally {
            gate.countDown();
        }
    }

    @Test
    void shouldReportAFailingJobAsAnOutcomeAndGoOn() throws Exception {
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "picky", Email.class, job -> {
            if (job.to().isEmpty()) {
                throw new IllegalArgumentException("no recipient");
            }
        }, 16);
        final List<JobOutcome> outcomes = collect(worker);
        worker.submit(new Email(""));
        worker.submit(new Email("ok"));
        assertEquals(new JobCounters(2, 0, 1, 1, 0), counters(worker));
        awaitTrue("both outcomes", () -> outcomes.size() == 2);
        assertFalse(outcomes.get(0).succeeded());
        assertEquals("IllegalArgumentException: no recipient", outcomes.get(0).error());
        assertTrue(outcomes.get(1).succeeded());
        assertEquals(0, runtime.counters().failures(), "a failing job is not a failing agent");
    }

    @Test
    void shouldRefuseJobsWhenFullWithoutBlocking() throws Exception {
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "small", Email.class, job -> { }, 4);
        runtime.pause(worker.id());
        final int capacity = runtime.mailboxCapacity(worker.id());
        for (int i = 0; i < capacity; i++) {
            assertTrue(worker.submit(new Email("a" + i)));
        }
        assertFalse(worker.submit(new Email("one too many")), "a full worker refuses at once");
        runtime.resume(worker.id());
        awaitTrue("the worker drained its mailbox", () -> runtime.mailboxDepth(worker.id()) == 0);
        assertEquals(new JobCounters(capacity, 1, capacity, 0, 0), counters(worker));
    }

    @Test
    void shouldSurviveAFatalJobWithItsCountsAndRunTheJobsBehindIt() throws Exception {
        final ConcurrentLinkedQueue<AgentFailure> failures = new ConcurrentLinkedQueue<>();
        runtime.subscribe(SystemTopics.FAILURES, runtime.spawn(AgentFailure.class, () -> (f, c) -> failures.add(f)));
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "fragile", Email.class, job -> {
            if (job.to().equals("overflow")) {
                throw new StackOverflowError("simulated");
            }
        }, 16);
        worker.submit(new Email("first"));
        worker.submit(new Email("overflow"));
        worker.submit(new Email("after"));
        assertEquals(new JobCounters(3, 0, 2, 1, 0), counters(worker), "counts survive the restart");
        awaitTrue("the failure was published", () -> !failures.isEmpty());
        assertEquals(worker.id(), failures.peek().agent());
        assertEquals(AgentFailure.Decision.RESTART, failures.peek().decision());
        assertEquals(1, runtime.counters().restarts());
    }

    @Test
    void shouldRejectBadJobsAndJobsForAStoppedWorker() throws Exception {
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "strict", Email.class, job -> { }, 4);
        assertThrows(NullPointerException.class, () -> worker.submit(null));
        @SuppressWarnings({"unchecked", "rawtypes"})
        final BackgroundWorker<Object> raw = (BackgroundWorker) worker;
        final IllegalArgumentException wrongType = assertThrows(IllegalArgumentException.class, () -> raw.submit("not an email"));
        assertTrue(wrongType.getMessage().contains(Email.class.getName()), wrongType.getMessage());
        worker.stop();
        runtime.whenTerminated(worker.id()).toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThrows(AgentNotFoundException.class, () -> worker.submit(new Email("late")));
    }

    @Test
    void shouldAcceptWorkOverHttpAndAnswerAtOnce() throws Exception {
        final BackgroundWorker<Email> worker = BackgroundWorker.spawn(runtime, "http-mailer", Email.class, job -> { }, 64);
        final List<JobOutcome> outcomes = collect(worker);
        final Router router = Router.builder()
                .post("/emails", (req, ctx) -> {
                    final Email email = ctx.json().read(req, Email.class);
                    if (!worker.submit(email)) {
                        throw new HttpException(503, "the mailer is busy, retry later");
                    }
                    return CompletableFuture.completedFuture(HttpResponse.json(202, ctx.json().write(Map.of("accepted", email.to()))));
                })
                .build();
        final HttpServer server = start(router);
        final var response = client.send(request(server, "/emails").POST(BodyPublishers.ofString("{\"to\":\"ada@example.org\"}")).build(),
                BodyHandlers.ofString());
        assertEquals(202, response.statusCode());
        awaitTrue("the job ran and its outcome was published", () -> outcomes.size() == 1);
        assertTrue(outcomes.get(0).job().contains("ada@example.org"));
        assertFalse(outcomes.get(0).took().isNegative());
    }
}
