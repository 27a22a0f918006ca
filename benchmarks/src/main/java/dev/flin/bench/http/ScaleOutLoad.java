package dev.flin.bench.http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The scale-out measurement of the todo service: {@code N} service processes ({@code java -jar
 * todo-service.jar}) on one fresh PostgreSQL database, {@code clients} WebSocket connections per
 * node subscribed to topic {@code todo}, and a few writers in a closed loop (optionally paced to a
 * rate) that write through the first node only, alternating {@code POST /api/todos} and
 * {@code PATCH /api/todos/{id} {"completed":true}} of the todo just created, so every write is one
 * {@code (id, CREATED|UPDATED)} change.
 *
 * <p>Figures: writes acknowledged per second; deliveries per second (events received by every
 * client of every node in the measured window); end-to-end latency, the arrival of a change's
 * event at each client of the last node minus the moment the writer had the write's 2xx (both
 * {@code System.nanoTime()} in this JVM; an event that beats the HTTP answer counts as 0 and is
 * counted); and, after a drain, the events each client should have had (every acknowledged write,
 * warm-up included) against those it had: any shortfall is reported as lost, per node.
 *
 * <p>Every node gets {@code --node-flags} (default {@code --bridge postgres --node-name {node}},
 * {@code {node}} standing for its name {@code a}, {@code b}, {@code c}, ...), also a single node, so that one and
 * three nodes pay the same path; {@code --node-flags none} passes none. Each run creates its own
 * database next to the one in the JDBC URL and drops it at the end.
 *
 * <p>Run on its own: {@code java -cp benchmarks/target/benchmarks.jar dev.flin.bench.http.ScaleOutLoad
 * --jar todo-service/target/todo-service.jar --nodes 1,3} with {@code FLIN_TEST_PG_URL},
 * {@code FLIN_TEST_PG_USER} and {@code FLIN_TEST_PG_PASSWORD} set (or {@code --jdbc-url},
 * {@code --jdbc-user}, {@code --jdbc-password}); further options {@code --clients n} (20 per node),
 * {@code --writers n} (4 in flight), {@code --rate n} (writes/s; 0, the default, is a closed loop),
 * {@code --seconds n} (10), {@code --warmup n} (10). Node processes are pinned with
 * {@code taskset -c $FLIN_BENCH_SERVER_CPUS} when that is set.
 *
 * <p>Threading: {@link #run} on one thread; writers on their own threads; listeners on the HTTP
 * clients' threads.
 */
public final class ScaleOutLoad {

    /** The flags every node gets unless told otherwise; {@code {node}} is the node's name. */
    static final String DEFAULT_NODE_FLAGS = "--bridge postgres --node-name {node}";

    private static final Pattern OPEN = Pattern.compile("Open http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DRAIN_QUIET = Duration.ofSeconds(5);
    private static final Duration DRAIN_MAX = Duration.ofSeconds(60);
    private static final String[] CHANGES = {"CREATED", "UPDATED", "DELETED"};
    private static final int CREATED = 0;
    private static final int UPDATED = 1;

    /**
     * What to run.
     *
     * @param rate writes per second over all writers; 0 for a closed loop
     * @param nodeFlags the extra flags of every node, {@code {node}} standing for its name; empty for none
     * @param serverCpus a {@code taskset -c} CPU list for the node processes; empty for none
     */
    record Options(Path jar, String jdbcUrl, String jdbcUser, String jdbcPassword, int nodes, int clientsPerNode,
            int writers, int rate, Duration warmup, Duration measure, String nodeFlags, String serverCpus) {
    }

    /**
     * The outcome of one run.
     *
     * @param writesPerSecond writes acknowledged in the measured window per second
     * @param deliveriesPerSecond events received by all clients of all nodes in the measured window per second
     * @param latencySamples events of writes acknowledged in the window that arrived at a client of the last node
     * @param eventsBeforeAck of those, how many arrived before the writer had the write's answer (counted as 0 µs)
     * @param totalWrites writes acknowledged in the whole run, warm-up included: the events each client should have
     * @param minReceived the fewest of those events any one client had
     * @param maxReceived the most of those events any one client had
     * @param eventsLost the shortfall summed over all clients
     * @param lostPerNode the shortfall summed over each node's clients, by node name
     * @param unexpectedEvents events no acknowledged write explains, or duplicates (a failed write that committed)
     * @param writeErrors writes answered other than 201/200, or failed
     */
    record Result(int nodes, int clientsPerNode, int writers, int rate, double seconds, long writes, double writesPerSecond,
            long deliveries, double deliveriesPerSecond, long latencySamples, double p50Micros, double p99Micros,
            double maxMicros, double sentP50Micros, double sentP99Micros, long eventsBeforeAck, long totalWrites, long minReceived, long maxReceived, long eventsLost,
            Map<String, Long> lostPerNode, long unexpectedEvents, long writeErrors, String firstWriteError,
            String nodeFlags, String postgres) {
    }

    private ScaleOutLoad() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> opt = HttpLoadReport.options(args, "--");
        final String jar = opt.get("jar");
        if (jar == null) {
            throw new IllegalArgumentException("--jar <todo-service.jar> is required");
        }
        final String url = opt.getOrDefault("jdbc-url", System.getenv().getOrDefault("FLIN_TEST_PG_URL", ""));
        if (url.isEmpty()) {
            throw new IllegalArgumentException("--jdbc-url or FLIN_TEST_PG_URL is required (eval \"$(bash .ci/start-postgres)\")");
        }
        final List<Result> results = new ArrayList<>();
        Options last = null;
        for (final String n : opt.getOrDefault("nodes", "1,3").split(",")) {
            final Options o = new Options(Path.of(jar), url,
                    opt.getOrDefault("jdbc-user", System.getenv().getOrDefault("FLIN_TEST_PG_USER", "")),
                    opt.getOrDefault("jdbc-password", System.getenv().getOrDefault("FLIN_TEST_PG_PASSWORD", "")),
                    Integer.parseInt(n.trim()), Integer.parseInt(opt.getOrDefault("clients", "20")),
                    Integer.parseInt(opt.getOrDefault("writers", "4")), Integer.parseInt(opt.getOrDefault("rate", "0")),
                    Duration.ofSeconds(Long.parseLong(opt.getOrDefault("warmup", "10"))),
                    Duration.ofSeconds(Long.parseLong(opt.getOrDefault("seconds", "10"))),
                    nodeFlags(opt.getOrDefault("node-flags", DEFAULT_NODE_FLAGS)),
                    System.getenv().getOrDefault("FLIN_BENCH_SERVER_CPUS", ""));
            results.add(run(o));
            last = o;
        }
        System.out.println();
        System.out.print(markdown(last, results));
    }

    /** @return {@code flags}, or empty for {@code none} */
    static String nodeFlags(final String flags) {
        return flags.trim().equalsIgnoreCase("none") ? "" : flags.trim();
    }

    /** Runs one measurement: starts the nodes on a fresh database, measures, stops them and drops the database. */
    static Result run(final Options o) throws Exception {
        if (!Files.isRegularFile(o.jar())) {
            throw new IllegalArgumentException("no todo-service jar at " + o.jar() + " (./mvnw -B package -pl todo-service -am)");
        }
        final String database = "flin_scaleout_" + System.currentTimeMillis() + "_" + o.nodes();
        final String postgres = admin(o, "CREATE DATABASE " + database);
        final String url = withDatabase(o.jdbcUrl(), database);
        System.out.printf(Locale.ROOT, "scale-out: %d node(s), %d clients each, %d writer(s)%s, database %s (PostgreSQL %s)%n",
                o.nodes(), o.clientsPerNode(), o.writers(), o.rate() > 0 ? " at " + o.rate() + " writes/s" : " closed loop",
                database, postgres);
        final List<Node> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < o.nodes(); i++) {
                nodes.add(Node.launch(nodeName(i), command(o, url, nodeName(i))));
            }
            for (final Node n : nodes) {
                n.awaitPort();
                System.out.println("  node " + n.name + " on port " + n.port + " (pid " + n.process.pid() + ")");
            }
            return measure(o, nodes, postgres);
        } finally {
            for (final Node n : nodes) {
                n.close();
            }
            try {
                admin(o, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (final SQLException e) {
                System.err.println("scale-out: could not drop database " + database + ": " + e.getMessage());
            }
        }
    }

    /** @return a node's name: a, b, c, ... */
    static String nodeName(final int index) {
        return index < 26 ? String.valueOf((char) ('a' + index)) : "n" + index;
    }

    /** @return the command line of one node */
    static List<String> command(final Options o, final String url, final String name) {
        final List<String> cmd = new ArrayList<>();
        if (!o.serverCpus().isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", o.serverCpus()));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms256m", "-Xmx512m",
                "-jar", o.jar().toString(), "--port", "0", "--jdbc-url", url, "--reminder-work", "0"));
        if (!o.jdbcUser().isEmpty()) {
            cmd.addAll(List.of("--jdbc-user", o.jdbcUser()));
        }
        if (!o.jdbcPassword().isEmpty()) {
            cmd.addAll(List.of("--jdbc-password", o.jdbcPassword()));
        }
        if (!o.nodeFlags().isEmpty()) {
            for (final String flag : o.nodeFlags().split("\\s+")) {
                cmd.add(flag.replace("{node}", name));
            }
        }
        return cmd;
    }

    /**
     * @return {@code url} with its database replaced: {@code jdbc:postgresql://host:port/db?x=y} to
     *     {@code jdbc:postgresql://host:port/<database>?x=y}
     */
    static String withDatabase(final String url, final String database) {
        final String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
        }
        final int query = url.indexOf('?') < 0 ? url.length() : url.indexOf('?');
        final int slash = url.indexOf('/', prefix.length());
        final int hostEnd = slash < 0 || slash > query ? query : slash;
        return url.substring(0, hostEnd) + "/" + database + url.substring(query);
    }

    /** Runs one statement on the URL's own database; @return the server's version. */
    private static String admin(final Options o, final String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(o.jdbcUrl(), o.jdbcUser(), o.jdbcPassword());
                Statement s = c.createStatement()) {
            s.execute(sql);
            return c.getMetaData().getDatabaseProductVersion();
        }
    }

    private static Result measure(final Options o, final List<Node> nodes, final String postgres) throws Exception {
        final LongAdder deliveries = new LongAdder();
        final List<List<Client>> clients = new ArrayList<>();
        final List<WebSocket> sockets = new ArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final List<Client> onNode = new ArrayList<>();
            final URI ws = URI.create("ws://127.0.0.1:" + nodes.get(n).port + "/ws");
            for (int i = 0; i < o.clientsPerNode(); i++) {
                final Client c = new Client(n == nodes.size() - 1, deliveries);
                final WebSocket socket = http.newWebSocketBuilder().buildAsync(ws, c).get(30, TimeUnit.SECONDS);
                socket.sendText("{\"op\":\"subscribe\",\"topic\":\"todo\"}", true).get(30, TimeUnit.SECONDS);
                sockets.add(socket);
                onNode.add(c);
            }
            clients.add(onNode);
        }
        for (final List<Client> onNode : clients) {
            for (final Client c : onNode) {
                c.subscribed.get(60, TimeUnit.SECONDS);
            }
        }
        final List<Client> all = clients.stream().flatMap(List::stream).toList();

        final URI base = URI.create("http://127.0.0.1:" + nodes.get(0).port);
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        final AtomicLong slots = new AtomicLong(System.nanoTime());
        final long interval = o.rate() > 0 ? TimeUnit.SECONDS.toNanos(1) / o.rate() : 0;
        final List<Writer> writers = new ArrayList<>();
        final List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.writers(); i++) {
            final Writer w = new Writer(http, base, slots, interval);
            writers.add(w);
            final Thread t = new Thread(w, "scale-out-writer-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        final long start;
        final long end;
        final long deliveredBefore;
        final long deliveredAfter;
        try {
            Thread.sleep(o.warmup().toMillis());
            deliveredBefore = deliveries.sum();
            start = System.nanoTime();
            Thread.sleep(o.measure().toMillis());
            end = System.nanoTime();
            deliveredAfter = deliveries.sum();
        } finally {
            for (final Writer w : writers) {
                w.stop = true;
            }
            for (final Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
        }

        // Acknowledged writes: their keys, sorted, and the ack times of those in the window.
        long[] acked = new long[0];
        final Map<Long, Long> ackInWindow = new HashMap<>();
        final Map<Long, Long> sentInWindow = new HashMap<>();
        long errors = 0;
        String firstError = "";
        for (final Writer w : writers) {
            final int n = w.acks.size();
            final int from = acked.length;
            acked = Arrays.copyOf(acked, from + n);
            for (int i = 0; i < n; i++) {
                final long key = w.acks.key(i);
                final long at = w.acks.value(i);
                acked[from + i] = key;
                if (at >= start && at < end) {
                    ackInWindow.put(key, at);
                    sentInWindow.put(key, w.sends.value(i));
                }
            }
            errors += w.errors;
            if (firstError.isEmpty() && w.firstError != null) {
                firstError = w.firstError;
            }
        }
        Arrays.sort(acked);
        drain(all, acked.length);
        for (final WebSocket s : sockets) {
            final var unused = s.sendClose(WebSocket.NORMAL_CLOSURE, "done"); // best effort: the run is over
        }

        final Histogram latency = new Histogram(3);
        final Histogram fromSend = new Histogram(3);
        long beforeAck = 0;
        long minReceived = Long.MAX_VALUE;
        long maxReceived = 0;
        long lost = 0;
        long unexpected = 0;
        final Map<String, Long> lostPerNode = new LinkedHashMap<>();
        for (int n = 0; n < clients.size(); n++) {
            long lostHere = 0;
            for (final Client c : clients.get(n)) {
                final Client.Snapshot s = c.snapshot();
                final long[] keys = Arrays.copyOf(s.keys(), s.count());
                Arrays.sort(keys);
                long matched = 0;
                for (int i = 0; i < keys.length; i++) {
                    if ((i == 0 || keys[i] != keys[i - 1]) && Arrays.binarySearch(acked, keys[i]) >= 0) {
                        matched++;
                    }
                }
                minReceived = Math.min(minReceived, matched);
                maxReceived = Math.max(maxReceived, matched);
                lostHere += acked.length - matched;
                unexpected += keys.length - matched;
                if (c.recordArrivals) {
                    for (int i = 0; i < s.count(); i++) {
                        final Long ack = ackInWindow.get(s.keys()[i]);
                        if (ack != null) {
                            final long l = s.arrivals()[i] - ack;
                            if (l < 0) {
                                beforeAck++;
                            }
                            latency.recordValue(Math.max(0, l));
                            fromSend.recordValue(Math.max(0, s.arrivals()[i] - sentInWindow.get(s.keys()[i])));
                        }
                    }
                }
            }
            lostPerNode.put(nodeName(n), lostHere);
            lost += lostHere;
        }
        final double seconds = (end - start) / 1e9;
        final long windowWrites = ackInWindow.size();
        final long delivered = deliveredAfter - deliveredBefore;
        final boolean any = latency.getTotalCount() > 0;
        return new Result(o.nodes(), o.clientsPerNode(), o.writers(), o.rate(), seconds, windowWrites, windowWrites / seconds,
                delivered, delivered / seconds, latency.getTotalCount(),
                any ? latency.getValueAtPercentile(50) / 1e3 : Double.NaN,
                any ? latency.getValueAtPercentile(99) / 1e3 : Double.NaN, any ? latency.getMaxValue() / 1e3 : Double.NaN,
                any ? fromSend.getValueAtPercentile(50) / 1e3 : Double.NaN,
                any ? fromSend.getValueAtPercentile(99) / 1e3 : Double.NaN,
                beforeAck, acked.length, all.isEmpty() ? 0 : minReceived, maxReceived, lost, lostPerNode, unexpected, errors,
                firstError, o.nodeFlags(), postgres);
    }

    /** Waits until every client has {@code expected} events, or none has had one for {@link #DRAIN_QUIET}. */
    private static void drain(final List<Client> clients, final long expected) throws InterruptedException {
        final long deadline = System.nanoTime() + DRAIN_MAX.toNanos();
        long lastTotal = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long total = 0;
            boolean done = true;
            for (final Client c : clients) {
                final long r = c.received.get();
                total += r;
                done &= r >= expected;
            }
            if (done) {
                return;
            }
            if (total != lastTotal) {
                lastTotal = total;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > DRAIN_QUIET.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /**
     * @return the key {@code id * 4 + change} of a WebSocket message
     *     {@code {"type":"event",...,"event":{...,"change":"CREATED","entity":{"id":7,...}}}}, or -1 for any other message
     */
    static long eventKey(final CharSequence message) {
        final String m = message.toString();
        final int type = valueStart(m, "type", 0);
        if (type < 0 || !m.startsWith("\"event\"", type)) {
            return -1;
        }
        final int change = valueStart(m, "change", type);
        final int entity = valueStart(m, "entity", type);
        if (change < 0 || entity < 0) {
            return -1;
        }
        for (int c = 0; c < CHANGES.length; c++) {
            if (m.startsWith("\"" + CHANGES[c] + "\"", change)) {
                final long id = longAt(m, valueStart(m, "id", entity));
                return id < 0 ? -1 : key(id, c);
            }
        }
        return -1;
    }

    /** @return the {@code id} of a todo's JSON, or -1 */
    static long entityId(final String json) {
        return longAt(json, valueStart(json, "id", 0));
    }

    static long key(final long id, final int change) {
        return id * 4 + change;
    }

    /** @return the index where {@code "name":}'s value starts (after blanks), from {@code from} on; -1 if absent */
    private static int valueStart(final String json, final String name, final int from) {
        final int at = json.indexOf("\"" + name + "\"", from);
        if (at < 0) {
            return -1;
        }
        int i = at + name.length() + 2;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        if (i >= json.length() || json.charAt(i) != ':') {
            return -1;
        }
        i++;
        while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
            i++;
        }
        return i;
    }

    /** @return the non-negative integer at {@code at}, or -1 */
    private static long longAt(final String s, final int at) {
        if (at < 0) {
            return -1;
        }
        long v = 0;
        int i = at;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            i++;
        }
        return i == at ? -1 : v;
    }

    /** @return the markdown table of {@code results}, with a sentence on the setup of {@code o} */
    static String markdown(final Options o, final List<Result> results) {
        final StringBuilder b = new StringBuilder();
        final Result first = results.get(0);
        b.append(String.format(Locale.ROOT, "Todo service nodes (`java -Xms256m -Xmx512m -jar todo-service.jar --port 0"
                + " --reminder-work 0%s`, node processes pinned to CPUs `%s`) on one PostgreSQL %s, a fresh database per run;"
                + " %d WebSocket clients per node subscribed to `todo`; %d writer(s) %s through the first node only, alternating"
                + " `POST /api/todos` and `PATCH /api/todos/{id} {\"completed\":true}`; %s warm-up, then %s measured."
                + " Latency: the event's arrival at each client of the last node minus the writer's 2xx (one clock, this JVM's"
                + " `System.nanoTime()`); an event that beats the HTTP answer counts as 0 (column \"events before ack\");"
                + " \"sent→event\": the same arrival minus the moment the writer sent the request, never negative."
                + " Deliveries/s: events received by every client of every node in the measured window. Events lost: after a"
                + " drain, the events each client should have had (every acknowledged write) minus those it had, summed over"
                + " clients.%n%n",
                first.nodeFlags().isEmpty() ? "" : " " + first.nodeFlags(), o.serverCpus().isEmpty() ? "none" : o.serverCpus(),
                first.postgres(), first.clientsPerNode(), first.writers(),
                first.rate() > 0 ? "paced to " + first.rate() + " writes/s" : "in a closed loop",
                seconds(o.warmup()), seconds(o.measure())));
        b.append("| nodes | clients | writes/s | deliveries/s | ack→event p50 µs | ack→event p99 µs | ack→event max µs"
                + " | sent→event p50 µs | sent→event p99 µs | events lost | lost per node"
                + " | expected per client | received per client (min-max) | events before ack | unexpected events"
                + " | write errors |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Result r : results) {
            final StringBuilder perNode = new StringBuilder();
            r.lostPerNode().forEach((node, n) -> perNode.append(perNode.length() == 0 ? "" : ", ").append(node).append(' ')
                    .append(n));
            b.append(String.format(Locale.ROOT, "| %d | %d | %.0f | %.0f | %s | %s | %s | %s | %s | %d | %s | %d | %d-%d | %d | %d | %d |%n",
                    r.nodes(), r.nodes() * r.clientsPerNode(), r.writesPerSecond(), r.deliveriesPerSecond(),
                    micros(r.p50Micros()), micros(r.p99Micros()), micros(r.maxMicros()), micros(r.sentP50Micros()),
                    micros(r.sentP99Micros()), r.eventsLost(), perNode,
                    r.totalWrites(), r.minReceived(), r.maxReceived(), r.eventsBeforeAck(), r.unexpectedEvents(),
                    r.writeErrors()));
        }
        for (final Result r : results) {
            if (!r.firstWriteError().isEmpty()) {
                b.append("\n").append(r.nodes()).append(" node(s), first write error: `").append(r.firstWriteError()).append("`\n");
            }
        }
        return b.toString();
    }

    private static String micros(final double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String seconds(final Duration d) {
        return d.toSeconds() + " s";
    }

    /** One service process: its output drained into a short tail, its port read from {@code Open http://...}. */
    private static final class Node implements AutoCloseable {
        final String name;
        final Process process;
        final CompletableFuture<Integer> opened = new CompletableFuture<>();
        private final ArrayDeque<String> tail = new ArrayDeque<>(); // guarded by itself
        int port = -1;

        private Node(final String name, final Process process) {
            this.name = name;
            this.process = process;
        }

        static Node launch(final String name, final List<String> cmd) throws IOException {
            final Node n = new Node(name, new ProcessBuilder(cmd).redirectErrorStream(true).start());
            final Thread reader = new Thread(n::drain, "scale-out-node-" + name);
            reader.setDaemon(true);
            reader.start();
            return n;
        }

        private void drain() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                    final Matcher m = OPEN.matcher(line);
                    if (m.find()) {
                        opened.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (final IOException e) {
                // the process is gone: awaitPort reports its output
            }
            opened.completeExceptionally(new IllegalStateException("node " + name + " exited before it printed its port"));
        }

        void awaitPort() throws InterruptedException {
            try {
                port = opened.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (final ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage() + "; its last output:\n" + tail(), e.getCause());
            } catch (final TimeoutException e) {
                throw new IllegalStateException("node " + name + " printed no port within " + START_TIMEOUT
                        + "; its last output:\n" + tail(), e);
            }
        }

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: a graceful shutdown
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                System.err.println("scale-out: node " + name + " ignored SIGTERM for 15 s; killing it");
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** A WebSocket client: counts events, keeps their keys and (on the last node) their arrival times. */
    private static final class Client implements WebSocket.Listener {
        /** What it received: {@code count} keys, and arrival times when it records them. */
        static final class Snapshot {
            private final long[] keys;
            private final long[] arrivals;

            Snapshot(final long[] keys, final long[] arrivals) {
                this.keys = keys;
                this.arrivals = arrivals;
            }

            long[] keys() {
                return keys;
            }

            long[] arrivals() {
                return arrivals;
            }

            int count() {
                return keys.length;
            }
        }

        final boolean recordArrivals;
        final AtomicLong received = new AtomicLong();
        final CompletableFuture<Void> subscribed = new CompletableFuture<>();
        private final LongAdder deliveries;
        private final StringBuilder partial = new StringBuilder();
        private long[] keys = new long[1024]; // guarded by this
        private long[] arrivals; // guarded by this
        private int count; // guarded by this

        Client(final boolean recordArrivals, final LongAdder deliveries) {
            this.recordArrivals = recordArrivals;
            this.deliveries = deliveries;
            this.arrivals = recordArrivals ? new long[1024] : new long[0];
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            final long now = System.nanoTime();
            partial.append(data);
            if (last) {
                final long key = eventKey(partial);
                if (key >= 0) {
                    add(key, now);
                    received.incrementAndGet();
                    deliveries.increment();
                } else if (partial.indexOf("\"subscribed\"") >= 0) {
                    subscribed.complete(null);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
            subscribed.completeExceptionally(new IllegalStateException("closed with " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(final WebSocket webSocket, final Throwable error) {
            subscribed.completeExceptionally(error);
        }

        private synchronized void add(final long key, final long at) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                if (recordArrivals) {
                    arrivals = Arrays.copyOf(arrivals, count * 2);
                }
            }
            keys[count] = key;
            if (recordArrivals) {
                arrivals[count] = at;
            }
            count++;
        }

        synchronized Snapshot snapshot() {
            return new Snapshot(Arrays.copyOf(keys, count), Arrays.copyOf(arrivals, recordArrivals ? count : 0));
        }
    }

    /** A closed-loop writer: create a todo, then complete it, and again; each 2xx's key and time kept. */
    private static final class Writer implements Runnable {
        private final HttpClient http;
        private final URI base;
        private final AtomicLong slots;
        private final long interval;
        final LongPairs acks = new LongPairs();
        /** When each acknowledged write's request was sent, by the same key. */
        final LongPairs sends = new LongPairs();
        volatile boolean stop;
        long errors;
        String firstError;

        Writer(final HttpClient http, final URI base, final AtomicLong slots, final long interval) {
            this.http = http;
            this.base = base;
            this.slots = slots;
            this.interval = interval;
        }

        @Override
        public void run() {
            long pending = -1; // a todo created and not yet completed
            while (!stop) {
                if (interval > 0) {
                    final long slot = slots.getAndAdd(interval);
                    long wait;
                    while ((wait = slot - System.nanoTime()) > 0 && !stop) {
                        LockSupport.parkNanos(wait);
                    }
                }
                final long sent = System.nanoTime();
                try {
                    if (pending < 0) {
                        final HttpResponse<String> r = http.send(request(base.resolve("/api/todos"), "POST",
                                "{\"title\":\"scale-out " + System.nanoTime() + "\"}"), HttpResponse.BodyHandlers.ofString());
                        final long at = System.nanoTime();
                        final long id = r.statusCode() == 201 ? entityId(r.body()) : -1;
                        if (id < 0) {
                            failed("POST answered " + r.statusCode() + " " + r.body());
                        } else {
                            acks.add(key(id, CREATED), at);
                            sends.add(key(id, CREATED), sent);
                            pending = id;
                        }
                    } else {
                        final HttpResponse<String> r = http.send(request(base.resolve("/api/todos/" + pending), "PATCH",
                                "{\"completed\":true}"), HttpResponse.BodyHandlers.ofString());
                        final long at = System.nanoTime();
                        if (r.statusCode() == 200) {
                            acks.add(key(pending, UPDATED), at);
                            sends.add(key(pending, UPDATED), sent);
                        } else {
                            failed("PATCH answered " + r.statusCode() + " " + r.body());
                        }
                        pending = -1;
                    }
                } catch (final IOException e) {
                    failed(e.toString());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private void failed(final String why) {
            errors++;
            if (firstError == null) {
                firstError = why;
            }
        }

        private static HttpRequest request(final URI uri, final String method, final String body) {
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        }
    }

    /** A growable list of (key, value) pairs of longs; one writer thread, read after it has been joined. */
    private static final class LongPairs {
        private long[] pairs = new long[2048];
        private int size;

        void add(final long key, final long value) {
            if (2 * size == pairs.length) {
                pairs = Arrays.copyOf(pairs, pairs.length * 2);
            }
            pairs[2 * size] = key;
            pairs[2 * size + 1] = value;
            size++;
        }

        int size() {
            return size;
        }

        long key(final int i) {
            return pairs[2 * i];
        }

        long value(final int i) {
            return pairs[2 * i + 1];
        }
    }
}
