package dev.flin.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The versions of the systems a report compares, as the build resolved them: Maven writes them into
 * {@value #RESOURCE} (next to this class) from the parent pom's properties. The JDK's version is the
 * report's {@link Jdk}; the commit is the report's own.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param flin      this project's version
 * @param pekko     Apache Pekko (typed actors)
 * @param disruptor the LMAX Disruptor
 * @param jmh       JMH, which runs and scores every benchmark
 * @param netty     Netty, the transport under runtime-http (the HTTP report)
 */
public record Versions(String flin, String pekko, String disruptor, String jmh, String netty) {

    /** The resource, relative to this class, that the build fills in. */
    public static final String RESOURCE = "versions.properties";
    /** What a version is shown as when the build did not record it. */
    public static final String UNKNOWN = "unknown";

    /** Checks the components. */
    public Versions {
        Objects.requireNonNull(flin, "flin");
        Objects.requireNonNull(pekko, "pekko");
        Objects.requireNonNull(disruptor, "disruptor");
        Objects.requireNonNull(jmh, "jmh");
        Objects.requireNonNull(netty, "netty");
    }

    /** @return the versions this build recorded; {@value #UNKNOWN} for any it did not */
    public static Versions current() {
        final Properties properties = new Properties();
        try (InputStream in = Versions.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            properties.clear();
        }
        return of(properties);
    }

    /**
     * @param properties the keys {@code flin}, {@code pekko}, {@code disruptor}, {@code jmh} and {@code netty}
     * @return their versions; {@value #UNKNOWN} for one missing, blank or left unfiltered ({@code ${...}})
     */
    static Versions of(final Properties properties) {
        Objects.requireNonNull(properties, "properties");
        return new Versions(value(properties, "flin"), value(properties, "pekko"), value(properties, "disruptor"),
                value(properties, "jmh"), value(properties, "netty"));
    }

    private static String value(final Properties properties, final String key) {
        final String value = properties.getProperty(key, "").strip();
        return value.isEmpty() || value.contains("${") ? UNKNOWN : value;
    }

    /** @return the commit of the working directory's repository ({@code git describe --always --dirty}), when known */
    public static Optional<String> commit() {
        try {
            final Process git = new ProcessBuilder("git", "describe", "--always", "--dirty", "--abbrev=12")
                    .redirectErrorStream(true).start();
            final String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 && !out.isEmpty() && !out.contains("\n")) {
                return Optional.of(out);
            }
            git.destroyForcibly();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
