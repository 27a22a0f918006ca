package dev.flin.runtime.core.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Properties;

/**
 * The version a program prints for {@code --version}: its jar manifest's
 * {@code Implementation-Version}, else the one Maven wrote into this module's
 * {@code version.properties} at build time.
 *
 * <p>Threading: stateless; any thread.
 */
public final class Version {

    private Version() {
    }

    /**
     * @param anchor a class of the program, whose package's manifest is read first
     * @return the version, or {@code unknown} if neither source has one
     */
    public static String of(final Class<?> anchor) {
        Objects.requireNonNull(anchor, "anchor");
        final String fromManifest = anchor.getPackage() == null ? null : anchor.getPackage().getImplementationVersion();
        if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest;
        }
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                final Properties p = new Properties();
                p.load(in);
                final String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v.strip();
                }
            }
        } catch (final IOException e) {
            // fall through: unknown
        }
        return "unknown";
    }
}
