package dev.flin.conformance;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a verification class verifies: which implementation, and which {@link Profile} it claims.
 * The report ({@link ConformanceReportListener}) joins the outcomes of every class run with the same
 * {@link #implementation()} into one report, and its summary counts only the rules of the
 * profile: a runtime without an HTTP part is never reported as missing section 9.
 *
 * <pre>{@code
 * @ConformanceClaim(implementation = "my-runtime", profile = Profile.CORE_AND_HTTP)
 * class MyRuntimeConformanceVerification extends FlinConformanceKit { ... }
 *
 * @ConformanceClaim(implementation = "my-runtime", profile = Profile.CORE_AND_HTTP)
 * class MyServerHttpConformanceVerification extends HttpConformanceKit { ... }
 * }</pre>
 *
 * Without it, a {@link FlinConformanceKit} subclass is reported on its own, as {@link Profile#CORE},
 * under its class name, and an HTTP kit class is not reported.
 *
 * <p>Threading: an annotation, read by the report listener on the platform's thread.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConformanceClaim {

    /**
     * @return the implementation's name: the report's title and file name (characters other than
     *         letters, digits, {@code .}, {@code _} and {@code -} become {@code _} in the file name)
     */
    String implementation();

    /** @return what the implementation provides; the summary counts that profile's rules only */
    Profile profile() default Profile.CORE;
}
