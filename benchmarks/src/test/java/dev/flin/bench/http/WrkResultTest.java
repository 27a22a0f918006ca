package dev.flin.bench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WrkResultTest {

    private static final String OUTPUT = """
            Running 10s test @ http://127.0.0.1:40123/hello
              1 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency   612.35us  101.20us   4.10ms   90.12%
                Req/Sec   104.52k     3.01k  110.20k    71.00%
              Latency Distribution
                 50%  598.00us
                 75%  640.00us
                 90%  702.00us
                 99%    1.05ms
              1040000 requests in 10.00s, 93.22MB read
              Socket errors: connect 0, read 2, write 1, timeout 3
              Non-2xx or 3xx responses: 7
            Requests/sec: 104000.51
            Transfer/sec:      9.32MB
            """;

    @Test
    void readsThroughputPercentilesInMicrosAndErrors() {
        final WrkResult r = WrkResult.parse(OUTPUT);
        assertEquals(104000.51, r.requestsPerSecond(), 1e-6);
        assertEquals(1_040_000, r.requests());
        assertEquals(598.0, r.p50Micros(), 1e-9);
        assertEquals(702.0, r.p90Micros(), 1e-9);
        assertEquals(1050.0, r.p99Micros(), 1e-9);
        assertEquals(7, r.non2xx());
        assertEquals(6, r.socketErrors());
    }

    @Test
    void outputWithoutLatencyDistributionIsRefusedNamingIt() {
        final String noLatency = OUTPUT.replaceAll("(?m)^\\s+\\d+%.*$\\n", "");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WrkResult.parse(noLatency));
        assertEquals(true, e.getMessage().contains("--latency"), e.getMessage());
    }

    @Test
    void secondsAreConverted() {
        final WrkResult r = WrkResult.parse(OUTPUT.replace("99%    1.05ms", "99%    1.50s"));
        assertEquals(1.5e6, r.p99Micros(), 1e-6);
    }
}
