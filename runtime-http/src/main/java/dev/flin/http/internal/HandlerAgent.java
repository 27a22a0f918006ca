package dev.flin.http.internal;

import dev.flin.http.ExpiredAsks;
import dev.flin.http.HandlerFailedException;
import dev.flin.http.HttpRequest;
import dev.flin.http.HttpResponse;
import dev.flin.runtime.Agent;
import dev.flin.runtime.AgentContext;
import dev.flin.runtime.FatalErrorHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A handler agent (rule 9.2): runs {@link dev.flin.http.HttpHandler#handle} on its own thread, takes
 * the handler's stage back onto that thread with {@link AgentContext#pipeToSelf}, and replies to
 * the server's ask with exactly one {@link HandlerResult} per request.
 *
 * <p>Failures (rule 9.3): the reply is always sent first; then a handler failure (anything but an
 * {@link dev.flin.http.HttpException}, a full mailbox or an ask timeout) is logged with its
 * correlation id and rethrown as {@link HandlerFailedException}, so the runtime counts and
 * publishes it ({@code SystemTopics.FAILURES}) and applies this agent's restart policy.
 *
 * <p>Bounds: a request whose stage has not completed by its deadline (the server's ask timeout
 * after it was accepted, rule 9.10) is answered 504 by the agent itself and forgotten, and one that
 * reaches the agent already past it is dropped unrun and counted ({@link ExpiredAsks}), so that neither an agent (per-request mode) nor a pool
 * slot is held forever by a stage that never completes. If the agent stops with requests pending,
 * {@link #onStop} answers them 503.
 *
 * <p>A failure concerns its own request only (rule 9.3: other requests unaffected). The requests
 * a pool agent is still waiting on are its {@link Promises}, which outlive an instance: the
 * failed instance leaves them, the restarted one takes them over in {@link #onStart} (re-arming
 * their deadlines, since a restart cancels timers, rule 4.8) and answers them when their stages
 * complete, whose results reach it through the kept mailbox (rules 4.8, 5.5). What a restart
 * makes fresh is everything else of the instance; a handler agent has nothing else.
 *
 * <p>Two modes: {@code oneShot} (one agent per request, which stops itself once it has answered)
 * and pool (long-lived; {@code release} frees the request's admission slot when it is answered).
 *
 * <p>Threading: agent-thread only, like every agent (rule 1.1); its fields are owned by it.
 */
final class HandlerAgent implements Agent<HandlerMessage> {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerAgent.class);

    private final ServerHandlerContext handlerContext;
    private final ErrorResponses errors;
    private final ExpiredAsks expired;
    private final IntConsumer release;
    private final boolean oneShot;

    /** Requests whose handler stage has not completed yet, with their deadlines: see {@link Promises}. */
    private final Promises pending;
    /** Set just before this instance fails on a handler's failure: {@link #onStop} then leaves the promises to the next instance. */
    private boolean failing;

    HandlerAgent(final ServerHandlerContext handlerContext, final ErrorResponses errors, final ExpiredAsks expired,
            final IntConsumer release, final boolean oneShot, final Promises pending) {
        this.handlerContext = Objects.requireNonNull(handlerContext, "handlerContext");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.expired = Objects.requireNonNull(expired, "expired");
        this.release = Objects.requireNonNull(release, "release");
        this.oneShot = oneShot;
        this.pending = Objects.requireNonNull(pending, "pending");
    }

    /**
     * The requests one handler agent has started and not answered yet, each with its deadline
     * ({@link System#nanoTime()}). One per agent, not per instance: the factory of a pool agent
     * hands the same one to every instance it makes, so a restart does not drop them.
     *
     * <p>Threading: confined to its agent. Only that agent's callbacks touch it, and the runtime
     * runs them one at a time, each happening-before the next, across instances too (rules 1.1,
     * 1.2): the failed instance's {@code onStop} happens-before the factory call and the new
     * instance's {@code onStart}.
     */
    static final class Promises {
        private final Map<HandlerMessage.Handle, Long> deadlines = new LinkedHashMap<>();
    }

    /** Takes over the promises of a failed predecessor: its timers were cancelled by the restart. */
    @Override
    public void onStart(final AgentContext<HandlerMessage> context) {
        final long now = System.nanoTime();
        for (final Map.Entry<HandlerMessage.Handle, Long> e : pending.deadlines.entrySet()) {
            final Duration left = Duration.ofNanos(Math.max(0, e.getValue() - now));
            context.timers().startSingle(e.getKey(), new HandlerMessage.Expire(e.getKey()), left);
        }
    }

    @Override
    public void onMessage(final HandlerMessage message, final AgentContext<HandlerMessage> context) {
        if (message instanceof HandlerMessage.Handle handle) {
            start(handle, context);
        } else if (message instanceof HandlerMessage.Settle settle) {
            if (pending.deadlines.remove(settle.handle()) != null) {
                context.timers().cancel(settle.handle());
                finish(settle.handle(), settle.response(), settle.failure(), context);
            }
        } else if (message instanceof HandlerMessage.Expire expire) {
            if (pending.deadlines.remove(expire.handle()) != null) {
                final String id = expire.handle().request().correlationId();
                answer(expire.handle(), new HandlerResult(errors.timedOut(id), HandlerResult.Kind.TIMED_OUT), context);
            }
        }
    }

    @Override
    public void onStop(final AgentContext<HandlerMessage> context) {
        if (failing || pending.deadlines.isEmpty()) {
            // After a handler's failure the promises stay for the restarted instance. If no restart
            // follows (a stop was requested, rule 4.2), the runtime fails their asks when the agent
            // terminates (rule 5.7), which the server answers 503: every request is still answered.
            return;
        }
        final List<HandlerMessage.Handle> abandoned = new ArrayList<>(pending.deadlines.keySet());
        pending.deadlines.clear();
        for (final HandlerMessage.Handle handle : abandoned) {
            final String id = handle.request().correlationId();
            handle.reply().reply(new HandlerResult(errors.unavailable("handler agent stopped, retry later", id),
                    HandlerResult.Kind.ABORTED));
            release.accept(handle.slot());
        }
    }

    private void start(final HandlerMessage.Handle handle, final AgentContext<HandlerMessage> context) {
        if (expired.drop(handle)) {
            // The request waited in the mailbox past its deadline and has had its 504: running the
            // handler now would only spend work on an answer nobody reads (under overload, all of it).
            // Counted (rule 9.10).
            release.accept(handle.slot());
            if (oneShot) {
                context.stop();
            }
            return;
        }
        final CompletionStage<HttpResponse> stage;
        final CompletableFuture<HttpResponse> done;
        try {
            stage = handle.handler().handle(handle.request(), handlerContext.forDeadline(handle.deadlineNanos()));
            if (stage == null) {
                throw new NullPointerException("the handler returned a null stage");
            }
            done = completedOrNull(stage);
        } catch (final Throwable thrown) {
            finish(handle, null, thrown, context);
            return;
        }
        if (done != null) {
            // Already complete: we are on the agent's thread, no need for a round trip through the mailbox.
            HttpResponse response = null;
            Throwable failure = null;
            try {
                response = done.join();
            } catch (final CompletionException | CancellationException e) {
                failure = e;
            }
            finish(handle, response, failure, context);
            return;
        }
        pending.deadlines.put(handle, handle.deadlineNanos());
        context.timers().startSingle(handle, new HandlerMessage.Expire(handle),
                Duration.ofNanos(Math.max(0, handle.deadlineNanos() - System.nanoTime())));
        context.pipeToSelf(stage, (response, failure) -> new HandlerMessage.Settle(handle, response, failure));
    }

    /**
     * @return the stage as a completed future, or null if it is not complete yet (or cannot say:
     *         {@code toCompletableFuture} is optional, and the runtime's own stages are minimal ones
     *         that answer nothing but it)
     */
    private static CompletableFuture<HttpResponse> completedOrNull(final CompletionStage<HttpResponse> stage) {
        try {
            final CompletableFuture<HttpResponse> future = stage.toCompletableFuture();
            return future.isDone() ? future : null;
        } catch (final UnsupportedOperationException cannotSay) {
            return null;
        }
    }

    private void finish(final HandlerMessage.Handle handle, final HttpResponse response, final Throwable failure,
            final AgentContext<HandlerMessage> context) {
        final HttpRequest request = handle.request();
        if (failure == null && response != null) {
            answer(handle, new HandlerResult(response, HandlerResult.Kind.ANSWERED), context);
            return;
        }
        final Throwable cause = failure != null ? failure : new NullPointerException("the handler completed with a null response");
        final Throwable thrown = ErrorResponses.unwrap(cause);
        if (FatalErrorHandler.isFatal(thrown)) {
            // rule 4.9: not this request's failure but the process's; the runtime's handler takes it
            throw (Error) thrown;
        }
        final HandlerResult result = errors.forFailure(cause, request.correlationId());
        if (result.kind() != HandlerResult.Kind.HANDLER_FAILED) {
            answer(handle, result, context);
            return;
        }
        final long dropped = errors.failureLogs().tryLog();
        if (dropped >= 0) {
            LOG.error("handler for {} {} failed [correlation id {}]{}", request.method(), request.path(), request.correlationId(),
                    LogBudget.note(dropped), thrown);
        }
        // Reply first (rule 9.1: exactly one response), then fail so that the runtime publishes the
        // failure and applies the restart policy (rule 9.3, 4.5).
        handle.reply().reply(result);
        release.accept(handle.slot());
        failing = true;
        throw new HandlerFailedException(request.method(), request.path(), request.correlationId(), thrown);
    }

    private void answer(final HandlerMessage.Handle handle, final HandlerResult result, final AgentContext<HandlerMessage> context) {
        handle.reply().reply(result);
        release.accept(handle.slot());
        if (oneShot) {
            context.stop();
        }
    }
}
