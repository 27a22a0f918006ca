package dev.flin.testkit;

import java.lang.reflect.AnnotatedElement;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * JUnit 5 extension: gives each test method its own {@link FlinTestKit}, as a parameter of the test
 * and of its {@code @BeforeEach} and {@code @AfterEach} methods (the same kit for all three), and
 * closes it after the {@code @AfterEach} methods. Closing fails the test if an agent failed
 * unexpectedly or the runtime did not shut down ({@link FlinTestKit#close()}).
 *
 * <p>The kit runs on the worker pool, or on the deterministic dispatcher when the test or its class
 * is annotated {@link DeterministicRuntime}. A deterministic test that fails, in its body or when
 * its kit closes, gets a {@link ReplaySeed} naming its seed attached to the failure and printed to
 * standard error.
 *
 * <pre>{@code
 * @ExtendWith(FlinTestKitExtension.class)
 * class CounterTest {
 *     @Test
 *     @DeterministicRuntime
 *     void counts(FlinTestKit kit) {
 *         AgentRef<Counter.Msg> counter = kit.spawn(Counter.Msg.class, Counter::new);
 *         counter.tell(new Counter.Add(2));
 *         assertEquals(2, kit.askAndAwait(counter, Counter.Get::new));
 *     }
 * }
 * }</pre>
 *
 * <p>Threading: JUnit calls it on the test's thread; a deterministic kit must be used on that thread.
 */
public final class FlinTestKitExtension implements ParameterResolver, AfterEachCallback, TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(FlinTestKitExtension.class);
    private static final String KIT = "kit";

    /** Public for JUnit. */
    public FlinTestKitExtension() {
    }

    @Override
    public boolean supportsParameter(final ParameterContext parameter, final ExtensionContext context) {
        return parameter.getParameter().getType() == FlinTestKit.class && context.getTestMethod().isPresent();
    }

    @Override
    public Object resolveParameter(final ParameterContext parameter, final ExtensionContext context) {
        return kitOf(context);
    }

    private static FlinTestKit kitOf(final ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(KIT, key -> newKit(context), FlinTestKit.class);
    }

    private static FlinTestKit newKit(final ExtensionContext context) {
        final Optional<DeterministicRuntime> annotation = annotation(context);
        if (annotation.isEmpty()) {
            return FlinTestKit.create();
        }
        return FlinTestKit.deterministic(seedFor(annotation.get()));
    }

    /**
     * @return the seed: the annotation's, else the system property's, else a random one
     * @throws IllegalArgumentException if the system property is not a long
     */
    static long seedFor(final DeterministicRuntime annotation) {
        if (annotation.seed() != DeterministicRuntime.RANDOM) {
            return annotation.seed();
        }
        final String property = System.getProperty(DeterministicRuntime.SEED_PROPERTY);
        if (property != null && !property.isBlank()) {
            try {
                return Long.parseLong(property.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + DeterministicRuntime.SEED_PROPERTY + " must be a long, was '"
                        + property + "'", e);
            }
        }
        return new SplittableRandom().nextLong();
    }

    private static Optional<DeterministicRuntime> annotation(final ExtensionContext context) {
        final Optional<DeterministicRuntime> onMethod = context.getTestMethod().flatMap(m -> find(m));
        return onMethod.isPresent() ? onMethod : context.getTestClass().flatMap(c -> find(c));
    }

    private static Optional<DeterministicRuntime> find(final AnnotatedElement element) {
        return Optional.ofNullable(element.getAnnotation(DeterministicRuntime.class));
    }

    @Override
    public void handleTestExecutionException(final ExtensionContext context, final Throwable throwable) throws Throwable {
        attachSeed(context, throwable);
        throw throwable;
    }

    @Override
    public void afterEach(final ExtensionContext context) {
        final ExtensionContext.Store store = context.getStore(NAMESPACE);
        final FlinTestKit kit = store.get(KIT, FlinTestKit.class);
        if (kit == null) {
            return;
        }
        try {
            kit.close();
        } catch (AssertionError e) {
            attachSeed(context, e);
            throw e;
        } finally {
            store.remove(KIT); // closed: JUnit must not close it again
        }
    }

    private static void attachSeed(final ExtensionContext context, final Throwable failure) {
        final FlinTestKit kit = context.getStore(NAMESPACE).get(KIT, FlinTestKit.class);
        if (kit == null || kit.seed().isEmpty()) {
            return;
        }
        final ReplaySeed replay = new ReplaySeed(kit.seed().getAsLong(),
                context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName());
        failure.addSuppressed(replay);
        System.err.println(replay.getMessage());
    }
}
