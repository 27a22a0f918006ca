package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class VersionsTest {

    @Test
    void theBuildRecordsEveryVersion() {
        final Versions versions = Versions.current();
        for (final String version : List.of(versions.flin(), versions.pekko(), versions.disruptor(), versions.jmh(),
                versions.netty())) {
            assertTrue(version.matches("\\d+\\.\\d+(\\.\\d+)?([.-][A-Za-z0-9]+)*"), versions.toString());
        }
    }

    @Test
    void aMissingBlankOrUnfilteredVersionIsUnknown() {
        final Properties properties = new Properties();
        properties.setProperty("flin", "1.2.3");
        properties.setProperty("pekko", "${pekko.version}");
        properties.setProperty("disruptor", "  ");
        properties.setProperty("jmh", " 1.37 ");
        assertEquals(new Versions("1.2.3", Versions.UNKNOWN, Versions.UNKNOWN, "1.37", Versions.UNKNOWN), Versions.of(properties));
    }

    @Test
    void theOtherResourcesAreCopiedAsTheyAre() throws IOException {
        // Only versions.properties is filtered: the logger's settings reach the class path byte for byte.
        try (InputStream in = VersionsTest.class.getResourceAsStream("/simplelogger.properties")) {
            assertNotNull(in);
            assertArrayEquals(Files.readAllBytes(Path.of("src/main/resources/simplelogger.properties")), in.readAllBytes());
        }
    }
}
