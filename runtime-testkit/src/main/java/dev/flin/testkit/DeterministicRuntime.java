package dev.flin.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives the annotated test (or every test of the annotated class) a {@link FlinTestKit} on the
 * deterministic dispatcher instead of the worker pool, when the test uses
 * {@link FlinTestKitExtension}. The seed is {@link #seed()} when set; otherwise the system property
 * {@value #SEED_PROPERTY} when set; otherwise a fresh random one. A test that fails has the seed
 * attached to its failure (as a suppressed {@link ReplaySeed}) and printed, to replay it.
 *
 * <p>Threading: an annotation; immutable.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface DeterministicRuntime {

    /** The system property that fixes the seed of every deterministic test that does not set one. */
    String SEED_PROPERTY = "flin.testkit.seed";

    /** The value of {@link #seed()} meaning "not set": draw a seed, or take {@value #SEED_PROPERTY}. */
    long RANDOM = Long.MIN_VALUE;

    /** @return the seed to run with, or {@link #RANDOM} */
    long seed() default RANDOM;
}
