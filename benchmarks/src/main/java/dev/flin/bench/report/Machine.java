package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The machine a report was measured on.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param cores       {@code Runtime.availableProcessors()}
 * @param memoryBytes total memory ({@code MemTotal} of {@code /proc/meminfo}), when known
 * @param cpuModel    the CPU's model name ({@code /proc/cpuinfo}), or {@code unknown}
 * @param osName      {@code os.name}
 * @param osVersion   {@code os.version}
 * @param osArch      {@code os.arch}
 */
public record Machine(int cores, OptionalLong memoryBytes, String cpuModel, String osName, String osVersion, String osArch) {

    /** Checks the components. */
    public Machine {
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(cpuModel, "cpuModel");
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(osVersion, "osVersion");
        Objects.requireNonNull(osArch, "osArch");
    }

    /** @return this machine, as this JVM sees it */
    public static Machine current() {
        return new Machine(Runtime.getRuntime().availableProcessors(),
                readLines(Path.of("/proc/meminfo")).map(Machine::memTotal).orElse(OptionalLong.empty()),
                readLines(Path.of("/proc/cpuinfo")).flatMap(Machine::cpuModel).orElse("unknown"),
                System.getProperty("os.name", "unknown"), System.getProperty("os.version", "unknown"),
                System.getProperty("os.arch", "unknown"));
    }

    /**
     * @param meminfo the lines of {@code /proc/meminfo}
     * @return {@code MemTotal} in bytes (the file gives kB), if present
     */
    static OptionalLong memTotal(final List<String> meminfo) {
        for (final String line : meminfo) {
            if (line.startsWith("MemTotal:")) {
                final String[] parts = line.substring("MemTotal:".length()).strip().split("\\s+");
                try {
                    final long value = Long.parseLong(parts[0]);
                    return OptionalLong.of(parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? value * 1024 : value);
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * @param cpuinfo the lines of {@code /proc/cpuinfo}
     * @return the first {@code model name}, if present
     */
    static Optional<String> cpuModel(final List<String> cpuinfo) {
        for (final String line : cpuinfo) {
            final int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals("model name")) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }

    private static Optional<List<String>> readLines(final Path file) {
        try {
            return Optional.of(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
