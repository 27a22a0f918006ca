package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, crash durability: a todo the service answered 2xx for survives the process being
 * killed (SIGKILL, no shutdown hook, no close) while creates are in flight, and an id once
 * acknowledged is never handed out again. Rounds on the same data: start the real main in a child
 * JVM, send up to {@value #CREATES} creates over {@value #CONNECTIONS} concurrent connections,
 * kill it once at least {@value #ACKNOWLEDGED_BEFORE_KILL} were acknowledged, start it again on
 * the same data (that process is the next round's) and read every todo back.
 *
 * <p>Requests cut by the kill (reset, EOF, refused) are expected: their todo may or may not
 * exist. Only what was answered 2xx is owed.
 */
class CrashDurabilityTest {

    private static final int ROUNDS = 5;
    private static final int CONNECTIONS = 32;
    private static final int CREATES = 1_000;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 150;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private final List<ServiceProcess> processes = new ArrayList<>();
    private ExecutorService clients;

    @AfterEach
    void cleanUp() throws InterruptedException {
        if (clients != null) {
            clients.shutdownNow();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
        for (final ServiceProcess process : processes) {
            process.close();
        }
    }

    @Test
    void acknowledgedCreatesSurviveSigkillOnH2() throws Exception {
        rounds("h2", List.of("--data-dir", dataDir.toString()));
    }

    @Test
    void acknowledgedCreatesSurviveSigkillOnPostgresql() throws Exception {
        final JdbcSettings pg = TodoStorePostgresTest.emptyPostgres();   // skips without FLIN_TEST_PG_URL; drops the table once
        final List<String> flags = new ArrayList<>(List.of("--jdbc-url", pg.url(), "--data-dir", dataDir.toString()));
        if (!pg.user().isEmpty()) {
            flags.addAll(List.of("--jdbc-user", pg.user()));
        }
        if (!pg.password().isEmpty()) {
            flags.addAll(List.of("--jdbc-password", pg.password()));
        }
        rounds("postgresql", flags);
    }

    /** An acknowledged create: the id the service answered and the title it was sent. */
    private record Ack(int round, long id, String title) {
    }

    /** What one round saw. */
    private record Round(int round, int acknowledged, int surviving, List<String> lost, int inFlightAtKill,
            Map<Integer, Integer> statuses, List<String> unexpected) {
    }

    private void rounds(final String database, final List<String> flags) throws Exception {
        final List<String> args = new ArrayList<>(List.of("--port", "0", "--reminder-work", "0"));
        args.addAll(flags);
        clients = Executors.newFixedThreadPool(CONNECTIONS);
        final Map<Long, Ack> acknowledgedIds = new TreeMap<>();
        final Map<Long, Ack> survivors = new TreeMap<>();
        final List<String> reissued = new ArrayList<>();
        final List<String> earlierRoundsLost = new ArrayList<>();
        final List<Round> results = new ArrayList<>();
        ServiceProcess service = start(args);
        for (int round = 1; round <= ROUNDS; round++) {
            final HttpClient http = ServiceProcess.newHttpClient();   // a fresh pool: the last one's connections died with the process
            final Round result;
            final List<Ack> acks = new ArrayList<>();
            final int[] inFlight = new int[1];
            final Map<Integer, Integer> statuses = new TreeMap<>();
            final List<String> unexpected = new ArrayList<>();
            attack(round, http, service, acks, inFlight, statuses, unexpected);

            service = start(args);
            final Map<Long, String> stored = new TreeMap<>();
            for (final JsonNode todo : ServiceProcess.listTodos(ServiceProcess.newHttpClient(), service.base(), REQUEST_TIMEOUT)) {
                stored.put(todo.get("id").asLong(), todo.get("title").asString());
            }
            final List<String> lost = new ArrayList<>();
            for (final Ack ack : acks) {
                final String title = stored.get(ack.id());
                if (!ack.title().equals(title)) {
                    lost.add(ack.id() + "=" + ack.title() + (title == null ? " (missing)" : " (now '" + title + "')"));
                }
            }
            for (final Iterator<Ack> earlier = survivors.values().iterator(); earlier.hasNext(); ) {
                final Ack ack = earlier.next();   // earlier rounds' todos, found after their own round, must stay
                if (!ack.title().equals(stored.get(ack.id()))) {
                    earlierRoundsLost.add("after round " + round + ": " + ack.id() + "=" + ack.title() + " is now "
                            + stored.get(ack.id()));
                    earlier.remove();
                }
            }
            for (final Ack ack : acks) {
                if (ack.title().equals(stored.get(ack.id()))) {
                    survivors.put(ack.id(), ack);
                }
            }
            for (final Ack ack : acks) {
                final Ack before = acknowledgedIds.putIfAbsent(ack.id(), ack);
                if (before != null) {
                    reissued.add("id " + ack.id() + ": '" + before.title() + "' (round " + before.round() + ") and '"
                            + ack.title() + "' (round " + ack.round() + ")");
                }
            }
            result = new Round(round, acks.size(), acks.size() - lost.size(), lost, inFlight[0], statuses, unexpected);
            results.add(result);
            System.out.println("crash round " + round + " (" + database + "): acknowledged " + result.acknowledged()
                    + ", surviving " + result.surviving() + ", lost " + lost.size() + " (in flight at the kill "
                    + result.inFlightAtKill() + ", statuses " + statuses + ", ids reissued so far " + reissued.size()
                    + ", earlier rounds' todos lost so far " + earlierRoundsLost.size() + ")"
                    + (lost.isEmpty() ? "" : "; first lost: " + lost.subList(0, Math.min(5, lost.size()))));
        }
        final Optional<Integer> exit = service.stop(Duration.ofSeconds(30));
        System.out.println("crash rounds (" + database + "): acknowledged " + results.stream().mapToInt(Round::acknowledged).sum()
                + ", lost " + results.stream().mapToInt(r -> r.lost().size()).sum() + ", ids acknowledged twice "
                + reissued.size() + (reissued.isEmpty() ? "" : " e.g. " + reissued.subList(0, Math.min(3, reissued.size()))));

        for (final Round r : results) {
            assertTrue(r.unexpected().isEmpty(), "round " + r.round() + ": " + r.unexpected().size()
                    + " requests failed before the kill, e.g. " + r.unexpected().subList(0, Math.min(5, r.unexpected().size())));
            assertTrue(r.inFlightAtKill() > 0, "round " + r.round() + ": the kill must land while creates are in flight");
            assertTrue(r.acknowledged() >= ACKNOWLEDGED_BEFORE_KILL, "round " + r.round() + " acknowledged " + r.acknowledged());
        }
        final List<String> lostByRound = results.stream().filter(r -> !r.lost().isEmpty())
                .map(r -> "round " + r.round() + ": " + r.lost().size() + " of " + r.acknowledged() + " lost, e.g. "
                        + r.lost().subList(0, Math.min(3, r.lost().size())))
                .toList();
        assertTrue(lostByRound.isEmpty(), "todos answered 2xx are missing after SIGKILL (" + database + "): " + lostByRound);
        assertTrue(earlierRoundsLost.isEmpty(), "todos of earlier rounds changed or vanished: " + earlierRoundsLost.size()
                + ", e.g. " + earlierRoundsLost.subList(0, Math.min(5, earlierRoundsLost.size())));
        assertTrue(reissued.isEmpty(), "ids acknowledged twice across rounds (" + database + "): " + reissued.size() + ", e.g. "
                + reissued.subList(0, Math.min(5, reissued.size())));
        assertEquals(Optional.of(0), exit, "the last process stops cleanly on SIGTERM: " + service.describeExit());
    }

    private ServiceProcess start(final List<String> args) throws Exception {
        final ServiceProcess service = ServiceProcess.start(List.of(), args);
        processes.add(service);
        return service;
    }

    /**
     * {@value #CONNECTIONS} clients create concurrently; once {@value #ACKNOWLEDGED_BEFORE_KILL}
     * were acknowledged the process is killed while they go on. Fills {@code acks} with every 2xx.
     */
    private void attack(final int round, final HttpClient http, final ServiceProcess service, final List<Ack> acks,
            final int[] inFlightAtKill, final Map<Integer, Integer> statuses, final List<String> unexpected)
            throws Exception {
        final URI base = service.base();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicBoolean killed = new AtomicBoolean();
        final CountDownLatch enough = new CountDownLatch(ACKNOWLEDGED_BEFORE_KILL);
        final ConcurrentMap<Long, Ack> acked = new ConcurrentHashMap<>();
        final List<Ack> duplicates = new CopyOnWriteArrayList<>();
        final ConcurrentMap<Integer, AtomicInteger> byStatus = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final List<Future<?>> workers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            workers.add(clients.submit(() -> {
                for (int n = next.getAndIncrement(); n < CREATES; n = next.getAndIncrement()) {
                    final String title = "r" + round + "-n" + n;
                    inFlight.incrementAndGet();
                    final HttpResponse<String> answer;
                    try {
                        answer = http.send(ServiceProcess.create(base, title, REQUEST_TIMEOUT), BodyHandlers.ofString());
                    } catch (final IOException cut) {
                        if (!killed.get()) {
                            failures.add(title + ": " + cut);
                        }
                        return null;   // the kill cut it (reset, EOF, refused): expected
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    byStatus.computeIfAbsent(answer.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (answer.statusCode() / 100 == 2) {
                        final JsonNode todo = TodoClient.json(answer);
                        final Ack ack = new Ack(round, todo.get("id").asLong(), title);
                        if (!title.equals(todo.get("title").asString())) {
                            failures.add(title + " was answered with the title " + todo.get("title"));
                        }
                        if (acked.putIfAbsent(ack.id(), ack) != null) {
                            duplicates.add(ack);
                        }
                        enough.countDown();
                    } else if (!killed.get()) {
                        failures.add(title + ": " + answer.statusCode() + " " + answer.body());
                    }
                }
                return null;
            }));
        }
        // Until enough were acknowledged, or every client gave up (then the round has failed anyway).
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean reached = false;
        while (!reached && System.nanoTime() - end < 0 && !workers.stream().allMatch(Future::isDone)) {
            reached = enough.await(100, TimeUnit.MILLISECONDS);
        }
        reached = reached || enough.getCount() == 0;
        killed.set(true);
        inFlightAtKill[0] = inFlight.get();
        final int exit = service.kill();
        for (final Future<?> worker : workers) {
            worker.get(REQUEST_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
        }
        assertTrue(reached, "round " + round + ": " + ACKNOWLEDGED_BEFORE_KILL + " creates were not acknowledged in 120 s ("
                + acked.size() + " were; " + failures.size() + " failures, e.g. " + failures.subList(0, Math.min(5, failures.size()))
                + "); " + service.describeExit());
        assertEquals(137, exit, "SIGKILL ends the process with 128 + 9: " + service.describeExit());
        acks.addAll(acked.values());
        duplicates.forEach(d -> unexpected.add("id " + d.id() + " answered twice in one round: " + d.title()));
        unexpected.addAll(failures);
        byStatus.forEach((status, count) -> statuses.put(status, count.get()));
    }
}
