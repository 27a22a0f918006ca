package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, a read-only data directory: todos are created on a tmpfs, the service stopped
 * (SIGTERM), the tmpfs remounted read-only (root ignores file permissions, so chmod would prove
 * nothing) and the service started again on it. Owed: it starts at all; {@code GET /api/todos}
 * answers 200 with the todos; a create answers 5xx, and not 504 (the store says it cannot write
 * before the ask times out); {@code /health} answers 503 with status DOWN and a reason. Skipped
 * unless root and {@code mount} work.
 */
class ReadOnlyDataDirTest {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TITLES = List.of("ro-1 milk", "ro-2 eggs", "ro-3 bread", "ro-4 tea", "ro-5 jam");

    private Tmpfs tmpfs;
    private final List<ServiceProcess> processes = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        try {
            for (final ServiceProcess process : processes) {
                process.close();
            }
        } finally {
            if (tmpfs != null) {
                tmpfs.close();
            }
        }
    }

    @Test
    void onAReadOnlyDataDirTheServiceStartsReadsAndRefusesWritesWith5xxAndHealthDown() throws Exception {
        tmpfs = Tmpfs.mountOrSkip("16m");
        final Path dataDir = tmpfs.dir().resolve("data");
        final List<String> args = List.of("--port", "0", "--data-dir", dataDir.toString(), "--reminder-work", "0");
        final HttpClient http = ServiceProcess.newHttpClient();

        final ServiceProcess writable = ServiceProcess.start(List.of(), args);
        processes.add(writable);
        for (final String title : TITLES) {
            final HttpResponse<String> created = http.send(ServiceProcess.create(writable.base(), title, REQUEST_TIMEOUT),
                    BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
        }
        assertEquals(Optional.of(0), writable.stop(Duration.ofSeconds(30)), "a clean stop first: " + writable.describeExit());

        tmpfs.remountReadOnly();
        final ServiceProcess readOnly = ServiceProcess.launch(List.of(), args);
        processes.add(readOnly);
        if (readOnly.awaitPort().isEmpty()) {
            System.out.println("read-only data dir: the service did not start: " + oneLine(readOnly));
            throw new AssertionError("the service must start on a read-only data directory (to serve reads and say DOWN); "
                    + readOnly.describeExit());
        }
        final URI base = readOnly.base();

        final List<String> failures = new ArrayList<>();
        String list;
        try {
            final Set<String> titles = new TreeSet<>();
            for (final JsonNode todo : ServiceProcess.listTodos(http, base, REQUEST_TIMEOUT)) {
                titles.add(todo.get("title").asString());
            }
            list = "200 with " + titles.size() + " todos";
            if (!titles.containsAll(TITLES)) {
                failures.add("GET /api/todos lacks some of " + TITLES + ": " + titles);
            }
        } catch (final AssertionError | IOException e) {
            list = e.getMessage();
            failures.add("GET /api/todos: " + e.getMessage());
        }

        final String create = answer(() -> http.send(ServiceProcess.create(base, "ro-6 written?", REQUEST_TIMEOUT),
                BodyHandlers.ofString()));
        if (!create.startsWith("5") || create.startsWith("504")) {
            failures.add("POST /api/todos answered " + create + ", not a 5xx other than 504");
        }
        final String health = answer(() -> ServiceProcess.get(http, base, "/health", REQUEST_TIMEOUT));
        if (!health.startsWith("503") || !hasReason(health)) {
            failures.add("/health answered " + health + ", not 503 with status DOWN and a reason");
        }
        System.out.println("read-only data dir: started; GET /api/todos " + list + "; POST " + create + "; /health " + health);
        assertTrue(failures.isEmpty(), "read-only data dir: " + String.join("; ", failures));
    }

    private interface Call {
        HttpResponse<String> send() throws IOException, InterruptedException;
    }

    private static String answer(final Call call) throws InterruptedException {
        try {
            final HttpResponse<String> response = call.send();
            return response.statusCode() + " " + response.body();
        } catch (final IOException e) {
            return "no answer: " + e;
        }
    }

    /** @return whether the body after the status is a JSON object with status DOWN and another non-blank text */
    private static boolean hasReason(final String answer) {
        final JsonNode body;
        try {
            body = TodoClient.json(answer.substring(answer.indexOf(' ') + 1));
        } catch (final RuntimeException notJson) {
            return false;
        }
        if (!body.isObject() || !"DOWN".equals(body.path("status").asString(""))) {
            return false;
        }
        for (final String name : body.propertyNames()) {
            if (!name.equals("status") && body.get(name).isString() && !body.get(name).asString().isBlank()) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(final ServiceProcess process) {
        final String reason = process.stderr().stream().filter(l -> l.startsWith("todo-service:")).findFirst()
                .orElse(process.stderr().isEmpty() ? "(nothing on stderr)" : process.stderr().get(process.stderr().size() - 1));
        return (process.isAlive() ? "still running" : "exit " + process.process().exitValue()) + ", " + reason;
    }
}
