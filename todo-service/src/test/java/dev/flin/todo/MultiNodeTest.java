package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Three real todo-service processes on one PostgreSQL with the bridge on ({@code --bridge
 * postgres}), WebSocket clients on every node, and writes sent round-robin through all of them:
 * every client sees every committed change once, in the database's commit order (the change log's),
 * and ends with the database's state; no acknowledged write is missing from the database, also
 * when a node is killed with SIGKILL under load; a node whose listening connection is terminated
 * by the server reconnects and catches up. Skipped without a PostgreSQL server ({@code .ci/run}
 * starts one).
 */
class MultiNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1");

    private SharedDatabase database;
    private final Map<String, ServiceProcess> nodes = new LinkedHashMap<>();
    private final List<ChangeWatcher> watchers = new ArrayList<>();
    private final HttpClient http = ServiceProcess.newHttpClient();

    @BeforeEach
    void startThreeNodes() throws Exception {
        database = SharedDatabase.create();
        // launched together: three nodes setting up one empty database at once
        final Map<String, ServiceProcess> launched = new LinkedHashMap<>();
        for (final String node : List.of("a", "b", "c")) {
            launched.put(node, ServiceProcess.launch(JVM, database.nodeArgs(node)));
        }
        nodes.putAll(launched);
        for (final Map.Entry<String, ServiceProcess> node : launched.entrySet()) {
            if (node.getValue().awaitPort().isEmpty()) {
                throw new AssertionError("node " + node.getKey() + " did not start: " + node.getValue().describeExit());
            }
        }
    }

    @AfterEach
    void stopEverything() throws Exception {
        watchers.forEach(ChangeWatcher::close);
        nodes.values().forEach(ServiceProcess::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void everyClientOnEveryNodeSeesEveryCommittedChangeOnceInCommitOrderAndEndsWithTheDatabasesState() throws Exception {
        for (final String node : nodes.keySet()) {
            watch(node, 2);
        }
        final Load load = new Load(List.copyOf(nodes.values()));
        load.run(240, 4);
        assertEquals(List.of(), load.serverErrors(), "no node answered 5xx or failed a request");
        final long last = marker("a");

        final List<SharedDatabase.Logged> log = database.changeLog();
        assertEquals(last, log.get(log.size() - 1).seq());
        assertGapless(log);
        load.assertEveryAcknowledgedWriteIsLogged(log);
        final Map<Long, SharedDatabase.Row> stored = byId(database.todos());
        for (final ChangeWatcher watcher : watchers) {
            watcher.awaitSequence(last, WAIT);
            assertEquals(expected(log), received(watcher), watcher.name() + " saw every committed change once, in commit order");
            assertEquals(stored, watcher.view(Map.of()), watcher.name() + " ends with the database's state");
        }
        for (final String node : nodes.keySet()) {
            final JsonNode bridge = stats(node).get("bridge");
            assertEquals(node, bridge.get("node").asString());
            assertEquals(log.size(), bridge.get("published").asLong(), node + ": " + bridge);
            assertEquals(0, bridge.get("dropped").asLong(), node + ": " + bridge);
            assertEquals(0, bridge.get("resynchronised").asLong(), node + ": nothing was missed: " + bridge);
        }
        final Set<String> writers = log.stream().map(SharedDatabase.Logged::node).collect(Collectors.toSet());
        assertEquals(Set.of("a", "b", "c"), writers, "every node committed changes");
    }

    @Test
    void aNodeKilledUnderLoadLosesNoAcknowledgedWriteAndTheOthersCarryOnAndItCatchesUpWhenRestarted() throws Exception {
        final List<ChangeWatcher> survivors = new ArrayList<>();
        survivors.addAll(watch("a", 1));
        survivors.addAll(watch("c", 1));
        watch("b", 1);
        final Load load = new Load(List.copyOf(nodes.values()));
        final ExecutorService background = Executors.newSingleThreadExecutor();
        final AtomicBoolean keepGoing = new AtomicBoolean(true);
        try {
            final Future<?> writing = background.submit(() -> {
                load.runWhile(keepGoing, 4);
                return null;
            });
            load.awaitAcknowledged("b", 20);
            assertEquals(137, nodes.get("b").kill(), "SIGKILL");
            final int afterKill = load.acknowledged("a") + load.acknowledged("c");
            load.awaitAcknowledgedOnAOrC(afterKill + 40);

            // restarted on the same database and name; its new clients read the todos, then follow the changes
            final ServiceProcess restarted = ServiceProcess.start(JVM, database.nodeArgs("b"));
            nodes.put("b", restarted);
            load.replace(1, restarted);
            final ChangeWatcher late = watch("b", 1).get(0);
            final Map<Long, SharedDatabase.Row> snapshot = rest(restarted);
            final int beforeRestartWrites = load.acknowledged("b");
            load.awaitAcknowledged("b", beforeRestartWrites + 20);
            keepGoing.set(false);
            writing.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            final long last = marker("b");

            final List<SharedDatabase.Logged> log = database.changeLog();
            assertGapless(log);
            load.assertEveryAcknowledgedWriteIsLogged(log);
            final Map<Long, SharedDatabase.Row> stored = byId(database.todos());
            for (final ChangeWatcher watcher : survivors) {
                watcher.awaitSequence(last, WAIT);
                assertEquals(expected(log), received(watcher),
                        watcher.name() + " (another node) saw every change, those of the killed node included, once, in order");
                assertEquals(stored, watcher.view(Map.of()), watcher.name() + " ends with the database's state");
            }
            late.awaitSequence(last, WAIT);
            final List<String> lateSeen = received(late);
            final List<String> expectedTail = expected(log).subList(log.size() - lateSeen.size(), log.size());
            assertEquals(expectedTail, lateSeen, "the restarted node's client saw each change since it subscribed, in order");
            assertEquals(stored, late.view(snapshot), "the restarted node's client ends with the database's state");
        } finally {
            keepGoing.set(false);
            background.shutdownNow();
        }
    }

    @Test
    void aListeningConnectionTerminatedByTheServerReconnectsAndCatchesUpWithWhatItMissed() throws Exception {
        final ChangeWatcher onA = watch("a", 1).get(0);
        final ChangeWatcher onC = watch("c", 1).get(0);
        final long first = marker("c");
        onC.awaitSequence(first, WAIT);

        // The nodes may not log in for a while, and node c's listening connection is terminated:
        // c cannot reconnect until they may again, and changes committed meanwhile reach it only by catching up.
        database.refuseNewConnections();
        assertEquals(1, database.terminateBackends("flin-bridge-c"), "node c's bridge had one connection");
        awaitBridge("c", bridge -> !bridge.get("connected").asBoolean());
        final HttpResponse<String> health = ServiceProcess.get(http, nodes.get("c").base(), "/health", WAIT);
        assertEquals(200, health.statusCode(), "node c still serves: " + health.body());
        assertEquals("reconnecting", TodoClient.json(health).get("bridge").asString(), health.body());
        final Load load = new Load(List.of(nodes.get("a"), nodes.get("b")));
        load.run(30, 2);
        assertEquals(List.of(), load.serverErrors(), "nodes a and b went on as usual");
        final long missed = database.changeLog().get(database.changeLog().size() - 1).seq();
        onA.awaitSequence(missed, WAIT);
        final int beforeReconnect = onC.seen().size();
        database.allowNewConnections();

        onC.awaitSequence(missed, WAIT);
        final long last = marker("a");
        onC.awaitSequence(last, WAIT);
        final List<SharedDatabase.Logged> log = database.changeLog();
        assertEquals(expected(log), received(onC), "node c's client missed nothing and saw nothing twice");
        assertEquals(byId(database.todos()), onC.view(Map.of()));
        final JsonNode bridge = awaitBridge("c", b -> b.get("connected").asBoolean());
        assertEquals(2, bridge.get("connects").asLong(), bridge.toString());
        assertEquals(1, bridge.get("disconnects").asLong(), bridge.toString());
        assertEquals(missed - first, bridge.get("resynchronised").asLong(),
                "every change committed while it was away came from the change log: " + bridge);
        assertEquals(0, bridge.get("dropped").asLong(), bridge.toString());
        assertTrue(beforeReconnect <= 1, "node c's client heard nothing while its bridge was away: " + onC.seen());
    }

    // ---------------------------------------------------------------------------------------------

    private List<ChangeWatcher> watch(final String node, final int count) throws Exception {
        final List<ChangeWatcher> made = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final ChangeWatcher watcher = ChangeWatcher.subscribe(http, nodes.get(node).port(), "client " + i + " of node " + node);
            watchers.add(watcher);
            made.add(watcher);
        }
        return made;
    }

    /** Creates a todo through {@code node}; @return the sequence number of that change */
    private long marker(final String node) throws Exception {
        final HttpResponse<String> created = http.send(ServiceProcess.create(nodes.get(node).base(), "marker", WAIT),
                BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        final long id = TodoClient.json(created).get("id").asLong();
        return database.changeLog().stream().filter(l -> l.id() == id).findFirst().orElseThrow().seq();
    }

    private JsonNode stats(final String node) throws Exception {
        final HttpResponse<String> stats = ServiceProcess.get(http, nodes.get(node).base(), "/api/stats", WAIT);
        assertEquals(200, stats.statusCode(), stats.body());
        return TodoClient.json(stats);
    }

    private JsonNode awaitBridge(final String node, final java.util.function.Predicate<JsonNode> until) throws Exception {
        return Deadline.poll("node " + node + "'s bridge to get there", () -> stats(node).get("bridge"), until);
    }

    private Map<Long, SharedDatabase.Row> rest(final ServiceProcess node) throws Exception {
        final Map<Long, SharedDatabase.Row> todos = new TreeMap<>();
        for (final JsonNode todo : ServiceProcess.listTodos(http, node.base(), WAIT)) {
            todos.put(todo.get("id").asLong(), new SharedDatabase.Row(todo.get("id").asLong(), todo.get("title").asString(),
                    todo.get("completed").asBoolean(), todo.get("version").asLong()));
        }
        return todos;
    }

    private static Map<Long, SharedDatabase.Row> byId(final List<SharedDatabase.Row> rows) {
        final Map<Long, SharedDatabase.Row> map = new TreeMap<>();
        rows.forEach(row -> map.put(row.id(), row));
        return map;
    }

    private static void assertGapless(final List<SharedDatabase.Logged> log) {
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).seq(), "the change log's sequence numbers have no gap");
        }
    }

    private static List<String> expected(final List<SharedDatabase.Logged> log) {
        return log.stream().map(l -> l.seq() + " " + l.change() + " todo " + l.id() + " v" + l.version() + " by " + l.node())
                .collect(Collectors.toList());
    }

    private static List<String> received(final ChangeWatcher watcher) {
        return watcher.seen().stream()
                .map(s -> s.seq() + " " + s.change() + " todo " + s.id() + " v" + s.version() + " by " + s.node())
                .collect(Collectors.toList());
    }

    /**
     * Creates, updates (with and without the version the writer last saw) and deletes sent
     * round-robin through the nodes by a few concurrent writers; keeps what each node acknowledged.
     */
    private final class Load {

        private final List<ServiceProcess> targets;
        private final AtomicInteger next = new AtomicInteger();
        private final Map<Long, Long> known = new ConcurrentHashMap<>();   // id -> last version a writer saw
        private final List<String> acknowledged = new CopyOnWriteArrayList<>();   // "node CHANGE id version"
        private final List<String> serverErrors = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();

        Load(final List<ServiceProcess> targets) {
            this.targets = new CopyOnWriteArrayList<>(targets);
        }

        void replace(final int index, final ServiceProcess node) {
            targets.set(index, node);
        }

        void run(final int operations, final int writers) throws Exception {
            final AtomicInteger left = new AtomicInteger(operations);
            final ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                final List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    done.add(pool.submit(() -> {
                        while (left.getAndDecrement() > 0) {
                            operate();
                        }
                        return null;
                    }));
                }
                for (final Future<?> f : done) {
                    f.get(WAIT.toSeconds() * 4, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
        }

        void runWhile(final AtomicBoolean keepGoing, final int writers) throws Exception {
            final ExecutorService pool = Executors.newFixedThreadPool(writers);
            try {
                final List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    done.add(pool.submit(() -> {
                        while (keepGoing.get()) {
                            operate();
                        }
                        return null;
                    }));
                }
                for (final Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private void operate() throws Exception {
            final int index = Math.floorMod(next.getAndIncrement(), targets.size());
            final ServiceProcess target = targets.get(index);
            final String node = nodes.entrySet().stream().filter(e -> e.getValue() == target).map(Map.Entry::getKey)
                    .findFirst().orElse("?");
            final URI base;
            try {
                base = target.base();
            } catch (final IllegalStateException noPort) {
                return;
            }
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            final List<Long> ids = new ArrayList<>(known.keySet());
            final HttpResponse<String> answer;
            final String change;
            try {
                if (ids.size() < 8 || random.nextInt(10) < 3) {
                    change = "CREATED";
                    answer = http.send(ServiceProcess.create(base, "todo " + random.nextInt(1_000_000), WAIT),
                            BodyHandlers.ofString());
                } else {
                    final long id = ids.get(random.nextInt(ids.size()));
                    final Long version = known.get(id);
                    final int pick = random.nextInt(10);
                    if (pick < 2) {
                        change = "DELETED";
                        answer = http.send(ServiceProcess.request(base.resolve("/api/todos/" + id), WAIT).DELETE().build(),
                                BodyHandlers.ofString());
                    } else {
                        change = "UPDATED";
                        final String versionField = version != null && pick < 6 ? ",\"version\":" + version : "";
                        final String body = pick % 2 == 0
                                ? "{\"completed\":" + random.nextBoolean() + versionField + "}"
                                : "{\"title\":\"renamed " + random.nextInt(1_000_000) + "\",\"completed\":" + random.nextBoolean()
                                        + versionField + "}";
                        answer = http.send(ServiceProcess.request(base.resolve("/api/todos/" + id), WAIT)
                                .method(pick % 2 == 0 ? "PATCH" : "PUT", BodyPublishers.ofString(body)).build(),
                                BodyHandlers.ofString());
                    }
                }
            } catch (final java.io.IOException unreachable) {
                return;   // a killed node: nothing was acknowledged
            }
            final int status = answer.statusCode();
            if (status >= 500) {
                serverErrors.add(node + " " + status + " " + answer.body());
                return;
            }
            if (status == 201 || status == 200) {
                final JsonNode todo = TodoClient.json(answer);
                known.put(todo.get("id").asLong(), todo.get("version").asLong());
                acknowledged.add(node + " " + change + " " + todo.get("id").asLong() + " " + todo.get("version").asLong());
            } else if (status == 204) {
                final long id = Long.parseLong(answer.uri().getPath().substring("/api/todos/".length()));
                known.remove(id);
                acknowledged.add(node + " " + change + " " + id + " ?");
            } else if (status == 409) {
                final JsonNode current = TodoClient.json(answer).get("current");
                known.put(current.get("id").asLong(), current.get("version").asLong());
                return;
            } else if (status == 404) {
                final long id = Long.parseLong(answer.uri().getPath().substring("/api/todos/".length()));
                known.remove(id);
                return;
            } else {
                serverErrors.add(node + " unexpected " + status + " " + answer.body());
                return;
            }
            perNode.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet();
        }

        int acknowledged(final String node) {
            return perNode.getOrDefault(node, new AtomicInteger()).get();
        }

        void awaitAcknowledged(final String node, final int count) throws Exception {
            Deadline.poll("node " + node + " to acknowledge " + count + " writes (errors so far: " + serverErrors + ")",
                    () -> acknowledged(node), n -> n >= count);
        }

        void awaitAcknowledgedOnAOrC(final int count) throws Exception {
            Deadline.poll("nodes a and c to acknowledge " + count + " writes (errors so far: " + serverErrors + ")",
                    () -> acknowledged("a") + acknowledged("c"), n -> n >= count);
        }

        List<String> serverErrors() {
            return List.copyOf(serverErrors);
        }

        /** Every 2xx of every node is a change in the log: by that node, of that todo, at that version. */
        void assertEveryAcknowledgedWriteIsLogged(final List<SharedDatabase.Logged> log) {
            final Map<String, Integer> logged = new HashMap<>();
            for (final SharedDatabase.Logged l : log) {
                logged.merge(l.node() + " " + l.change() + " " + l.id() + " " + l.version(), 1, Integer::sum);
                if (l.change().equals("DELETED")) {
                    logged.merge(l.node() + " DELETED " + l.id() + " ?", 1, Integer::sum);
                }
            }
            final List<String> missing = acknowledged.stream()
                    .filter(ack -> !logged.containsKey(ack)
                            && !(ack.contains(" UPDATED ") && unchangedUpdate(ack, log)))
                    .collect(Collectors.toList());
            assertEquals(List.of(), missing, "every acknowledged write is committed (" + acknowledged.size() + " acknowledged)");
        }

        /** An update that changed nothing is answered 200 with the todo as it was, and logs nothing. */
        private boolean unchangedUpdate(final String ack, final List<SharedDatabase.Logged> log) {
            final String[] parts = ack.split(" ");
            final long id = Long.parseLong(parts[2]);
            final long version = Long.parseLong(parts[3]);
            return log.stream().anyMatch(l -> l.id() == id && l.version() == version);
        }
    }
}
