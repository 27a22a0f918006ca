package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Merges JMH's JSON result files (each one top-level array of benchmark objects) into one array,
 * keeping every element's text as JMH wrote it; {@link ReportJson} puts that array into the report's
 * JSON under {@code jmh}.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class JsonMerge {

    private JsonMerge() {
    }

    /**
     * @param arrays JSON texts, each a top-level array (possibly empty); blank texts are skipped
     * @return one array holding every element of every input, in order
     * @throws IllegalArgumentException when an input is not a top-level array
     */
    public static String merge(final List<String> arrays) {
        Objects.requireNonNull(arrays, "arrays");
        final List<String> elements = new ArrayList<>();
        int index = 0;
        for (final String text : arrays) {
            final String json = Objects.requireNonNull(text, "array").strip();
            if (!json.isEmpty()) {
                if (!json.startsWith("[") || !json.endsWith("]")) {
                    throw new IllegalArgumentException("input " + index + " is not a JSON array: "
                            + json.substring(0, Math.min(40, json.length())));
                }
                final String inner = json.substring(1, json.length() - 1).strip();
                if (!inner.isEmpty()) {
                    elements.add(inner);
                }
            }
            index++;
        }
        if (elements.isEmpty()) {
            return "[\n]\n";
        }
        return "[\n" + String.join(",\n", elements) + "\n]\n";
    }

    /**
     * @param files JMH JSON result files; a missing one is skipped (its benchmark produced nothing)
     * @return one array holding every result of every file, in order
     * @throws IOException when a file cannot be read
     */
    public static String mergeFiles(final List<Path> files) throws IOException {
        Objects.requireNonNull(files, "files");
        final List<String> texts = new ArrayList<>();
        for (final Path file : files) {
            if (Files.isRegularFile(file)) {
                texts.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return merge(texts);
    }

    /**
     * @param files JMH JSON result files; a missing one is skipped (its benchmark produced nothing)
     * @param out   where to write the merged array
     * @throws IOException when a file cannot be read or written
     */
    public static void mergeFiles(final List<Path> files, final Path out) throws IOException {
        Objects.requireNonNull(out, "out");
        final String merged = mergeFiles(files);
        final Path parent = out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(out, merged, StandardCharsets.UTF_8);
    }
}
