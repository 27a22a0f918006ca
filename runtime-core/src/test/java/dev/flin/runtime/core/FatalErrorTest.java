package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.RestartPolicy;
import dev.flin.runtime.SpawnOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Rule 4.9: a fatal error (out of memory, an internal VM error) on a runtime thread goes to the
 * runtime's {@link FatalErrorHandler}, whose default halts the process; a stack overflow stays the
 * agent's own failure.
 */
class FatalErrorTest extends RuntimeTestSupport {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    /** What a recording handler saw. */
    private record Seen(String thread, Throwable error) {
    }

    private final CopyOnWriteArrayList<Seen> seen = new CopyOnWriteArrayList<>();
    private final FatalErrorHandler recorder = (thread, error) -> seen.add(new Seen(thread.getName(), error));

    private AgentRuntime pool() {
        return workerPool(2, uniquePrefix("fatal"), RuntimeOptions.defaults().withFatalErrorHandler(recorder));
    }

    @Test
    void shouldHandAnOutOfMemoryErrorInAHandlerToTheFatalErrorHandlerOnTheAgentsThread() {
        final AgentRuntime runtime = pool();
        final OutOfMemoryError oom = new OutOfMemoryError("simulated: Java heap space");
        final AgentRef<String> agent = runtime.spawn(String.class, () -> (m, c) -> {
            throw oom;
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.never()));
        agent.tell("allocate");
        Poll.until(() -> !seen.isEmpty(), PATIENCE, () -> "the fatal error reached the handler");
        assertSame(oom, seen.get(0).error());
        assertTrue(seen.get(0).thread().contains("worker"), "called on the worker that caught it: " + seen.get(0).thread());
    }

    @Test
    void shouldHandAFatalErrorInOnStartAndOnStopToo() {
        final AgentRuntime runtime = pool();
        runtime.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onStart(final AgentContext<String> context) {
                throw new InternalError("simulated VM trouble in onStart");
            }

            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.never()));
        final AgentRef<String> stopping = runtime.spawn(String.class, () -> new Agent<>() {
            @Override
            public void onMessage(final String message, final AgentContext<String> context) {
            }

            @Override
            public void onStop(final AgentContext<String> context) {
                throw new OutOfMemoryError("simulated in onStop");
            }
        });
        runtime.stop(stopping.id());
        Poll.until(() -> seen.size() == 2, PATIENCE, () -> "both fatal errors reached the handler, saw " + seen);
        assertTrue(seen.stream().anyMatch(s -> s.error() instanceof InternalError));
        assertTrue(seen.stream().anyMatch(s -> s.error() instanceof OutOfMemoryError));
    }

    @Test
    void shouldHandAFatalErrorInAPipeToSelfMapperToTheHandler() throws Exception {
        final AgentRuntime runtime = pool();
        final CompletableFuture<String> later = new CompletableFuture<>();
        final AgentRef<String> agent = runtime.spawn(String.class, () -> (m, c) -> {
            if (m.equals("go")) {
                c.pipeToSelf(later, (v, t) -> {
                    throw new OutOfMemoryError("simulated in a mapper");
                });
            }
        });
        agent.tell("go");
        Poll.until(() -> runtime.counters().processed() == 1, PATIENCE);
        later.complete("done");
        Poll.until(() -> !seen.isEmpty(), PATIENCE, () -> "the mapper's fatal error reached the handler");
    }

    @Test
    void shouldLeaveAStackOverflowTheAgentsOwnFailureAndRestartIt() {
        final AgentRuntime runtime = pool();
        final AgentRef<String> agent = runtime.spawn(String.class, () -> (m, c) -> {
            if (m.equals("deep")) {
                throw new StackOverflowError("simulated");
            }
        }, SpawnOptions.defaults().withRestartPolicy(RestartPolicy.always(dev.flin.runtime.Backoff.NONE)));
        agent.tell("deep");
        agent.tell("after");
        Poll.until(() -> runtime.counters().processed() == 2, PATIENCE, () -> "both messages handled");
        assertEquals(1, runtime.counters().restarts());
        assertTrue(seen.isEmpty(), "a stack overflow is not fatal: " + seen);
    }

    @Test
    void shouldClassifyFatalErrors() {
        assertTrue(FatalErrorHandler.isFatal(new OutOfMemoryError()));
        assertTrue(FatalErrorHandler.isFatal(new InternalError()));
        assertFalse(FatalErrorHandler.isFatal(new StackOverflowError()));
        assertFalse(FatalErrorHandler.isFatal(new IllegalStateException()));
        assertFalse(FatalErrorHandler.isFatal(new AssertionError()));
    }

    @Test
    void shouldRefuseAHaltHandlerThatWouldExitWithStatus0() {
        assertThrows(IllegalArgumentException.class,
                () -> FatalErrorHandler.haltProcess(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), 0));
    }

    @Test
    void shouldHaltTheDefaultRuntimesProcessWithOneLineOnStandardError() throws Exception {
        // A child JVM whose only runtime uses the defaults: an agent's OutOfMemoryError must end it.
        final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Surefire puts this module's classes on the module path: the child takes both, as a class path
        final String classPath = System.getProperty("java.class.path") + java.io.File.pathSeparator
                + System.getProperty("jdk.module.path", "");
        final Process child = new ProcessBuilder(javaBin, "-cp", classPath,
                FatalChild.class.getName()).redirectErrorStream(false).start();
        assertTrue(child.waitFor(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS), "the child ended");
        final String err = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(FatalErrorHandler.EXIT_STATUS, child.exitValue(), "exit status; stderr: " + err);
        final long fatalLines = err.lines().filter(l -> l.startsWith("FATAL: java.lang.OutOfMemoryError: simulated")).count();
        assertEquals(1, fatalLines, "one clear line on stderr: " + err);
    }

    /** The child of {@link #shouldHaltTheDefaultRuntimesProcessWithOneLineOnStandardError}. */
    static final class FatalChild {
        public static void main(final String[] args) throws Exception {
            final AgentRuntime runtime = FlinRuntime.create();
            final AgentRef<String> agent = runtime.spawn(String.class, () -> (m, c) -> {
                throw new OutOfMemoryError("simulated");
            });
            agent.tell("boom");
            new java.util.concurrent.CountDownLatch(1).await(60, TimeUnit.SECONDS); // the halt ends this JVM first; exit 0 is the failure
            System.exit(0);
        }
    }
}
