package dev.flin.runtime.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.MailboxFullException;
import dev.flin.runtime.RuntimeCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Shared fixtures of the messaging tests (sections 2, 5, 6, 7 of the spec). */
final class MessagingSupport {

    /** Hang guard for every wait; never asserted on. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private MessagingSupport() {
    }

    @FunctionalInterface
    interface StartHook<M> {
        void run(AgentContext<M> context) throws Exception;
    }

    @FunctionalInterface
    interface MessageHook<M> {
        void run(M message, AgentContext<M> context) throws Exception;
    }

    @FunctionalInterface
    interface IndexedTask {
        void run(int index) throws Exception;
    }

    /** An agent made of an onStart hook and an onMessage hook. */
    static <M> Agent<M> agent(final StartHook<M> start, final MessageHook<M> onMessage) {
        return new Agent<>() {
            @Override
            public void onStart(final AgentContext<M> context) throws Exception {
                start.run(context);
            }

            @Override
            public void onMessage(final M message, final AgentContext<M> context) throws Exception {
                onMessage.run(message, context);
            }
        };
    }

    /** The failure a completed stage holds, unwrapped; fails if it is not completed exceptionally. */
    static Throwable failureOf(final CompletionStage<?> stage) {
        final CompletableFuture<?> future = stage.toCompletableFuture();
        assertTrue(future.isDone(), "stage is not completed yet");
        try {
            final Object value = future.getNow(null);
            return fail("stage completed normally with " + value);
        } catch (CompletionException | CancellationException e) {
            return unwrap(e);
        }
    }

    /** Waits (hang guard WAIT) for the failure of a stage. */
    static Throwable awaitFailure(final CompletionStage<?> stage) throws Exception {
        try {
            final Object value = stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return fail("stage completed normally with " + value);
        } catch (ExecutionException e) {
            return unwrap(e);
        }
    }

    static Throwable unwrap(final Throwable t) {
        Throwable current = t;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    static <T> T await(final CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Rule 2.4 / 8.3: at quiescence accepted == processed + deadLetters + staleTimerMessages + queued. */
    static void assertConservation(final RuntimeCounters c) {
        assertEquals(c.accepted(), c.processed() + c.deadLetters() + c.staleTimerMessages() + c.queued(),
                "conservation identity (rule 2.4) broken: " + c);
    }

    /** Tells, retrying while the mailbox is full (allowed by the brief); gives up if interrupted. */
    static <T> void tellRetrying(final AgentRef<T> ref, final T message) {
        while (true) {
            try {
                ref.tell(message);
                return;
            } catch (MailboxFullException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted while retrying a full mailbox", e);
                }
                Thread.yield();
            }
        }
    }

    /** Runtimes made by one test; all shut down (and checked to stop gracefully) by {@link #close}. */
    static final class Runtimes implements AutoCloseable {
        private final List<AgentRuntime> all = new ArrayList<>();
        private DeterministicDispatcher det;

        AgentRuntime deterministic() {
            return deterministic(RuntimeOptions.defaults());
        }

        AgentRuntime deterministic(final RuntimeOptions options) {
            det = Dispatchers.deterministic(20_251_125L);
            final AgentRuntime rt = FlinRuntime.create(options.withDispatcher(det));
            all.add(rt);
            return rt;
        }

        /** @return the dispatcher of the last deterministic runtime */
        DeterministicDispatcher det() {
            return det;
        }

        AgentRuntime pool(final int threads) {
            final AgentRuntime rt = FlinRuntime.create(RuntimeOptions.defaults().withDispatcher(
                    () -> Dispatchers.workerPool(threads, Dispatchers.defaultIdleStrategy(), "flin-msg-test")));
            all.add(rt);
            return rt;
        }

        @Override
        public void close() {
            boolean graceful = true;
            for (final AgentRuntime rt : all) {
                graceful &= rt.shutdown(Duration.ofSeconds(5));
            }
            all.clear();
            assertTrue(graceful, "a runtime did not shut down gracefully (threads may leak)");
        }
    }

    /** Plain threads started together behind a gate; {@link #close} interrupts and joins them. */
    static final class Concurrent implements AutoCloseable {
        private final ExecutorService executor;
        private final List<Future<?>> futures = new ArrayList<>();

        private Concurrent(final int threads, final IndexedTask task) {
            executor = Executors.newFixedThreadPool(threads, r -> {
                final Thread t = new Thread(r, "flin-msg-test-sender");
                t.setDaemon(true);
                return t;
            });
            final CountDownLatch gate = new CountDownLatch(1);
            for (int i = 0; i < threads; i++) {
                final int index = i;
                futures.add(executor.submit(() -> {
                    gate.await();
                    task.run(index);
                    return null;
                }));
            }
            gate.countDown();
        }

        static Concurrent start(final int threads, final IndexedTask task) {
            return new Concurrent(threads, task);
        }

        /** Waits for every thread; rethrows the first failure. */
        void await() throws Exception {
            for (final Future<?> f : futures) {
                try {
                    f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Exception ex) {
                        throw ex;
                    }
                    throw e;
                }
            }
        }

        @Override
        public void close() {
            executor.shutdownNow();
            try {
                assertTrue(executor.awaitTermination(WAIT.toSeconds(), TimeUnit.SECONDS), "test threads did not exit");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted while joining test threads");
            }
        }
    }
}
