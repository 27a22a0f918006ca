package dev.flin.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ScaleOutLoadTest {

    @Test
    void anEventsKeyIsItsEntityIdAndChange() {
        final String created = "{\"type\":\"event\",\"topic\":\"todo\",\"event\":{\"entityType\":\"todo\",\"change\":\"CREATED\","
                + "\"entity\":{\"id\":42,\"title\":\"x\",\"completed\":false,\"createdAt\":\"2026-12-07T16:28:18Z\"}}}";
        assertEquals(ScaleOutLoad.key(42, 0), ScaleOutLoad.eventKey(created));
        final String updated = "{\"type\": \"event\", \"topic\": \"todo\", \"event\": {\"sequence\": 9, \"node\": \"a\","
                + " \"entityType\": \"todo\", \"change\": \"UPDATED\", \"entity\": {\"version\": 2, \"id\": 7}}}";
        assertEquals(ScaleOutLoad.key(7, 1), ScaleOutLoad.eventKey(updated));
        assertEquals(ScaleOutLoad.key(7, 2), ScaleOutLoad.eventKey(updated.replace("UPDATED", "DELETED")));
    }

    @Test
    void otherMessagesHaveNoKey() {
        assertEquals(-1, ScaleOutLoad.eventKey("{\"type\":\"subscribed\",\"topic\":\"todo\"}"));
        assertEquals(-1, ScaleOutLoad.eventKey("{\"type\":\"event\",\"event\":{\"change\":\"RENAMED\",\"entity\":{\"id\":1}}}"));
        assertEquals(-1, ScaleOutLoad.eventKey("{\"type\":\"event\",\"event\":{\"change\":\"CREATED\",\"entity\":{}}}"));
        assertEquals(-1, ScaleOutLoad.eventKey("not json"));
    }

    @Test
    void theWritersIdComesFromTheAnswer() {
        assertEquals(12, ScaleOutLoad.entityId("{\"id\":12,\"title\":\"t\",\"completed\":false}"));
        assertEquals(-1, ScaleOutLoad.entityId("{\"error\":\"no\"}"));
    }

    @Test
    void theRunsDatabaseReplacesTheUrlsOwn() {
        assertEquals("jdbc:postgresql://127.0.0.1:55432/run1",
                ScaleOutLoad.withDatabase("jdbc:postgresql://127.0.0.1:55432/flin_test", "run1"));
        assertEquals("jdbc:postgresql://h/run1?ssl=false", ScaleOutLoad.withDatabase("jdbc:postgresql://h/db?ssl=false", "run1"));
        assertEquals("jdbc:postgresql://h:5432/run1", ScaleOutLoad.withDatabase("jdbc:postgresql://h:5432", "run1"));
        assertThrows(IllegalArgumentException.class, () -> ScaleOutLoad.withDatabase("jdbc:h2:mem:x", "run1"));
    }

    @Test
    void everyNodeGetsTheFlagsWithItsName() {
        final ScaleOutLoad.Options o = new ScaleOutLoad.Options(Path.of("t.jar"), "jdbc:postgresql://h/db", "u", "p", 3, 20,
                4, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), ScaleOutLoad.nodeFlags(ScaleOutLoad.DEFAULT_NODE_FLAGS),
                "");
        final List<String> cmd = ScaleOutLoad.command(o, "jdbc:postgresql://h/run", ScaleOutLoad.nodeName(2));
        assertEquals(List.of("-jar", "t.jar", "--port", "0", "--jdbc-url", "jdbc:postgresql://h/run", "--reminder-work", "0",
                "--jdbc-user", "u", "--jdbc-password", "p", "--bridge", "postgres", "--node-name", "c"),
                cmd.subList(3, cmd.size()));
        final ScaleOutLoad.Options none = new ScaleOutLoad.Options(Path.of("t.jar"), "jdbc:postgresql://h/db", "", "", 1, 20,
                4, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), ScaleOutLoad.nodeFlags("none"), "0");
        final List<String> plain = ScaleOutLoad.command(none, "jdbc:postgresql://h/run", "a");
        assertEquals(List.of("taskset", "-c", "0"), plain.subList(0, 3));
        assertTrue(plain.get(plain.size() - 1).equals("0") && plain.get(plain.size() - 2).equals("--reminder-work"), plain::toString);
    }

    @Test
    void theTableShowsNaForAnEmptyLatencyAndTheLossPerNode() {
        final ScaleOutLoad.Options o = new ScaleOutLoad.Options(Path.of("t.jar"), "jdbc:postgresql://h/db", "", "", 3, 2, 4, 0,
                Duration.ofSeconds(3), Duration.ofSeconds(10), "", "");
        final ScaleOutLoad.Result r = new ScaleOutLoad.Result(3, 2, 4, 0, 10, 100, 10, 200, 20, 0, Double.NaN, Double.NaN,
                Double.NaN, Double.NaN, Double.NaN, 0, 130, 0, 130, 520, new TreeMap<>(Map.of("a", 0L, "b", 260L, "c", 260L)),
                0, 0, "", "", "15.18");
        final String md = ScaleOutLoad.markdown(o, List.of(r));
        assertTrue(md.contains("| 3 | 6 | 10 | 20 | n/a | n/a | n/a | n/a | n/a | 520 | a 0, b 260, c 260 | 130 | 0-130 | 0 | 0 | 0 |"), md);
    }

    @Test
    void optionsArePairs() {
        assertEquals(Map.of("nodes", "3", "node-flags", "none"), HttpLoadReport.options(new String[] {"--nodes", "3", "--node-flags", "none"}, "--"));
        assertThrows(IllegalArgumentException.class, () -> HttpLoadReport.options(new String[] {"--nodes"}, "--"));
    }
}
