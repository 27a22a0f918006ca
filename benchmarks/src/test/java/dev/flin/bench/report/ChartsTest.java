package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void writesOnePngPerScenarioWithScoresAndTheLatencyChart(@TempDir final Path dir) throws IOException {
        final List<Path> written = Charts.write(SampleModel.build(), dir.resolve("charts"));

        final List<String> names = written.stream().map(p -> p.getFileName().toString()).sorted().toList();
        // PingPong has scores too; every Savina scenario has scores; SpawnMessageStop was not run.
        assertEquals(List.of("ManyToOneTell.png", "OneToOneTell.png", "PingPong-latency.png", "PingPong.png",
                "SavinaBig.png", "SavinaChameneos.png", "SavinaCount.png", "SavinaFjThroughput.png", "SavinaThreadRing.png"), names);
        for (final Path file : written) {
            final byte[] bytes = Files.readAllBytes(file);
            assertTrue(bytes.length > PNG_MAGIC.length, file.toString());
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, PNG_MAGIC.length), file + " is not a PNG");
            final BufferedImage image = ImageIO.read(file.toFile());
            assertEquals(1000, image.getWidth(), file.toString());
        }
    }

    @Test
    void aScenarioWithoutScoresHasNoChart(@TempDir final Path dir) throws IOException {
        final ReportModel sample = SampleModel.build();
        final ReportModel failedOnly = new ReportModel(sample.date(), sample.environment(), sample.settings(), sample.start(),
                sample.end(), List.of(Scenario.of("OneToOneTell", "x", List.of("pekko"))), List.of(),
                List.of(new Failure("OneToOneTell", java.util.Map.of(), "pekko", "boom")), List.of(), List.of(), List.of());
        assertEquals(List.of(), Charts.write(failedOnly, dir));
    }
}
