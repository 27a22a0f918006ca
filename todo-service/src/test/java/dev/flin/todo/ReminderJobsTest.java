package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServerConfig;
import dev.flin.http.JobOutcome;
import dev.flin.testkit.FlinTestKit;
import dev.flin.testkit.TestProbe;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Background reminders (rule 9.4): handed off with a 202, run by the worker agent, counted and published.
 * A {@link FlinTestKit} attached to the service's runtime takes the published outcomes with a probe and
 * fails the test if an agent of the service failed meanwhile; the service shuts its runtime down itself.
 */
class ReminderJobsTest {

    @TempDir
    Path dataDir;

    private TodoService service;
    private TodoClient client;
    private FlinTestKit kit;
    private TestProbe<JobOutcome> outcomes;

    @BeforeEach
    void start() {
        service = TodoService.start(HttpServerConfig.builder().port(0).retryAfterSeconds(2).build(),
                TodoOptions.defaults().withDataDir(dataDir).withReminderQueueCapacity(2).withReminderWorkRounds(5000));
        client = new TodoClient(service.port());
        kit = FlinTestKit.attach(service.runtime());
        outcomes = kit.createProbe(JobOutcome.class);
        service.runtime().subscribe(service.reminders().outcomes(), outcomes.ref());
    }

    /** Fails the test if an agent failed unexpectedly; the service is closed whatever the kit found. */
    @AfterEach
    void stop() {
        try {
            if (kit != null) {
                kit.close();
            }
        } finally {
            service.close();
        }
    }

    private JsonNode jobs() throws Exception {
        final HttpResponse<String> response = client.get("/api/jobs");
        assertEquals(200, response.statusCode(), response.body());
        return TodoClient.json(response);
    }

    @Test
    void aReminderIsAcceptedAtOnceThenRunsSucceedsAndIsPublished() throws Exception {
        final long id = client.create("water the plants").get("id").asLong();
        final HttpResponse<String> accepted = client.post("/api/todos/" + id + "/remind", null);
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("accepted", TodoClient.json(accepted).get("status").asString());
        assertEquals(id, TodoClient.json(accepted).get("reminder").get("todoId").asLong());

        final JsonNode counters = Deadline.poll("the reminder succeeds", this::jobs, c -> c.get("succeeded").asLong() == 1);
        assertEquals(1, counters.get("submitted").asLong());
        assertEquals(0, counters.get("failed").asLong());
        assertEquals(0, counters.get("queued").asLong());

        final JobOutcome outcome = outcomes.expectMessage(Deadline.DEFAULT);   // the outcome is published on the worker's topic
        assertEquals(TodoService.REMINDERS, outcome.worker());
        assertEquals(1, outcome.jobNumber());
        assertTrue(outcome.succeeded(), outcome.toString());
        assertTrue(outcome.job().contains("todoId=" + id) && outcome.job().contains("water the plants"), outcome.job());
        assertEquals(1, TodoClient.json(client.get("/api/stats")).get("reminders").get("remindersSent").asLong());
    }

    @Test
    void aFullReminderQueueIs503WithRetryAfterAndNothingAcceptedIsLost() throws Exception {
        final long id = client.create("call the plumber").get("id").asLong();
        final int capacity = service.runtime().mailboxCapacity(service.reminders().id());
        service.runtime().pause(service.reminders().id());   // accepts jobs, runs none (rule 3.4)
        for (int i = 0; i < capacity; i++) {
            assertEquals(202, client.post("/api/todos/" + id + "/remind", null).statusCode());
        }
        final HttpResponse<String> refused = client.post("/api/todos/" + id + "/remind", null);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("2", refused.headers().firstValue("retry-after").orElse(""));

        service.runtime().resume(service.reminders().id());
        final JsonNode counters = Deadline.poll("every accepted reminder runs", this::jobs,
                c -> c.get("succeeded").asLong() == capacity);
        assertEquals(capacity, counters.get("submitted").asLong());
        assertEquals(1, counters.get("rejected").asLong());
        assertEquals(0, counters.get("queued").asLong());
    }

    @Test
    void aReminderForAnUnknownTodoIs404AndNotSubmitted() throws Exception {
        assertEquals(404, client.post("/api/todos/77/remind", null).statusCode());
        assertEquals(0, jobs().get("submitted").asLong());
    }
}
