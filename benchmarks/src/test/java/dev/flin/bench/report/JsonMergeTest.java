package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonMergeTest {

    @Test
    void concatenatesTheElementsOfEveryArrayInOrder() {
        final String merged = JsonMerge.merge(List.of(
                "[\n    {\"benchmark\": \"a\", \"params\": {\"system\": \"x\"}}\n]\n",
                "[\n]\n",
                "",
                "[ {\"benchmark\": \"b\"},\n  {\"benchmark\": \"c\", \"list\": [1, 2]} ]"));
        assertEquals("[\n{\"benchmark\": \"a\", \"params\": {\"system\": \"x\"}},\n"
                + "{\"benchmark\": \"b\"},\n  {\"benchmark\": \"c\", \"list\": [1, 2]}\n]\n", merged);
    }

    @Test
    void nothingMergesToAnEmptyArray() {
        assertEquals("[\n]\n", JsonMerge.merge(List.of()));
        assertEquals("[\n]\n", JsonMerge.merge(List.of("[]", "  [ ]  ")));
    }

    @Test
    void refusesWhatIsNotAnArray() {
        assertThrows(IllegalArgumentException.class, () -> JsonMerge.merge(List.of("[]", "{\"a\": 1}")));
    }

    @Test
    void mergesFilesSkippingMissingOnes(@TempDir final Path dir) throws IOException {
        final Path a = Files.writeString(dir.resolve("a.json"), "[\n  {\"n\": 1}\n]\n");
        final Path b = Files.writeString(dir.resolve("b.json"), "[\n  {\"n\": 2}\n]\n");
        final Path out = dir.resolve("out/merged.json");
        JsonMerge.mergeFiles(List.of(a, dir.resolve("missing.json"), b), out);
        assertEquals("[\n{\"n\": 1},\n{\"n\": 2}\n]\n", Files.readString(out, StandardCharsets.UTF_8));
    }
}
