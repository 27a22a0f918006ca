package dev.flin.todo;

import dev.flin.http.BackgroundWorker;
import dev.flin.http.ExpiredAsks;
import dev.flin.http.HandlerContext;
import dev.flin.http.HttpException;
import dev.flin.http.HttpHandler;
import dev.flin.http.HttpRequest;
import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.Json;
import dev.flin.http.Router;
import dev.flin.http.WebSocketHub;
import dev.flin.runtime.AgentNotFoundException;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.AgentTerminatedException;
import dev.flin.runtime.RuntimeStoppedException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The todo service's routes: the REST API over the {@link TodoStore} agent, background reminders,
 * health, statistics and the web page.
 *
 * <pre>
 * GET    /api/todos?limit&cursor  200 [todo...] one page by id, Link: &lt;next page&gt;; rel="next" while more may follow
 * POST   /api/todos               {"title"}                      201 todo, Location: /api/todos/{id}
 * GET    /api/todos/{id}          200 todo | 404
 * PATCH  /api/todos/{id}          {"title"?, "completed"?, "version"?}  200 todo | 404 | 409 {"error", "current"}
 * PUT    /api/todos/{id}          {"title", "completed", "version"?}    200 todo | 404 | 409 {"error", "current"}
 * DELETE /api/todos/{id}          204 | 404
 * POST   /api/todos/{id}/remind   202 (the reminder runs in the background, rule 9.4) | 404 | 503
 * GET    /api/jobs                200 the reminder worker's JobCounters
 * GET    /api/stats               200 node, runtime, server, store, worker, bridge, WebSocket and heap figures
 * GET    /health                  200 {"status":"UP"} | 503 {"status":"DOWN"}
 * GET    /metrics                 200 the runtime's and server's metrics, Prometheus text format 0.0.4 ({@link TodoMetrics})
 * GET    /  /app.js  /app.css     the page, with a Content-Security-Policy that allows only its own files
 * </pre>
 *
 * A bad body, id, limit or cursor answers 400 naming the field ({@link TodoBodies},
 * {@link TodoValidation}); a JSON body sent as another media type 415. Every store call is an ask
 * through {@link HandlerContext#ask}, so a full store mailbox answers 503 and a slow store 504 by
 * the server's mapping (rule 9.3); the store's own refusals are 400, 409 and 503
 * ({@link TodoStore}). An update that names the {@code version} of the todo it was
 * made against is applied only if that is still the current version; otherwise it answers 409
 * with the current todo under {@code "current"} ({@link StaleUpdateException}), and nothing is
 * written. Every response carries {@code X-Content-Type-Options: nosniff}: the server adds it.
 *
 * <p>Threading: the handlers run on handler agents, any number at once; they hold only immutable
 * references and thread-safe handles. Their stage callbacks run on whichever thread completes the
 * ask (often the store's): they only build responses, and use the context's {@link Json} (thread-safe)
 * captured before the ask, never the {@link HandlerContext} itself.
 */
final class TodoApi {

    /** Where a todo lives; {@code Location} of a 201. */
    static final String TODOS = "/api/todos";

    /**
     * The page's policy: its own scripts, styles, images and connections (including its WebSocket)
     * only; no plugins, no {@code <base>}, forms post only to the service, and no framing.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final AgentRef<TodoCommand> store;
    private final ExpiredAsks storeExpired;
    private final BackgroundWorker<Reminder> reminders;
    private final ReminderSender sender;
    private final Supplier<Optional<HttpServer>> server;
    private final Clock clock;
    private final HttpHandler metrics;
    private final String node;
    private final BridgeStats bridge;

    /**
     * @param store the store agent
     * @param storeExpired the store's count of requests it skipped because their asker had stopped waiting
     * @param reminders the reminder worker
     * @param sender the worker's job handler (for its count)
     * @param server the server, once it is started (requests may arrive before {@code start} returns)
     * @param clock the clock of {@link Reminder#requestedAt()}
     * @param metrics the handler of {@code GET /metrics}
     * @param node this node's name
     * @param bridge the bridge's figures, or null without a bridge
     */
    TodoApi(final AgentRef<TodoCommand> store, final ExpiredAsks storeExpired, final BackgroundWorker<Reminder> reminders,
            final ReminderSender sender, final Supplier<Optional<HttpServer>> server, final Clock clock,
            final HttpHandler metrics, final String node, final BridgeStats bridge) {
        this.store = Objects.requireNonNull(store, "store");
        this.storeExpired = Objects.requireNonNull(storeExpired, "storeExpired");
        this.reminders = Objects.requireNonNull(reminders, "reminders");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.server = Objects.requireNonNull(server, "server");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.node = Objects.requireNonNull(node, "node");
        this.bridge = bridge;
    }

    /** @return the router with every route of the service */
    Router router() {
        final StaticPage index = StaticPage.load("/static/index.html", "text/html; charset=utf-8", CONTENT_SECURITY_POLICY);
        final StaticPage script = StaticPage.load("/static/app.js", "text/javascript; charset=utf-8", CONTENT_SECURITY_POLICY);
        final StaticPage style = StaticPage.load("/static/app.css", "text/css; charset=utf-8", CONTENT_SECURITY_POLICY);
        return Router.builder()
                .get(TODOS, this::list)
                .post(TODOS, this::create)
                .get(TODOS + "/{id}", this::get)
                .patch(TODOS + "/{id}", this::patch)
                .put(TODOS + "/{id}", this::replace)
                .delete(TODOS + "/{id}", this::delete)
                .post(TODOS + "/{id}/remind", this::remind)
                .get("/api/jobs", this::jobs)
                .get("/api/stats", this::stats)
                .get("/health", this::health)
                .get("/metrics", metrics)
                .get("/", index.handler())
                .get("/index.html", index.handler())
                .get("/app.js", script.handler())
                .get("/app.css", style.handler())
                .build();
    }

    /**
     * One page: {@code limit} (default {@value TodoValidation#DEFAULT_PAGE_LIMIT}, at most
     * {@value TodoValidation#MAX_PAGE_LIMIT}) todos after {@code cursor}, as a JSON array; while more
     * may follow, {@code Link: </api/todos?limit=N&cursor=C>; rel="next"} names the next page.
     */
    private CompletionStage<HttpResponse> list(final HttpRequest request, final HandlerContext context) {
        final int limit = TodoValidation.limit(single(request, "limit"));
        final long after = TodoValidation.cursor(single(request, "cursor"));
        final Json json = context.json();
        return context.<TodoCommand, TodoPage>ask(store, reply -> new TodoCommand.List(after, limit, reply)).thenApply(page -> {
            final HttpResponse body = ok(json, page.todos());
            return page.nextAfter()
                    .map(last -> body.withHeader("link", "<" + TODOS + "?limit=" + limit + "&cursor="
                            + TodoValidation.cursorAfter(last) + ">; rel=\"next\""))
                    .orElse(body);
        });
    }

    /** @return the query parameter's value, if given once; 400 naming it if given more than once */
    private static Optional<String> single(final HttpRequest request, final String name) {
        final List<String> values = request.query().getOrDefault(name, List.of());
        if (values.size() > 1) {
            throw HttpException.badRequest(name + " must be given at most once, was given " + values.size() + " times");
        }
        return values.stream().findFirst();
    }

    private CompletionStage<HttpResponse> get(final HttpRequest request, final HandlerContext context) {
        final long id = TodoValidation.id(request.pathParam("id"));
        final Json json = context.json();
        return context.<TodoCommand, Todo>ask(store, reply -> new TodoCommand.Get(id, reply)).thenApply(todo -> ok(json, todo));
    }

    private CompletionStage<HttpResponse> create(final HttpRequest request, final HandlerContext context) {
        final Json json = context.json();
        final String title = TodoBodies.newTodo(json, request).title();
        return context.<TodoCommand, Todo>ask(store, reply -> new TodoCommand.Create(title, reply))
                .thenApply(todo -> jsonResponse(201, json, todo).withHeader("location", TODOS + "/" + todo.id()));
    }

    private CompletionStage<HttpResponse> patch(final HttpRequest request, final HandlerContext context) {
        final long id = TodoValidation.id(request.pathParam("id"));
        final Json json = context.json();
        final TodoBodies.Patch patch = TodoBodies.patch(json, request);
        return updated(json, context.<TodoCommand, Todo>ask(store,
                reply -> new TodoCommand.Update(id, patch.title(), patch.completed(), patch.version(), reply)));
    }

    private CompletionStage<HttpResponse> replace(final HttpRequest request, final HandlerContext context) {
        final long id = TodoValidation.id(request.pathParam("id"));
        final Json json = context.json();
        final TodoBodies.Replacement replacement = TodoBodies.replacement(json, request);
        return updated(json, context.<TodoCommand, Todo>ask(store, reply -> new TodoCommand.Update(id, replacement.title(),
                replacement.completed(), replacement.version(), reply)));
    }

    /** 200 with the updated todo; 409 with the current one when the update named a stale version. */
    private static CompletionStage<HttpResponse> updated(final Json json, final CompletionStage<Todo> update) {
        return update.handle((todo, failure) -> {
            if (failure == null) {
                return ok(json, todo);
            }
            if (cause(failure) instanceof StaleUpdateException stale) {
                final Map<String, Object> body = new LinkedHashMap<>();
                body.put("error", stale.getMessage());
                body.put("current", stale.current());
                return jsonResponse(409, json, body);
            }
            throw failure instanceof CompletionException completion ? completion : new CompletionException(failure);
        });
    }

    private CompletionStage<HttpResponse> delete(final HttpRequest request, final HandlerContext context) {
        final long id = TodoValidation.id(request.pathParam("id"));
        return context.<TodoCommand, Todo>ask(store, reply -> new TodoCommand.Delete(id, reply))
                .thenApply(deleted -> HttpResponse.noContent());
    }

    /**
     * Checks the todo exists, hands a {@link Reminder} to the worker and answers 202 without
     * waiting for it (rule 9.4). {@code submit} is a non-blocking, thread-safe send, so calling it
     * from the ask's callback (on the store's thread) neither blocks nor shares state.
     */
    private CompletionStage<HttpResponse> remind(final HttpRequest request, final HandlerContext context) {
        final long id = TodoValidation.id(request.pathParam("id"));
        final Json json = context.json();
        final int retryAfter = server.get().map(s -> s.config().retryAfterSeconds()).orElse(1);
        return context.<TodoCommand, Todo>ask(store, reply -> new TodoCommand.Get(id, reply)).thenApply(todo -> {
            final Reminder reminder = new Reminder(todo.id(), todo.title(), clock.instant());
            boolean accepted;
            try {
                accepted = reminders.submit(reminder);
            } catch (final AgentTerminatedException | AgentNotFoundException | RuntimeStoppedException gone) {
                accepted = false;
            }
            if (!accepted) {
                return jsonResponse(503, json, Map.of("error",
                        "the reminder queue is full or closed; retry in " + retryAfter + " s"))
                        .withHeader("retry-after", String.valueOf(retryAfter));
            }
            final Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "accepted");
            body.put("worker", reminders.name());
            body.put("reminder", reminder);
            return jsonResponse(202, json, body);
        });
    }

    private CompletionStage<HttpResponse> jobs(final HttpRequest request, final HandlerContext context) {
        final Json json = context.json();
        return reminders.counters(context.askTimeout()).thenApply(counters -> ok(json, counters));
    }

    /**
     * Asks the store to check its connection, with half the server's ask timeout so that a store
     * that does not answer is reported as DOWN (503) before the server would answer 504. A store
     * that answers but cannot write (a read-only database, a write that failed and none succeeded
     * since) is DOWN too, with its reason; reads may still work. With the bridge, the body also says
     * whether its listening connection is up ({@code "bridge": "connected"} or {@code "reconnecting"}),
     * without changing the status: the node serves every request either way, and its WebSocket
     * clients are caught up once it reconnects.
     */
    private CompletionStage<HttpResponse> health(final HttpRequest request, final HandlerContext context) {
        final Json json = context.json();
        final Duration timeout = context.askTimeout().dividedBy(2);
        CompletionStage<StoreHealth> ping;
        try {
            ping = store.ask(TodoCommand.Ping::new, timeout);
        } catch (final RuntimeException refused) {
            ping = CompletableFuture.failedStage(refused);
        }
        return ping.handle((health, failure) -> {
            final Map<String, Object> body = new LinkedHashMap<>();
            if (bridge != null) {
                // reported, not counted against UP: the node serves every request without it; its clients'
                // live updates wait for the reconnection, which then catches them up
                body.put("bridge", bridge.isConnected() ? "connected" : "reconnecting");
            }
            if (failure == null) {
                body.put("status", health.up() ? "UP" : "DOWN");
                body.put("database", health.database());
                health.problemIfAny().ifPresent(problem -> body.put("store", problem));
                return jsonResponse(health.up() ? 200 : 503, json, body);
            }
            final Throwable cause = cause(failure);
            body.put("status", "DOWN");
            body.put("store", cause instanceof HttpException answer ? answer.getMessage()
                    : cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return jsonResponse(503, json, body);
        });
    }

    /** @return what a stage failed with: the cause of a {@link CompletionException}, else the failure itself */
    private static Throwable cause(final Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private CompletionStage<HttpResponse> stats(final HttpRequest request, final HandlerContext context) {
        final AgentRuntime runtime = context.runtime();
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", node);
        body.put("runtime", runtime.counters().asMap());
        final Optional<HttpServer> running = server.get();
        body.put("server", running.map(s -> s.stats().asMap()).orElse(null));
        final Map<String, Object> storeFigures = mailbox(runtime, store.id(), TodoStore.NAME);
        storeFigures.put("expiredDropped", storeExpired.dropped());
        body.put("store", storeFigures);
        final Map<String, Object> worker = mailbox(runtime, reminders.id(), reminders.name());
        worker.put("remindersSent", sender.sent());
        body.put("reminders", worker);
        body.put("bridge", bridge == null ? null : bridge.asMap());
        body.put("webSocketConnections", running.flatMap(HttpServer::webSockets).map(WebSocketHub::connectionCount).orElse(0));
        final java.lang.management.MemoryUsage heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        final Map<String, Object> jvm = new LinkedHashMap<>();
        jvm.put("heapUsedBytes", heap.getUsed());
        jvm.put("heapMaxBytes", heap.getMax());
        body.put("jvm", jvm);
        return CompletableFuture.completedStage(ok(context.json(), body));
    }

    private static Map<String, Object> mailbox(final AgentRuntime runtime, final dev.flin.runtime.AgentId agent,
            final String name) {
        final Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("name", name);
        figures.put("agent", agent.toString());
        try {
            figures.put("mailboxDepth", runtime.mailboxDepth(agent));
            figures.put("mailboxCapacity", runtime.mailboxCapacity(agent));
            figures.put("state", runtime.state(agent).map(Enum::name).orElse("TERMINATED"));
        } catch (final AgentNotFoundException gone) {
            figures.put("state", "TERMINATED");
        }
        return figures;
    }

    private static HttpResponse ok(final Json json, final Object body) {
        return jsonResponse(200, json, body);
    }

    private static HttpResponse jsonResponse(final int status, final Json json, final Object body) {
        return HttpResponse.of(status, "application/json", json.writeBytes(body));
    }
}
