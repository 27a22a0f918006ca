package dev.flin.todo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Issue 11, bounded memory: clients that announce big bodies and never finish them must not turn
 * the service into a zombie (alive, port open, never answering). The real main runs in a child JVM
 * with a small heap and <em>without</em> {@code -XX:+ExitOnOutOfMemoryError}: the service itself
 * must either keep serving or exit (non-zero, saying why on stderr) when the heap runs out.
 *
 * <ul>
 * <li>Attack A: {@value #A_CONNECTIONS} connections each send the head of a 1 MiB POST and then one
 *     body byte every few seconds.
 * <li>Attack B: {@value #B_CONNECTIONS} connections each trickle a 1 MiB body in small chunks, all
 *     but its last byte.
 * </ul>
 *
 * During and after each attack a fresh connection asks {@code GET /health} every second, each
 * probe with its own {@value #PROBE_TIMEOUT_MS} ms deadline. The test fails if the process is
 * alive while {@value #ZOMBIE_PROBES} probes in a row get no answer, if it exits without a
 * non-zero code and a line on stderr, or if, still alive once the attack's connections are
 * closed, it does not answer {@code /health} 200 again.
 *
 * <p>The attack sockets are non-blocking {@link SocketChannel}s driven by one thread.
 */
class MemoryExhaustionTest {

    private static final int A_CONNECTIONS = 3_000;
    private static final int B_CONNECTIONS = 700;
    private static final int BODY = 1 << 20;
    private static final int B_CHUNK = 4 * 1024;
    private static final long B_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private static final long A_TRICKLE_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final Duration OPEN_PHASE = Duration.ofSeconds(8);
    private static final Duration HOLD_PHASE = Duration.ofSeconds(8);
    private static final Duration RECOVERY = Duration.ofSeconds(10);
    private static final int PROBE_TIMEOUT_MS = 5_000;
    private static final int ZOMBIE_PROBES = 5;
    private static final long REQUIRED_DESCRIPTORS = 10_000;

    @TempDir
    Path dataDir;

    private ServiceProcess service;
    private ScheduledExecutorService ticker;
    private ExecutorService probers;
    private Attack attack;

    @BeforeAll
    static void enoughFileDescriptors() throws Exception {
        final long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : 0;
        final Process shell = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
        final String printed = new String(shell.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        shell.waitFor(10, TimeUnit.SECONDS);
        final long child = printed.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(printed);
        assumeTrue(jvm >= REQUIRED_DESCRIPTORS && child >= REQUIRED_DESCRIPTORS,
                "needs 'ulimit -n' of at least " + REQUIRED_DESCRIPTORS + " (this JVM has " + jvm + ", a child gets " + printed
                        + "): raise it with ulimit -n before running the build");
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (attack != null) {
                attack.close();
            }
            if (ticker != null) {
                ticker.shutdownNow();
            }
        } finally {
            if (service != null) {
                service.close();   // first: a probe still waiting on a zombie ends when the process does
            }
            if (probers != null) {
                probers.shutdownNow();
                probers.awaitTermination(PROBE_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
            }
        }
    }

    @Test
    void attackAHeadsOfBigBodiesAt128MegabyteHeap() throws Exception {
        run("A", List.of("-Xmx128m"), "-Xmx128m", false);
    }

    @Test
    void attackBTricklingBigBodiesAt128MegabyteHeap() throws Exception {
        run("B", List.of("-Xmx128m"), "-Xmx128m", true);
    }

    @Test
    void attackAHeadsOfBigBodiesAtTheDefaultHeap() throws Exception {
        run("A", List.of(), "the default heap", false);
    }

    /** One probe of GET /health on a fresh connection. */
    private record Probe(int seq, long startedNanos, String statusLine, String failure, boolean aliveAfter) {
        boolean answered() {
            return statusLine != null;
        }
    }

    private void run(final String name, final List<String> jvmOptions, final String heap, final boolean trickleBodies)
            throws Exception {
        assertFalse(jvmOptions.stream().anyMatch(o -> o.contains("ExitOnOutOfMemoryError")));
        service = ServiceProcess.start(jvmOptions, List.of("--port", "0", "--data-dir", dataDir.toString(),
                "--reminder-work", "0"));
        final int port = service.port();
        final Probe baseline = probe(port, 0);
        assertTrue(baseline.answered() && baseline.statusLine().contains(" 200"), "before the attack /health answers 200: "
                + baseline + "; " + service.describeExit());

        // Probes every second, each on its own thread with its own deadline, so one that hangs does not delay the next.
        final ConcurrentSkipListMap<Integer, Probe> probes = new ConcurrentSkipListMap<>();
        final AtomicInteger seq = new AtomicInteger();
        final AtomicLong peakRssKib = new AtomicLong();
        probers = Executors.newCachedThreadPool();
        ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            final int n = seq.incrementAndGet();
            peakRssKib.accumulateAndGet(rssKib(service.pid()), Math::max);
            probers.submit(() -> probes.put(n, probe(port, n)));
        }, 0, 1, TimeUnit.SECONDS);

        attack = new Attack(port, trickleBodies ? B_CONNECTIONS : A_CONNECTIONS, trickleBodies);
        final Thread driver = new Thread(attack, "memory-attack-" + name);
        driver.setDaemon(true);
        driver.start();
        // The attack opens its connections and holds them; it stops early if the process exits or turns zombie.
        final long holdUntil = System.nanoTime() + OPEN_PHASE.plus(HOLD_PHASE).toNanos();
        while (System.nanoTime() - holdUntil < 0 && service.isAlive() && longestZombieRun(probes.values()) < ZOMBIE_PROBES
                && driver.isAlive()) {
            driver.join(200);
        }
        attack.stop();
        driver.join(TimeUnit.SECONDS.toMillis(30));
        attack.close();

        // After: the process has exited, or it must answer /health 200 again (probes keep running meanwhile).
        String after = "the process had exited";
        if (service.isAlive()) {
            final long end = System.nanoTime() + RECOVERY.toNanos();
            Probe last = probe(port, -1);
            while (!(last.answered() && last.statusLine().contains(" 200")) && service.isAlive() && System.nanoTime() - end < 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(250)); // a poll interval; the deadline decides
                last = probe(port, -1);
            }
            after = last.answered() ? last.statusLine() : "no answer (" + last.failure() + ")";
        }
        ticker.shutdown();
        ticker.awaitTermination(5, TimeUnit.SECONDS);
        final List<Probe> all = new ArrayList<>(probes.values());   // the probes finished so far; the rest end with the process

        final boolean exited = !service.isAlive();
        final String stats = exited ? "unreachable (exited)"
                : after.contains(" 200") ? heapFromStats(port) : "not asked (/health does not answer)";
        final long answered = all.stream().filter(Probe::answered).count();
        final int zombie = longestZombieRun(all);
        final String outcome;
        String clearLine = null;
        if (exited) {
            service.process().waitFor(10, TimeUnit.SECONDS);
            clearLine = service.stderr().stream().filter(MemoryExhaustionTest::namesMemory).findFirst().orElse(null);
            outcome = "exited with " + service.process().exitValue() + ", stderr says: " + clearLine;
        } else if (zombie >= ZOMBIE_PROBES) {
            outcome = "ZOMBIE (alive, " + zombie + " probes in a row unanswered)";
        } else {
            outcome = "kept serving";
        }
        System.out.println("memory attack " + name + " at " + heap + ": outcome " + outcome + "; connections opened "
                + attack.opened + " of " + attack.wanted + " (failed to connect " + attack.connectFailures + ", closed by the server "
                + attack.closedByServer + ", answers seen " + attack.answers + ", body bytes sent " + attack.bodyBytes.get() / 1024
                + " KiB); /health probes " + all.size() + ", answered " + answered + ", longest unanswered run while alive "
                + zombie + "; after the attack " + after + "; child peak RSS " + peakRssKib.get() / 1024 + " MiB; /api/stats "
                + stats + "; first stderr line naming memory: "
                + service.stderr().stream().filter(MemoryExhaustionTest::namesMemory).findFirst().orElse("none"));

        assertTrue(zombie < ZOMBIE_PROBES, "memory attack " + name + " at " + heap + ": the process is alive but "
                + zombie + " consecutive /health probes (" + PROBE_TIMEOUT_MS + " ms each) got no answer: a zombie. Probes: "
                + summary(all) + "; " + service.describeExit());
        if (exited) {
            assertNotEquals(0, service.process().exitValue(), "an exit for want of memory is not a success: " + service.describeExit());
            assertTrue(clearLine != null, "the process exited without a line on stderr saying it ran out of memory: "
                    + service.describeExit());
        } else {
            assertTrue(after.contains(" 200"), "memory attack " + name + " at " + heap + ": once the attack's connections are "
                    + "closed /health answers 200 again, was " + after + "; " + service.describeExit());
        }
    }

    private static boolean namesMemory(final String line) {
        final String lower = line.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("outofmemoryerror") || lower.contains("out of memory") || lower.contains("virtualmachineerror");
    }

    /** @return the longest run of consecutive probes that got no answer while the process was alive */
    private static int longestZombieRun(final java.util.Collection<Probe> probes) {
        int longest = 0;
        int run = 0;
        int expected = -1;
        for (final Probe p : probes) {
            if (expected >= 0 && p.seq() != expected) {
                run = 0;   // a probe not finished yet breaks the run: count only what is known
            }
            expected = p.seq() + 1;
            run = !p.answered() && p.aliveAfter() ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    private static String summary(final List<Probe> probes) {
        final StringBuilder text = new StringBuilder();
        for (final Probe p : probes) {
            text.append(p.seq()).append(':').append(p.answered() ? p.statusLine().replaceFirst("HTTP/1.1 ", "")
                    : "none" + (p.aliveAfter() ? "" : "(exited)")).append(' ');
        }
        return text.toString().trim();
    }

    /** GET /health on a fresh connection; the first line of the answer, or why there was none, within the deadline. */
    private Probe probe(final int port, final int n) {
        final long started = System.nanoTime();
        final long end = started + TimeUnit.MILLISECONDS.toNanos(PROBE_TIMEOUT_MS);
        String status = null;
        String failure = null;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MS);
            socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            final InputStream in = socket.getInputStream();
            final StringBuilder line = new StringBuilder();
            while (true) {
                final long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
                if (left <= 0) {
                    failure = "no status line within " + PROBE_TIMEOUT_MS + " ms";
                    break;
                }
                socket.setSoTimeout((int) left);
                final int b = in.read();
                if (b < 0) {
                    failure = "closed without an answer";
                    break;
                }
                if (b == '\n') {
                    status = line.toString().trim();
                    break;
                }
                line.append((char) b);
            }
            if (status != null && !status.startsWith("HTTP/")) {
                failure = "not an HTTP answer: " + status;
                status = null;
            }
        } catch (final IOException e) {
            failure = e.toString();
        }
        return new Probe(n, started, status, failure, service.isAlive());
    }

    private static long rssKib(final long pid) {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (final IOException | RuntimeException gone) {
            // not Linux, or the process is gone
        }
        return 0;
    }

    /** @return every field of /api/stats whose name mentions the heap (there may be none), or why it could not be read */
    private static String heapFromStats(final int port) {
        try {
            final HttpResponse<String> stats = ServiceProcess.get(ServiceProcess.newHttpClient(),
                    java.net.URI.create("http://127.0.0.1:" + port + "/"), "/api/stats", Duration.ofSeconds(5));
            if (stats.statusCode() != 200) {
                return "answered " + stats.statusCode();
            }
            final Map<String, String> heap = new TreeMap<>();
            collectHeap("", TodoClient.json(stats), heap);
            return heap.isEmpty() ? "has no heap figure" : "heap " + heap;
        } catch (final IOException | InterruptedException | RuntimeException e) {
            return "unreachable (" + e + ")";
        }
    }

    private static void collectHeap(final String path, final JsonNode node, final Map<String, String> into) {
        if (node.isObject()) {
            for (final String name : node.propertyNames()) {
                final String at = path.isEmpty() ? name : path + "." + name;
                if (name.toLowerCase(java.util.Locale.ROOT).contains("heap") && !node.get(name).isContainer()) {
                    into.put(at, node.get(name).toString());
                }
                collectHeap(at, node.get(name), into);
            }
        }
    }

    /**
     * The attack's connections, all on one selector thread: connect, send the head of a
     * {@value #BODY}-byte POST, then either one body byte every few seconds (A) or chunks of
     * {@value #B_CHUNK} bytes every tick up to all but the last byte (B); read and count whatever
     * the server answers; {@link #stop} ends it, {@link #close} closes every connection.
     */
    private final class Attack implements Runnable, AutoCloseable {

        final int wanted;
        final boolean trickleBodies;
        final int port;
        final AtomicBoolean stopped = new AtomicBoolean();
        final AtomicLong bodyBytes = new AtomicLong();
        final List<SocketChannel> channels = new ArrayList<>();
        final Map<String, Integer> answers = new TreeMap<>();
        volatile int opened;
        volatile int connectFailures;
        volatile int closedByServer;
        private Selector selector;

        Attack(final int port, final int wanted, final boolean trickleBodies) {
            this.port = port;
            this.wanted = wanted;
            this.trickleBodies = trickleBodies;
        }

        void stop() {
            stopped.set(true);
            final Selector s = selector;
            if (s != null) {
                s.wakeup();
            }
        }

        /** Per connection: how much of the body it has sent. */
        private final class Conn {
            final SocketChannel channel;
            ByteBuffer head;
            int sent;
            boolean connected;
            final StringBuilder answer = new StringBuilder();

            Conn(final SocketChannel channel) {
                this.channel = channel;
                this.head = ByteBuffer.wrap(("POST /api/todos HTTP/1.1\r\nHost: 127.0.0.1:" + port
                        + "\r\nContent-Type: application/json\r\nContent-Length: " + BODY + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            }
        }

        @Override
        public void run() {
            final byte[] filler = new byte[B_CHUNK];
            Arrays.fill(filler, (byte) 'a');
            final ByteBuffer read = ByteBuffer.allocate(4096);
            final List<Conn> live = new ArrayList<>();
            final long openUntil = System.nanoTime() + OPEN_PHASE.toNanos();
            long nextTrickle = System.nanoTime() + (trickleBodies ? B_TICK_NANOS : A_TRICKLE_NANOS);
            int started = 0;
            try (Selector sel = Selector.open()) {
                selector = sel;
                while (!stopped.get()) {
                    // Open in batches, so the selector keeps up with the connections already made.
                    for (int batch = 0; batch < 100 && started < wanted && System.nanoTime() - openUntil < 0; batch++, started++) {
                        final SocketChannel channel = SocketChannel.open();
                        synchronized (channels) {
                            channels.add(channel);
                        }
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.SO_LINGER, 0);   // closing resets: no TIME_WAIT pile-up
                        final Conn conn = new Conn(channel);
                        try {
                            if (channel.connect(new InetSocketAddress("127.0.0.1", port))) {
                                connected(conn, live);
                            }
                            channel.register(sel, conn.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, conn);
                        } catch (final IOException refused) {
                            connectFailures++;
                            channel.close();
                        }
                    }
                    sel.select(10);
                    for (final SelectionKey key : sel.selectedKeys()) {
                        final Conn conn = (Conn) key.attachment();
                        try {
                            if (key.isValid() && key.isConnectable() && conn.channel.finishConnect()) {
                                connected(conn, live);
                                key.interestOps(SelectionKey.OP_READ);
                            } else if (key.isValid() && key.isReadable()) {
                                read.clear();
                                final int n = conn.channel.read(read);
                                if (n < 0) {
                                    gone(conn, key, live);
                                } else if (conn.answer.length() < 64) {
                                    conn.answer.append(new String(read.array(), 0, n, StandardCharsets.US_ASCII));
                                }
                            }
                        } catch (final IOException e) {
                            if (!conn.connected) {
                                connectFailures++;
                            }
                            gone(conn, key, live);
                        }
                    }
                    sel.selectedKeys().clear();
                    if (System.nanoTime() - nextTrickle >= 0) {
                        nextTrickle = System.nanoTime() + (trickleBodies ? B_TICK_NANOS : A_TRICKLE_NANOS);
                        for (final Conn conn : List.copyOf(live)) {
                            final int n = trickleBodies ? Math.min(B_CHUNK, BODY - 1 - conn.sent) : (conn.sent < BODY - 1 ? 1 : 0);
                            if (n <= 0) {
                                continue;
                            }
                            try {
                                if (conn.head.hasRemaining()) {
                                    conn.channel.write(conn.head);
                                    continue;
                                }
                                final int wrote = conn.channel.write(ByteBuffer.wrap(filler, 0, n));
                                conn.sent += wrote;
                                bodyBytes.addAndGet(wrote);
                            } catch (final IOException e) {
                                gone(conn, conn.channel.keyFor(sel), live);
                            }
                        }
                    }
                }
            } catch (final IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        private void connected(final Conn conn, final List<Conn> live) throws IOException {
            conn.connected = true;
            opened++;
            while (conn.head.hasRemaining()) {
                if (conn.channel.write(conn.head) == 0) {
                    break;   // a fresh socket takes ~120 bytes; if not, the rest goes before the body
                }
            }
            live.add(conn);
        }

        private void gone(final Conn conn, final SelectionKey key, final List<Conn> live) {
            if (conn.connected && live.remove(conn)) {
                closedByServer++;
                final String first = conn.answer.toString().lines().findFirst().orElse("nothing");
                answers.merge(first.isEmpty() ? "nothing" : first.replaceFirst("HTTP/1.1 ", ""), 1, Integer::sum);
            }
            if (key != null) {
                key.cancel();
            }
            try {
                conn.channel.close();
            } catch (final IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() {
            stop();
            synchronized (channels) {
                for (final SocketChannel channel : channels) {
                    try {
                        channel.close();
                    } catch (final IOException ignored) {
                        // closing anyway
                    }
                }
                channels.clear();
            }
        }
    }
}
