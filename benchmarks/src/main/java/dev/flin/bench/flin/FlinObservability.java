package dev.flin.bench.flin;

import dev.flin.micrometer.FlinAgentMetrics;
import dev.flin.micrometer.FlinRuntimeMetrics;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * What a FLIN runtime of the benchmarks observes, chosen by a suffix of the system's name:
 * {@code flin-backoff+micrometer} is {@code flin-backoff} with Micrometer's meters bound. A name
 * without a suffix is the runtime as a user gets it ({@link #DEFAULT}). See docs/observability.md
 * for the measurements.
 *
 * <p>Threading: immutable; any thread.
 */
enum FlinObservability {
    /** The runtime's defaults: the agent MDC off, no observer, no recording (as BARE). */
    DEFAULT,
    /** Nothing: the agent MDC off, no observer, no recording (the baseline; as DEFAULT, named for tables). */
    BARE,
    /** The agent MDC alone. */
    MDC,
    /** A Flight Recorder recording with runtime-core's flin.jfc (every FLIN event on), MDC off. */
    JFR,
    /**
     * runtime-micrometer's FlinAgentMetrics (handler timer, named-agent listener) and
     * FlinRuntimeMetrics bound to a PrometheusMeterRegistry, MDC off.
     */
    MICROMETER,
    /** MDC, JFR and MICROMETER together. */
    ALL;

    /** The separator between a system's name and its observability. */
    static final char SEPARATOR = '+';

    /**
     * @param system a system name, with or without a {@code +mode} suffix
     * @return the observability it names
     * @throws IllegalArgumentException naming the modes for an unknown suffix
     */
    static FlinObservability ofSystem(final String system) {
        final int at = system.indexOf(SEPARATOR);
        if (at < 0) {
            return DEFAULT;
        }
        final String mode = system.substring(at + 1);
        try {
            return valueOf(mode.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown observability '" + mode + "' in " + system + ", known: "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")), e);
        }
    }

    /** @return a system name without its suffix */
    static String baseSystem(final String system) {
        final int at = system.indexOf(SEPARATOR);
        return at < 0 ? system : system.substring(0, at);
    }

    /**
     * @param options the runtime's options otherwise
     * @return a runtime observed as this says; a recording started here runs until the JVM exits
     *     (each JMH trial forks its own JVM)
     */
    AgentRuntime create(final RuntimeOptions options) {
        final boolean mdc = this == MDC || this == ALL;
        RuntimeOptions chosen = options.withAgentMdc(mdc);
        if (this == JFR || this == ALL) {
            startRecording();
        }
        if (this == MICROMETER || this == ALL) {
            final FlinAgentMetrics agents = new FlinAgentMetrics();
            final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            final AgentRuntime runtime = FlinRuntime.create(agents.instrument(chosen));
            agents.attach(runtime).bindTo(registry); // the runtime's options hold agents, which holds the registry
            new FlinRuntimeMetrics(runtime).bindTo(registry);
            return runtime;
        }
        return FlinRuntime.create(chosen);
    }

    private static void startRecording() {
        try (InputStream in = FlinRuntime.class.getResourceAsStream("/dev/flin/runtime/core/flin.jfc")) {
            if (in == null) {
                throw new IllegalStateException("flin.jfc is not in runtime-core's jar");
            }
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                final Recording recording = new Recording(Configuration.create(reader));
                recording.setName("flin-bench");
                recording.start();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new IllegalStateException("flin.jfc does not parse", e);
        }
    }
}
