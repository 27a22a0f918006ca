package dev.flin.runtime;

import java.io.PrintStream;
import java.util.Objects;

/**
 * What a runtime (and a server on it) does when one of its threads meets an error after which the
 * JVM can no longer be trusted to serve: out of memory, an internal error of the VM (rule 4.9). Such
 * an error is not an agent's failure: restarting the agent would not give the memory back, and a
 * process that lives on without serving (its port open, its heap full) is worse than one that exits
 * and is restarted by its supervisor.
 *
 * <p>The default, {@link #haltProcess()}, prints one line on standard error and halts the JVM with
 * {@link #EXIT_STATUS}. Tests and embedders may record instead; a handler that returns lets the
 * runtime carry on as if the error were the agent's failure.
 *
 * <p>{@link StackOverflowError} is not fatal here (as in Scala's {@code NonFatal}, which Pekko
 * follows): it unwinds only the thread that overflowed and leaves the heap as it was, so it stays
 * the failing agent's failure, restarted per its policy (rule 4.2).
 *
 * <p>Threading: called on the thread that caught the error, any thread, possibly several at once;
 * implementations must be thread-safe and must not block.
 */
@FunctionalInterface
public interface FatalErrorHandler {

    /** The exit status of {@link #haltProcess()}: 70, {@code EX_SOFTWARE} of BSD's sysexits. */
    int EXIT_STATUS = 70;

    /**
     * @param thread the thread that caught it
     * @param error  the fatal error, for which {@link #isFatal} is true
     */
    void onFatalError(Thread thread, Throwable error);

    /**
     * @param error any throwable
     * @return whether it is fatal: a {@link VirtualMachineError} other than {@link StackOverflowError}
     *     ({@link OutOfMemoryError}, {@link InternalError}, {@link UnknownError})
     */
    static boolean isFatal(final Throwable error) {
        return error instanceof VirtualMachineError && !(error instanceof StackOverflowError);
    }

    /**
     * If {@code error} is fatal, hands it to {@code handler}; otherwise does nothing.
     *
     * @param handler where a fatal error goes
     * @param error   what was thrown
     * @return whether it was fatal
     */
    static boolean escalateIfFatal(final FatalErrorHandler handler, final Throwable error) {
        if (!isFatal(error)) {
            return false;
        }
        try {
            handler.onFatalError(Thread.currentThread(), error);
        } catch (final Throwable ignored) {
            // a handler that fails under the very error it handles: nothing better to do here
        }
        return true;
    }

    /** @return {@link #haltProcess(PrintStream, int)} on {@link System#err} with {@link #EXIT_STATUS} */
    static FatalErrorHandler haltProcess() {
        return haltProcess(System.err, EXIT_STATUS);
    }

    /**
     * Prints one line, {@code "FATAL: <error> on thread <name>: the process cannot serve any more and
     * exits with status <status>"}, then {@link Runtime#halt halts}: no shutdown hooks, which could
     * wait forever on a JVM that cannot allocate. The line is printed even if building it fails.
     *
     * @param out    where the line goes
     * @param status the exit status, not 0
     * @return the handler
     */
    static FatalErrorHandler haltProcess(final PrintStream out, final int status) {
        Objects.requireNonNull(out, "out");
        if (status == 0) {
            throw new IllegalArgumentException("a process that cannot serve must not exit with status 0");
        }
        final String fallback = "FATAL: a virtual machine error; the process cannot serve any more and exits with status "
                + status;
        return (thread, error) -> {
            try {
                out.println("FATAL: " + error + " on thread " + thread.getName()
                        + ": the process cannot serve any more and exits with status " + status);
                out.flush();
            } catch (final Throwable cannotEvenPrint) {
                try {
                    out.println(fallback);
                    out.flush();
                } catch (final Throwable ignored) {
                    // the exit status still says it
                }
            } finally {
                Runtime.getRuntime().halt(status);
            }
        };
    }
}
