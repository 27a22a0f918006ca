package dev.flin.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a check that needs optional capabilities. When the provider lacks one, the check is
 * skipped with the reason "runtime lacks capability X (rule N.M)".
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresCapability {
    /** @return the capabilities the check needs */
    Capability[] value();
}
