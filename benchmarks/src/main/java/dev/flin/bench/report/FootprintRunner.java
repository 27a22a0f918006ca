package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code dev.flin.bench.footprint.IdleFootprint} for one system in a child JVM (same
 * {@code java}, same class path, a fixed heap and a stop-the-world collector) and reads its result
 * line. A failure or timeout becomes a {@link Footprint.Status#FAILED} footprint, never an
 * exception.
 *
 * <p>Threading: one caller thread; each call starts and waits for its own child process.
 */
final class FootprintRunner {

    /** The child JVMs' flags: a heap large enough for a million idle agents, collected stop-the-world. */
    static final List<String> JVM_FLAGS = List.of("-Xms4g", "-Xmx4g", "-XX:+UseParallelGC", "-Djava.awt.headless=true");
    private static final String MAIN = "dev.flin.bench.footprint.IdleFootprint";

    private final Path java;
    private final String classPath;
    private final Path workDir;
    private final Duration timeout;

    /**
     * @param java      the {@code java} executable
     * @param classPath the class path holding the benchmarks
     * @param workDir   where the children's output is kept
     * @param timeout   how long one child may take
     */
    FootprintRunner(final Path java, final String classPath, final Path workDir, final Duration timeout) {
        this.java = Objects.requireNonNull(java, "java");
        this.classPath = Objects.requireNonNull(classPath, "classPath");
        this.workDir = Objects.requireNonNull(workDir, "workDir");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * @param system the system's id
     * @param agents idle agents to measure with
     * @param note   the note the footprint carries (what is not counted)
     * @return the footprint, measured or failed
     */
    Footprint measure(final String system, final int agents, final String note) {
        final List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(JVM_FLAGS);
        command.add("-cp");
        command.add(classPath);
        command.add(MAIN);
        command.add(system);
        command.add(String.valueOf(agents));
        final Path stdout = workDir.resolve("footprint-" + system + ".out");
        final Path stderr = workDir.resolve("footprint-" + system + ".err");
        try {
            Files.createDirectories(workDir);
            final Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                return Footprint.failed(system, agents, "timed out after " + Format.duration(timeout));
            }
            final List<String> out = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            final List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            err.forEach(l -> System.out.println("[IdleFootprint " + system + "] " + l));
            if (process.exitValue() == 0) {
                for (final String line : out) {
                    final Optional<Footprint> footprint = Footprint.parseLine(line, note);
                    if (footprint.isPresent()) {
                        return footprint.get();
                    }
                }
                return Footprint.failed(system, agents, "no result line in the output");
            }
            return Footprint.failed(system, agents, "exit code " + process.exitValue() + ": " + reason(err));
        } catch (IOException | RuntimeException e) {
            return Footprint.failed(system, agents, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Footprint.failed(system, agents, "interrupted");
        }
    }

    /**
     * @param stderr a failed child's standard error
     * @return the line that says what went wrong: the first exception line, else the last line
     */
    static String reason(final List<String> stderr) {
        for (final String line : stderr) {
            final String s = line.strip();
            if (!s.startsWith("at ") && (s.contains("Exception") || s.contains("Error"))) {
                return s;
            }
        }
        for (int i = stderr.size() - 1; i >= 0; i--) {
            if (!stderr.get(i).isBlank()) {
                return stderr.get(i).strip();
            }
        }
        return "no output";
    }
}
