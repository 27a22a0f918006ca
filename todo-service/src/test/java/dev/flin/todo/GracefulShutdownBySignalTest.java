package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real main in a child JVM: SIGTERM shuts it down gracefully (rule 9.8): an open WebSocket is
 * closed with 1001 (Going Away), the process exits with 0, and the todos are on disk for the next
 * start.
 */
class GracefulShutdownBySignalTest {

    private static final Pattern OPEN = Pattern.compile("Open http://127\\.0\\.0\\.1:(\\d+)/");

    @TempDir
    Path dataDir;

    private Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private int startChild() throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = System.getProperty("java.class.path");
        process = new ProcessBuilder(java, "-cp", classPath, TodoService.class.getName(), "--port", "0",
                "--data-dir", dataDir.toString()).redirectErrorStream(true).start();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (final java.io.IOException closed) {
                // the process is gone; what it printed is in output
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        final long end = System.nanoTime() + Deadline.DEFAULT.toNanos();
        while (System.nanoTime() - end < 0) {
            final String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null) {
                final Matcher open = OPEN.matcher(line);
                if (open.find()) {
                    return Integer.parseInt(open.group(1));
                }
            } else if (!process.isAlive()) {
                break;
            }
        }
        throw new AssertionError("the service printed no 'Open http://127.0.0.1:<port>/' line; it printed: " + output);
    }

    @AfterEach
    void killLeftovers() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Test
    void helpPrintsEveryFlagWithItsVariableAndDefaultAndExitsWith0() throws Exception {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final Process help = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                TodoService.class.getName(), "--help").redirectErrorStream(true).start();
        final String printed = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS), "--help returns");
        assertEquals(0, help.exitValue(), printed);
        for (final String expected : List.of("--data-dir", "FLIN_TODO_DATA_DIR", "--jdbc-url", "--store-open-timeout",
                "--port", "FLIN_HTTP_PORT", "default 8080", "--idle-timeout", "--handler-mode", "--ws-pong-timeout")) {
            assertTrue(printed.contains(expected), "--help names " + expected + ": " + printed);
        }
        assertFalse(printed.contains("Open http"), "--help starts nothing: " + printed);
    }

    @Test
    void sigtermClosesWebSocketsWith1001AndExitsWith0() throws Exception {
        final int port = startChild();
        assertTrue(output.stream().anyMatch(l -> l.contains("transport")), "it prints the transport: " + output);
        final TodoClient client = new TodoClient(port);
        final long id = client.create("outlive the process").get("id").asLong();
        final WsClient ws = WsClient.connect(client.http(), port).subscribe(TodoTopics.TODO.name());

        process.destroy();   // SIGTERM

        assertEquals(1001, ws.closed().get(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS),
                "the server closes WebSockets with Going Away; output: " + output);
        assertTrue(process.waitFor(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS), "the process exits; output: " + output);
        assertEquals(0, process.exitValue(), "a graceful shutdown exits with 0; output: " + output);

        // The store closed its database cleanly: the next process finds the todo.
        final int again = startChild();
        assertEquals(200, new TodoClient(again).get("/api/todos/" + id).statusCode(), "output: " + output);
        process.destroy();
        assertTrue(process.waitFor(Deadline.DEFAULT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
    }
}
