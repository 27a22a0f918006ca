package dev.flin.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ReportJsonTest {

    private static final String JMH = "[\n{\"benchmark\": \"dev.flin.bench.jmh.OneToOneTell.run\", \"primaryMetric\": "
            + "{\"scoreError\": \"NaN\"}}\n]\n";

    static String resource(final String name) throws IOException {
        try (InputStream in = ReportJsonTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aReportReadsBackAsTheModelItWasWrittenFrom() {
        final ReportModel model = SampleModel.build();
        assertEquals(model, ReportJson.read(ReportJson.write(model, JMH)));
    }

    @Test
    void aReportWrittenBeforeTheMachineProbeReadsAsUnprobed() throws IOException {
        final ReportModel old = ReportJson.read(resource("run-a.json"));
        assertEquals(MachineState.unmeasured(), old.environment().machineState());
        final ReportModel probed = SampleModel.build();
        assertEquals(2, probed.environment().machineState().calibrations().size());
        assertEquals(probed.environment().machineState(),
                ReportJson.read(ReportJson.write(probed, JMH)).environment().machineState());
    }

    @Test
    void theJsonCarriesVersionsErrorsTargetsAndJmhsOwnResults() {
        final JsonNode root = JsonMapper.shared().readTree(ReportJson.write(SampleModel.build(), JMH));
        assertEquals(ReportJson.FORMAT, root.path("format").asString());
        assertEquals("abc123", root.path("commit").asString());
        assertEquals("1.7.0", root.path("versions").path("pekko").asString());
        assertEquals("4.0.0", root.path("versions").path("disruptor").asString());
        assertEquals("1.37", root.path("versions").path("jmh").asString());
        assertEquals("4.2.18.Final", root.path("versions").path("netty").asString());
        assertEquals("0.1.0-SNAPSHOT", root.path("versions").path("flin").asString());
        assertEquals("25+36-LTS", root.path("versions").path("jdk").asString());
        assertEquals(3, root.path("settings").path("forks").asInt());

        final JsonNode parking = root.path("results").values().stream()
                .filter(r -> r.path("benchmark").asString().equals("OneToOneTell") && r.path("system").asString().equals("flin-parking"))
                .findFirst().orElseThrow();
        assertEquals(25.0, parking.path("errorPercent").doubleValue(), 1e-9);
        assertTrue(parking.path("headline").asBoolean());
        assertEquals(3, parking.path("forkScores").size());
        final JsonNode savina = root.path("results").values().stream()
                .filter(r -> r.path("benchmark").asString().equals("SavinaBig")).findFirst().orElseThrow();
        assertTrue(savina.path("error").isNull(), "an error JMH could not compute is null: " + savina);
        assertTrue(savina.path("errorPercent").isNull(), savina.toString());

        final JsonNode errors = root.path("scoreErrors");
        assertEquals(10.0, errors.path("limitPercent").doubleValue());
        assertEquals(25, errors.path("headlineRows").asInt());
        assertEquals(16, errors.path("headlineRowsAtOrOverTheLimit").size());
        assertTrue(errors.path("headlineRowsAtOrOverTheLimit").get(0).path("why").asString().startsWith("its forks disagree"));

        final JsonNode pinned = root.path("targets").values().stream()
                .filter(t -> t.path("name").asString().contains("pinned agent")).findFirst().orElseThrow();
        assertEquals("MET", pinned.path("cells").path("flin-pinned").path("verdict").asString());
        assertEquals(0.84, pinned.path("cells").path("flin-pinned").path("value").doubleValue(), 1e-12);
        assertTrue(pinned.path("ratio").asBoolean());

        assertEquals(1, root.path("jmh").size());
        assertEquals("NaN", root.path("jmh").get(0).path("primaryMetric").path("scoreError").asString());
    }

    @Test
    void anOlderReportIsJmhsResultsOnly() throws IOException {
        final ReportModel model = ReportJson.read(resource("legacy-jmh.json"));
        assertEquals(List.of("OneToOneTell", "SavinaCount"), model.scenarios().stream().map(Scenario::name).toList());
        assertEquals(new ScenarioResult("OneToOneTell", Map.of(), "flin-backoff", 3_000_000, 300_000, "ops/s", true,
                OptionalDouble.of(0.005), List.of(2_950_000.0, 3_050_000.0)), model.result("OneToOneTell", Map.of(), "flin-backoff")
                .orElseThrow());
        assertTrue(Double.isNaN(model.result("OneToOneTell", Map.of(), "pekko").orElseThrow().error()));
        assertFalse(model.result("SavinaCount", Map.of(), "pekko").orElseThrow().higherIsBetter());
        assertEquals("1.37", model.environment().versions().jmh());
        assertTrue(model.environment().commit().isEmpty());
        assertEquals(3.0, Targets.evaluate(model).get(0).cells().get("flin-backoff").value().getAsDouble(), 1e-12);
    }

    @Test
    void refusesWhatIsNotAReport() {
        assertThrows(IllegalArgumentException.class, () -> ReportJson.read("{\"format\": \"something else\"}"));
        assertThrows(IllegalArgumentException.class, () -> ReportJson.read("{\"format\": \"flin-baseline-report\", \"version\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> ReportJson.read("not json"));
        assertThrows(IllegalArgumentException.class, () -> ReportJson.write(SampleModel.build(), "{}"));
    }
}
