package dev.flin.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.format.OutputFormat;

/**
 * JMH's console output, passed through unchanged, that also remembers why each benchmark failed.
 *
 * <p>JMH reports an exception thrown by a benchmark (or its setup) by printing {@code <failure>}
 * followed by the stack trace, and then leaves that benchmark out of its results. This keeps the
 * first line of each such block (and its last {@code Caused by:}), keyed by the benchmark and
 * parameters announced by the latest {@link #startBenchmark(BenchmarkParams)}.
 *
 * <p>Threading: JMH may call it from its runner thread and from the threads that relay forked
 * JVMs' output; every method is synchronized.
 */
final class FailureCapture implements OutputFormat {

    private static final String FAILURE_MARKER = "<failure>";
    private static final String FORK_FAILED_MARKER = "<forked VM failed";

    private final OutputFormat delegate;
    private final StringBuilder line = new StringBuilder();
    private final Map<Key, String> reasons = new HashMap<>();
    private Key current;
    private List<String> block;

    /** @param delegate where the output really goes */
    FailureCapture(final OutputFormat delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /**
     * @param benchmark   a scenario's name
     * @param otherParams its parameters but {@code system}
     * @param system      a system's id
     * @return why that run failed, when it printed a failure
     */
    synchronized Optional<String> reason(final String benchmark, final Map<String, String> otherParams, final String system) {
        return Optional.ofNullable(reasons.get(new Key(benchmark, Map.copyOf(otherParams), system)));
    }

    /**
     * Feeds text as JMH prints it; visible for tests.
     *
     * @param text some output
     */
    synchronized void feed(final CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (c == '\n') {
                line(line.toString());
                line.setLength(0);
            } else if (c != '\r') {
                line.append(c);
            }
        }
    }

    /**
     * Sets the benchmark that following output belongs to; visible for tests.
     *
     * @param benchmark   a scenario's name
     * @param otherParams its parameters but {@code system}
     * @param system      a system's id
     */
    synchronized void begin(final String benchmark, final Map<String, String> otherParams, final String system) {
        finishLine();
        current = new Key(benchmark, Map.copyOf(otherParams), system);
    }

    private void line(final String text) {
        final int marker = text.indexOf(FAILURE_MARKER);
        final int forkFailed = text.indexOf(FORK_FAILED_MARKER);
        if (marker >= 0) {
            finishBlock();
            block = new ArrayList<>();
            final String rest = text.substring(marker + FAILURE_MARKER.length()).strip();
            if (!rest.isEmpty()) {
                block.add(rest);
            }
        } else if (forkFailed >= 0) {
            finishBlock();
            block = new ArrayList<>();
            block.add(text.substring(forkFailed + 1).replace(">", "").strip());
            finishBlock();
        } else if (block != null) {
            if (text.isBlank()) {
                if (!block.isEmpty()) {
                    finishBlock();
                }
            } else {
                block.add(text.strip());
            }
        }
    }

    private void finishLine() {
        if (line.length() > 0) {
            line(line.toString());
            line.setLength(0);
        }
        finishBlock();
    }

    private void finishBlock() {
        if (block == null) {
            return;
        }
        final List<String> lines = block;
        block = null;
        if (current == null || lines.isEmpty()) {
            return;
        }
        String reason = lines.get(0);
        for (int i = lines.size() - 1; i > 0; i--) {
            if (lines.get(i).startsWith("Caused by:")) {
                reason = reason + " (" + lines.get(i) + ")";
                break;
            }
        }
        reasons.putIfAbsent(current, reason);
    }

    @Override
    public synchronized void startBenchmark(final BenchmarkParams params) {
        final String system = params.getParam(JmhResults.SYSTEM_PARAM);
        begin(JmhResults.scenarioName(params.getBenchmark()), JmhResults.otherParams(params), system == null ? "" : system);
        delegate.startBenchmark(params);
    }

    @Override
    public synchronized void endBenchmark(final BenchmarkResult result) {
        finishLine();
        delegate.endBenchmark(result);
    }

    @Override
    public synchronized void iteration(final BenchmarkParams benchParams, final IterationParams params, final int iteration) {
        delegate.iteration(benchParams, params, iteration);
    }

    @Override
    public synchronized void iterationResult(final BenchmarkParams benchParams, final IterationParams params, final int iteration,
                                             final IterationResult data) {
        delegate.iterationResult(benchParams, params, iteration, data);
    }

    @Override
    public synchronized void startRun() {
        delegate.startRun();
    }

    @Override
    public synchronized void endRun(final Collection<RunResult> result) {
        finishLine();
        delegate.endRun(result);
    }

    @Override
    public synchronized void print(final String s) {
        delegate.print(s);
        feed(s);
    }

    @Override
    public synchronized void println(final String s) {
        delegate.println(s);
        feed(s);
        feed("\n");
    }

    @Override
    public synchronized void flush() {
        delegate.flush();
    }

    @Override
    public synchronized void close() {
        finishLine();
        delegate.close();
    }

    @Override
    public synchronized void verbosePrintln(final String s) {
        delegate.verbosePrintln(s);
    }

    @Override
    public synchronized void write(final int b) {
        delegate.write(b);
        feed(String.valueOf((char) (b & 0xFF)));
    }

    @Override
    public synchronized void write(final byte[] b) throws IOException {
        delegate.write(b);
        feed(new String(b, StandardCharsets.UTF_8));
    }

    private record Key(String benchmark, Map<String, String> params, String system) {
    }
}
