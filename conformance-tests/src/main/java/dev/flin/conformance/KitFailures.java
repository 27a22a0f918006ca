package dev.flin.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * Turns a check's failure into one that explains itself: it names the rule (from the check's method
 * name), and an exception the runtime under test threw where the check expected a value is
 * reported as "your runtime threw X (message) where rule N.M requires ...", not with the runtime's
 * own text first (which would read like the kit's verdict).
 *
 * <p>Threading: stateless.
 */
public final class KitFailures {

    private KitFailures() {
    }

    /**
     * @param failure what the check threw
     * @param method  the check's method name ({@code required_spec_3_6_...})
     * @return the failure to report: an assertion whose message starts with the rule (unless it
     *     already cites it); {@code failure} itself if it is an abort or the method cites no rule
     */
    public static Throwable explain(final Throwable failure, final String method) {
        if (failure instanceof TestAbortedException) {
            return failure;
        }
        final Optional<String> id = SpecRules.idFromMethodName(method);
        final String rule = id.map(r -> "rule " + r + SpecRules.byId(r).map(s -> " (" + s.title() + ")").orElse(""))
                .orElse("check " + method);
        if (failure instanceof AssertionError assertion) {
            final String message = String.valueOf(assertion.getMessage());
            if (id.isPresent() && message.startsWith("rule " + id.get())) {
                return failure;
            }
            final String text = rule + ": " + message;
            final AssertionError explained = failure instanceof AssertionFailedError afe && afe.isExpectedDefined()
                    && afe.isActualDefined()
                    ? new AssertionFailedError(text, afe.getExpected().getValue(), afe.getActual().getValue(), afe.getCause())
                    : new AssertionError(text, assertion.getCause());
            explained.setStackTrace(failure.getStackTrace());
            Arrays.stream(failure.getSuppressed()).forEach(explained::addSuppressed);
            return explained;
        }
        final AssertionError explained = new AssertionError(rule + ": " + who(failure) + " threw "
                + failure.getClass().getName() + " (" + failure.getMessage() + ")" + where(failure, method)
                + " where the rule requires the call to succeed (check " + method + ")", failure);
        explained.setStackTrace(failure.getStackTrace());
        return explained;
    }

    /**
     * @param failure an exception a stage completed with
     * @param what    what the kit awaited
     * @return the message of a stage that failed where a value was required
     */
    public static String stageFailed(final Throwable failure, final String what) {
        return "your runtime failed the stage with " + failure.getClass().getName() + " (" + failure.getMessage()
                + ") where the kit required a value: " + what;
    }

    /**
     * Renders what the kit recorded with its sentinel values named, never as bare numbers: a log
     * {@code [3, -2147483648, 1000127]} with {@code -2147483648} named {@code onStop} reads
     * {@code [3, onStop, 1000127]}. Long logs keep their last {@code tail} entries.
     *
     * @param log   the recorded values, in order
     * @param names sentinel values and their names
     * @param tail  how many entries to keep at most
     * @return the rendering
     */
    public static String render(final List<?> log, final Map<?, String> names, final int tail) {
        final int from = Math.max(0, log.size() - tail);
        final String shown = log.subList(from, log.size()).stream()
                .map(v -> names.containsKey(v) ? names.get(v) : String.valueOf(v)).collect(Collectors.joining(", "));
        return "[" + (from > 0 ? "... " + from + " earlier, " : "") + shown + "]";
    }

    /** Whether the exception comes from the kit itself (its main package) or from the runtime under test. */
    private static String who(final Throwable failure) {
        for (final StackTraceElement frame : failure.getStackTrace()) {
            final String cls = frame.getClassName();
            if (cls.startsWith("java.") || cls.startsWith("jdk.") || cls.startsWith("sun.")) {
                continue;
            }
            final boolean kit = cls.startsWith("dev.flin.conformance.") && cls.indexOf('.', "dev.flin.conformance.".length()) < 0;
            return kit ? "the check itself (not the runtime)" : "your runtime";
        }
        return "your runtime";
    }

    /** The check's line that made the failing call, if the stack shows it. */
    private static String where(final Throwable failure, final String method) {
        for (final StackTraceElement frame : failure.getStackTrace()) {
            if (frame.getMethodName().equals(method) || frame.getMethodName().startsWith("lambda$" + method)) {
                return " at " + frame.getFileName() + ":" + frame.getLineNumber();
            }
        }
        return "";
    }
}
