package dev.flin.todo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The real {@link TodoService#main} in a child JVM on the test's class path (not the packaged
 * jar), as {@link GracefulShutdownBySignalTest} starts it: its port is read from the
 * {@code Open http://127.0.0.1:PORT/} line; stdout and stderr are kept apart, line by line, for
 * the assertions and the failure messages. {@link #close} kills what is still running, so a test
 * that fails half-way leaves no process behind.
 *
 * <p>Also the HTTP calls the process-level tests share: every request carries
 * {@code Content-Type: application/json} and the {@code Host} of the URI ({@code 127.0.0.1:PORT},
 * which {@link HttpClient} sets itself), and {@link #listTodos} follows {@code Link: <...>;
 * rel="next"} headers.
 *
 * <p>Threading: one test thread drives it; the output lists are safe to read from any thread.
 */
final class ServiceProcess implements AutoCloseable {

    private static final Pattern OPEN = Pattern.compile("Open http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern NEXT = Pattern.compile("<([^>]*)>\\s*;[^,]*rel\\s*=\\s*\"?next\"?", Pattern.CASE_INSENSITIVE);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> command;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final List<String> stderr = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> stdoutLines = new LinkedBlockingQueue<>();
    private final Thread[] readers = new Thread[2];
    private int port = -1;

    private ServiceProcess(final Process process, final List<String> command) {
        this.process = process;
        this.command = command;
        readers[0] = drain(process.getInputStream(), stdout, stdoutLines, "child-stdout-" + process.pid());
        readers[1] = drain(process.getErrorStream(), stderr, null, "child-stderr-" + process.pid());
    }

    /**
     * Starts {@code java [jvmOptions] dev.flin.todo.TodoService [args]} and waits for its port.
     *
     * @throws AssertionError with everything it printed if it exits or prints no port within {@link #START_TIMEOUT}
     */
    static ServiceProcess start(final List<String> jvmOptions, final List<String> args) throws Exception {
        final ServiceProcess service = launch(jvmOptions, args);
        try {
            final Optional<Integer> port = service.awaitPort();
            if (port.isEmpty()) {
                throw new AssertionError("the service did not start: " + service.describeExit());
            }
            return service;
        } catch (final Exception | Error e) {
            service.close();
            throw e;
        }
    }

    /** Starts the child without waiting for it: see {@link #awaitPort}. */
    static ServiceProcess launch(final List<String> jvmOptions, final List<String> args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(TodoService.class.getName());
        command.addAll(args);
        return new ServiceProcess(new ProcessBuilder(command).start(), command);
    }

    /**
     * @return the port once the service printed it; empty if the process exited before (or printed
     *     nothing within {@link #START_TIMEOUT}, in which case it is killed)
     */
    Optional<Integer> awaitPort() throws InterruptedException {
        final long end = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() - end < 0) {
            final String line = stdoutLines.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                final Matcher open = OPEN.matcher(line);
                if (open.find()) {
                    port = Integer.parseInt(open.group(1));
                    return Optional.of(port);
                }
            } else if (!process.isAlive()) {
                process.waitFor();
                joinReaders();
                return Optional.empty();
            }
        }
        close();
        return Optional.empty();
    }

    private static Thread drain(final InputStream stream, final List<String> into, final BlockingQueue<String> queue,
            final String name) {
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    into.add(line);
                    if (queue != null) {
                        queue.add(line);
                    }
                }
            } catch (final IOException closed) {
                // the process is gone; what it printed is kept
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    private void joinReaders() throws InterruptedException {
        for (final Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    int port() {
        if (port < 0) {
            throw new IllegalStateException("the service printed no port");
        }
        return port;
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    Process process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> stdout() {
        return List.copyOf(stdout);
    }

    List<String> stderr() {
        return List.copyOf(stderr);
    }

    /** @return the exit code and what it printed, for a failure message */
    String describeExit() {
        final StringBuilder text = new StringBuilder();
        text.append(process.isAlive() ? "still running" : "exited with " + process.exitValue());
        text.append("; command ").append(String.join(" ", command.subList(0, command.size())).replaceAll("-cp \\S+", "-cp <test class path>"));
        text.append("\nstdout:\n").append(tail(stdout, 40)).append("\nstderr:\n").append(tail(stderr, 40));
        return text.toString();
    }

    private static String tail(final List<String> lines, final int n) {
        final List<String> copy = List.copyOf(lines);
        return String.join("\n", copy.subList(Math.max(0, copy.size() - n), copy.size()));
    }

    /**
     * SIGKILL (what {@link Process#destroyForcibly()} sends on Linux) and waits for the exit.
     *
     * @return the exit code (137 for SIGKILL)
     */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the process did not die of SIGKILL within 30 s");
        }
        joinReaders();
        return process.exitValue();
    }

    /**
     * SIGTERM (what {@link Process#destroy()} sends on Linux); kills the process if it has not
     * exited within {@code grace}.
     *
     * @return the exit code, or empty if it had to be killed
     */
    Optional<Integer> stop(final Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            joinReaders();
            return Optional.of(process.exitValue());
        }
        kill();
        return Optional.empty();
    }

    /** Kills the process if it is still running; safe to call more than once. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------------------------------
    // HTTP
    // ---------------------------------------------------------------------------------------

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** @return a request with {@code Content-Type: application/json} (the Host header is the URI's) */
    static HttpRequest.Builder request(final URI uri, final Duration timeout) {
        return HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json");
    }

    /** {@code POST /api/todos {"title": title}}. */
    static HttpRequest create(final URI base, final String title, final Duration timeout) {
        return request(base.resolve("/api/todos"), timeout)
                .POST(BodyPublishers.ofString("{\"title\":" + TodoClient.write(title) + "}")).build();
    }

    static HttpResponse<String> get(final HttpClient http, final URI base, final String path, final Duration timeout)
            throws IOException, InterruptedException {
        return http.send(request(base.resolve(path), timeout).GET().build(), BodyHandlers.ofString());
    }

    /**
     * Every todo: {@code GET /api/todos} and each page its {@code Link rel="next"} names, until
     * one names none.
     *
     * @throws AssertionError if a page is not 200 or a next link repeats
     */
    static List<JsonNode> listTodos(final HttpClient http, final URI base, final Duration timeout)
            throws IOException, InterruptedException {
        final List<JsonNode> todos = new ArrayList<>();
        final Set<URI> seen = new HashSet<>();
        URI page = base.resolve("/api/todos");
        while (page != null) {
            if (!seen.add(page)) {
                throw new AssertionError("the next link of GET /api/todos leads back to " + page);
            }
            final HttpResponse<String> answer = http.send(request(page, timeout).GET().build(), BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("GET " + page + " answered " + answer.statusCode() + ": " + answer.body());
            }
            final JsonNode body = TodoClient.json(answer);
            JsonNode items = body;
            if (body.isObject()) {   // tolerate a page that wraps its array in an object
                items = null;
                for (final String name : body.propertyNames()) {
                    if (body.get(name).isArray()) {
                        items = body.get(name);
                        break;
                    }
                }
            }
            if (items == null || !items.isArray()) {
                throw new AssertionError("GET " + page + " did not answer a list of todos: " + answer.body());
            }
            items.forEach(todos::add);
            page = null;
            for (final String link : answer.headers().allValues("link")) {
                final Matcher next = NEXT.matcher(link);
                if (next.find()) {
                    page = page == null ? base.resolve(next.group(1)) : page;
                }
            }
        }
        return todos;
    }
}
