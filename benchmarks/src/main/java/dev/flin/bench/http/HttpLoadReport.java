package dev.flin.bench.http;

import dev.flin.bench.report.Versions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP baseline: wrk against raw Netty and runtime-http (agent per request, and a handler
 * pool) in one run, and the WebSocket fan-out figure; writes {@code <out>/<date>-http-jdk<N>.md}.
 * Run it through {@code benchmarks/http-baseline.sh}, which pins this JVM and wrk to the last
 * core and the server JVM to core 0.
 *
 * <p>Options: {@code --out dir} (docs/baseline), {@code --seconds n} (10) per measured wrk run,
 * {@code --rounds n} (2) of raw/agent/pool, {@code --connections n} (64), {@code --ws-clients n}
 * (100), {@code --ws-round n} (16), {@code --ws-seconds n} (10).
 *
 * <p>With {@code --scale-out-jar <todo-service.jar>} and {@code FLIN_TEST_PG_URL},
 * {@code FLIN_TEST_PG_USER} and {@code FLIN_TEST_PG_PASSWORD} set (see {@code .ci/start-postgres}),
 * also the section "Scale-out": {@link ScaleOutLoad} with 1 and 3 todo service nodes on that
 * PostgreSQL, after the load server has stopped. Its options: {@code --scale-out-clients n} (20 per
 * node), {@code --scale-out-writers n} (4), {@code --scale-out-seconds n} (10),
 * {@code --scale-out-node-flags "..."} (default {@code --bridge postgres --node-name {node}};
 * {@code none} for none). A failed scale-out run is reported in its section; the rest of the report
 * is written all the same.
 *
 * <p>Threading: main thread only.
 */
public final class HttpLoadReport {

    private HttpLoadReport() {
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, String> opt = options(args);
        final Path out = Path.of(opt.getOrDefault("out", "docs/baseline"));
        final int seconds = Integer.parseInt(opt.getOrDefault("seconds", "10"));
        final int rounds = Integer.parseInt(opt.getOrDefault("rounds", "2"));
        final int connections = Integer.parseInt(opt.getOrDefault("connections", "64"));
        final int wsClients = Integer.parseInt(opt.getOrDefault("ws-clients", "100"));
        final int wsRound = Integer.parseInt(opt.getOrDefault("ws-round", "16"));
        final int wsSeconds = Integer.parseInt(opt.getOrDefault("ws-seconds", "10"));
        final String serverCpu = System.getenv().getOrDefault("FLIN_BENCH_SERVER_CPUS", "");
        final String clientCpu = System.getenv().getOrDefault("FLIN_BENCH_CLIENT_CPUS", "");
        final String scaleOutJar = opt.getOrDefault("scale-out-jar", "");
        final String pgUrl = System.getenv().getOrDefault("FLIN_TEST_PG_URL", "");
        if (!scaleOutJar.isEmpty() && pgUrl.isEmpty()) {
            System.err.println("--scale-out-jar given but FLIN_TEST_PG_URL is not set (eval \"$(bash .ci/start-postgres)\"):"
                    + " no scale-out section");
        }

        final List<String> serverCmd = new ArrayList<>();
        if (!serverCpu.isEmpty()) {
            serverCmd.addAll(List.of("taskset", "-c", serverCpu));
        }
        serverCmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xms1g", "-Xmx1g"));
        for (final String prop : List.of("flin.bench.idle", "flin.bench.workers", "flin.bench.ioThreads")) {
            if (System.getProperty(prop) != null) {
                serverCmd.add("-D" + prop + "=" + System.getProperty(prop));
            }
        }
        serverCmd.addAll(List.of("-cp", System.getProperty("java.class.path"), LoadServer.class.getName()));
        final Process server = new ProcessBuilder(serverCmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        final String md;
        try (BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                Writer serverIn = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8)) {
            final String ports = serverOut.readLine();
            if (ports == null || !ports.startsWith("ports ")) {
                throw new IllegalStateException("the load server did not start: " + ports);
            }
            final Map<String, String> p = options(ports.substring(6).replace("=", " ").split(" "), "");
            final Map<String, URI> targets = new LinkedHashMap<>();
            targets.put("raw Netty", URI.create("http://127.0.0.1:" + p.get("raw") + "/hello"));
            targets.put("agent per request", URI.create("http://127.0.0.1:" + p.get("agent") + "/hello"));
            targets.put("handler pool (4 agents)", URI.create("http://127.0.0.1:" + p.get("pool") + "/hello"));
            targets.put("agent per request, agents on the event loop", URI.create("http://127.0.0.1:" + p.get("loop") + "/hello"));
            System.out.println("load server up: " + ports);

            final Map<String, List<WrkResult>> results = new LinkedHashMap<>();
            for (final Map.Entry<String, URI> t : targets.entrySet()) {
                wrk(clientCpu, t.getValue(), connections, 3); // warm-up, discarded
                results.put(t.getKey(), new ArrayList<>());
            }
            for (int r = 0; r < rounds; r++) {
                for (final Map.Entry<String, URI> t : targets.entrySet()) {
                    final WrkResult w = wrk(clientCpu, t.getValue(), connections, seconds);
                    System.out.printf(Locale.ROOT, "round %d %-44s %10.0f req/s  p50 %7.0f us  p99 %7.0f us%n", r + 1,
                            t.getKey(), w.requestsPerSecond(), w.p50Micros(), w.p99Micros());
                    results.get(t.getKey()).add(w);
                }
            }
            System.out.println("WebSocket fan-out: " + wsClients + " clients, rounds of " + wsRound + " events ...");
            final WsFanoutClient.Result ws = WsFanoutClient.run(URI.create("http://127.0.0.1:" + p.get("agent")), wsClients,
                    wsRound, Duration.ofSeconds(3), Duration.ofSeconds(wsSeconds));
            System.out.println(ws);
            serverIn.write("stats\n");
            serverIn.flush();
            final String serverStats = serverOut.readLine();
            md = markdown(ports, results, ws, connections, seconds, rounds, serverCpu, clientCpu, serverStats);
        } finally {
            server.destroy();
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        final String scaleOut = scaleOutJar.isEmpty() || pgUrl.isEmpty() ? ""
                : scaleOut(opt, Path.of(scaleOutJar), pgUrl, serverCpu);
        Files.createDirectories(out);
        final Path file = out.resolve(LocalDate.now(ZoneOffset.UTC) + "-http-jdk" + Runtime.version().feature() + ".md");
        Files.writeString(file, md + scaleOut);
        System.out.println("wrote " + file);
    }

    /** Runs {@link ScaleOutLoad} with 1 and 3 nodes; @return the section "Scale-out". */
    private static String scaleOut(final Map<String, String> opt, final Path jar, final String pgUrl, final String serverCpu)
            throws Exception {
        final List<ScaleOutLoad.Result> results = new ArrayList<>();
        final StringBuilder failures = new StringBuilder();
        ScaleOutLoad.Options o = null;
        for (final int nodes : List.of(1, 3)) {
            o = new ScaleOutLoad.Options(jar, pgUrl, System.getenv().getOrDefault("FLIN_TEST_PG_USER", ""),
                    System.getenv().getOrDefault("FLIN_TEST_PG_PASSWORD", ""), nodes,
                    Integer.parseInt(opt.getOrDefault("scale-out-clients", "20")),
                    Integer.parseInt(opt.getOrDefault("scale-out-writers", "4")), 0, Duration.ofSeconds(10),
                    Duration.ofSeconds(Long.parseLong(opt.getOrDefault("scale-out-seconds", "10"))),
                    ScaleOutLoad.nodeFlags(opt.getOrDefault("scale-out-node-flags", ScaleOutLoad.DEFAULT_NODE_FLAGS)),
                    serverCpu);
            try {
                final ScaleOutLoad.Result r = ScaleOutLoad.run(o);
                System.out.println(r);
                results.add(r);
            } catch (final Exception e) {
                System.err.println("scale-out: the " + nodes + "-node run failed: " + e);
                final String message = String.valueOf(e.getMessage()).replace("\n", " / ").replace('`', '\'');
                final String why = message.length() > 400 ? message.substring(0, 400) + " ..." : message;
                failures.append("\nThe ").append(nodes).append("-node run failed: `").append(why).append("`\n");
            }
        }
        return "\n## Scale-out: todo service nodes on one PostgreSQL\n\n"
                + (results.isEmpty() ? "" : ScaleOutLoad.markdown(o, results)) + failures;
    }

    static WrkResult wrk(final String cpus, final URI uri, final int connections, final int seconds)
            throws IOException, InterruptedException {
        final List<String> cmd = new ArrayList<>();
        if (!cpus.isEmpty()) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.addAll(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--latency", uri.toString()));
        final Process wrk = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        final String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + String.join(" ", cmd) + "\n" + output);
        }
        return WrkResult.parse(output);
    }

    static String markdown(final String ports, final Map<String, List<WrkResult>> results, final WsFanoutClient.Result ws,
            final int connections, final int seconds, final int rounds, final String serverCpu, final String clientCpu,
            final String serverStats) {
        final StringBuilder b = new StringBuilder();
        b.append("# HTTP baseline, ").append(LocalDate.now(ZoneOffset.UTC)).append(", JDK ").append(Runtime.version()).append("\n\n");
        final Versions versions = Versions.current();
        b.append("Versions: FLIN ").append(versions.flin()).append(" (commit ")
                .append(Versions.commit().map(c -> "`" + c + "`").orElse("unknown")).append("), Netty ")
                .append(versions.netty()).append(", JDK ").append(System.getProperty("java.vm.vendor", "unknown")).append(' ')
                .append(Runtime.version()).append(".\n\n");
        b.append("Command: `bash benchmarks/http-baseline.sh`. Machine: ").append(Runtime.getRuntime().availableProcessors())
                .append(" core(s) visible to the client JVM; server JVM pinned to CPUs `").append(serverCpu.isEmpty() ? "none" : serverCpu)
                .append("`, wrk and the WebSocket client to CPUs `").append(clientCpu.isEmpty() ? "none" : clientCpu)
                .append("`. Server: ").append(ports.substring(6)).append("; ")
                .append(System.getProperty("flin.bench.ioThreads", "1")).append(" event-loop thread(s); runtime workers: ")
                .append(System.getProperty("flin.bench.workers", "one per core of the server's CPU set"))
                .append(", idle strategy ").append(System.getProperty("flin.bench.idle", "backoff")).append(".\n\n");
        b.append("## Hello route: raw Netty vs runtime-http\n\n");
        b.append("`wrk -t1 -c").append(connections).append(" -d").append(seconds).append("s --latency`, ").append(rounds)
                .append(" interleaved rounds after a 3 s warm-up per target, all in one run against one server process.\n\n");
        b.append("| target | round | requests/s | p50 µs | p90 µs | p99 µs | non-2xx | socket errors |\n|---|---|---|---|---|---|---|---|\n");
        results.forEach((name, runs) -> {
            for (int i = 0; i < runs.size(); i++) {
                final WrkResult w = runs.get(i);
                b.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.0f | %.0f | %.0f | %d | %d |%n", name, i + 1,
                        w.requestsPerSecond(), w.p50Micros(), w.p90Micros(), w.p99Micros(), w.non2xx(), w.socketErrors()));
            }
        });
        final List<WrkResult> raw = results.get("raw Netty");
        b.append("\n| target | mean requests/s | vs raw Netty | mean p99 µs | p99 vs raw Netty | target (>= 90% req/s, <= 1.2x p99) |\n|---|---|---|---|---|---|\n");
        final double rawRps = mean(raw, WrkResult::requestsPerSecond);
        final double rawP99 = mean(raw, WrkResult::p99Micros);
        results.forEach((name, runs) -> {
            final double rps = mean(runs, WrkResult::requestsPerSecond);
            final double p99 = mean(runs, WrkResult::p99Micros);
            final boolean met = rps >= 0.9 * rawRps && p99 <= 1.2 * rawP99;
            b.append(String.format(Locale.ROOT, "| %s | %.0f | %.2f | %.0f | %.2fx | %s |%n", name, rps, rps / rawRps, p99,
                    p99 / rawP99, name.equals("raw Netty") ? "(reference)" : met ? "met" : "not met"));
        });
        b.append("\n## WebSocket fan-out\n\n");
        b.append(String.format(Locale.ROOT, "%d WebSocket clients subscribed to one topic; closed loop: the client asks for a round"
                + " of %d events and waits until every client has all of them.%n%n", ws.clients(), ws.round()));
        b.append("| clients | events/s published | deliveries/s | p50 µs | p99 µs | max µs |\n|---|---|---|---|---|---|\n");
        b.append(String.format(Locale.ROOT, "| %d | %.0f | %.0f | %.0f | %.0f | %.0f |%n", ws.clients(), ws.eventsPerSecond(),
                ws.deliveriesPerSecond(), ws.p50Micros(), ws.p99Micros(), ws.maxMicros()));
        b.append("\nServer counters at the end: `").append(serverStats).append("`\n");
        return b.toString();
    }

    private static double mean(final List<WrkResult> runs, final java.util.function.ToDoubleFunction<WrkResult> f) {
        return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
    }

    private static Map<String, String> options(final String[] args) {
        return options(args, "--");
    }

    /**
     * @return {@code prefix}name value pairs by name, in order
     * @throws IllegalArgumentException naming the argument that is not {@code prefix}name, or a name
     *     given without a value
     */
    static Map<String, String> options(final String[] args, final String prefix) {
        final Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith(prefix) || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected " + prefix + "name value, got '" + args[i] + "'"
                        + (i + 1 >= args.length ? " without a value" : ""));
            }
            m.put(args[i].substring(prefix.length()), args[i + 1]);
        }
        return m;
    }
}
