package dev.flin.bench.report;

import java.util.Objects;

/**
 * The JDK a report was measured with.
 *
 * <p>Immutable; safe to share between threads.
 *
 * @param vendor         {@code java.vm.vendor}
 * @param vmName         {@code java.vm.name}
 * @param runtimeVersion {@code java.runtime.version}
 * @param feature        the feature release, {@code Runtime.version().feature()}
 * @param javaHome       {@code java.home}
 */
public record Jdk(String vendor, String vmName, String runtimeVersion, int feature, String javaHome) {

    /** Checks the components. */
    public Jdk {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(vmName, "vmName");
        Objects.requireNonNull(runtimeVersion, "runtimeVersion");
        Objects.requireNonNull(javaHome, "javaHome");
    }

    /** @return the JDK this JVM runs on */
    public static Jdk current() {
        return new Jdk(System.getProperty("java.vm.vendor", "unknown"), System.getProperty("java.vm.name", "unknown"),
                System.getProperty("java.runtime.version", String.valueOf(Runtime.version())), Runtime.version().feature(),
                System.getProperty("java.home", "unknown"));
    }
}
