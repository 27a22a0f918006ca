package dev.flin.todo;

import dev.flin.http.BackgroundWorker;
import dev.flin.http.ExpiredAsks;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.core.HttpSettings;
import dev.flin.runtime.AgentRef;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.FatalErrorHandler;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.RuntimeOptions;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.RuntimeSettings;
import dev.flin.runtime.core.config.Settings;
import dev.flin.runtime.core.config.Version;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The todo demo service: a FLIN runtime, the {@link TodoStore} agent, a {@code "todo-reminders"}
 * {@link BackgroundWorker}, and an {@link HttpServer} with the routes of {@link TodoApi} and the
 * WebSocket endpoint {@code /ws} for the {@link TodoTopics#TODO} topic. With
 * {@link TodoOptions#bridge()} (PostgreSQL only) also the {@link TodoBridge}, so that several
 * nodes on one database each publish every node's changes (docs/scale-out.md).
 *
 * <p>Run it with {@link #main}; start it in-process with {@link #start}, which returns a running
 * service to {@link #close}.
 *
 * <p>Threading: {@link #start}, {@link #shutdown} and {@link #close} may be called from any thread
 * but not from an agent (shutdown waits); the accessors are thread-safe. {@link #shutdown} is
 * idempotent: the first call does the work, later calls return at once with {@code false}.
 */
public final class TodoService implements AutoCloseable {

    /** The WebSocket path. */
    public static final String WEB_SOCKET_PATH = "/ws";

    /** The background worker's name, as it appears in stats, logs and {@code runtime.lookup}. */
    public static final String REMINDERS = "todo-reminders";

    private static final Logger LOG = LoggerFactory.getLogger(TodoService.class);

    private final AgentRuntime runtime;
    private final HttpServer server;
    private final AgentRef<TodoCommand> store;
    private final BackgroundWorker<Reminder> reminders;
    private final TodoOptions options;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private TodoService(final AgentRuntime runtime, final HttpServer server, final AgentRef<TodoCommand> store,
            final BackgroundWorker<Reminder> reminders, final TodoOptions options) {
        this.runtime = runtime;
        this.server = server;
        this.store = store;
        this.reminders = reminders;
        this.options = options;
    }

    /**
     * Starts a runtime, the store (and waits until it has opened the database, at most
     * {@link TodoOptions#storeOpenTimeout()}), the reminder worker and the server.
     *
     * @param config the HTTP server's configuration ({@code port 0} takes a free port)
     * @param options the service's own settings
     * @return the running service
     * @throws IllegalStateException naming the database if the store could not open it in time;
     *     nothing is left running
     * @throws UncheckedIOException if the data directory cannot be created or the port bound
     */
    public static TodoService start(final HttpServerConfig config, final TodoOptions options) {
        return start(RuntimeOptions.defaults(), config, options);
    }

    /**
     * {@link #start(HttpServerConfig, TodoOptions)} on a runtime built with {@code runtimeOptions}.
     * Before anything is spawned it checks that the port is free and that the database opens or
     * fails for a reason a retry may cure ({@link StartupChecks}).
     *
     * @throws StartupFailure naming the cause and the flag to change: the port is taken
     *     ({@code --port}); no driver or a bad JDBC URL ({@code --jdbc-url}); wrong credentials
     *     ({@code --jdbc-user}, {@code --jdbc-password}); an H2 file locked by another process
     *     ({@code --data-dir}); nothing is left running
     */
    public static TodoService start(final RuntimeOptions runtimeOptions, final HttpServerConfig config,
            final TodoOptions options) {
        Objects.requireNonNull(runtimeOptions, "runtimeOptions");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        StartupChecks.requirePortFree(config);   // before the database is touched
        if (options.usesDefaultDatabase()) {
            try {
                Files.createDirectories(options.dataDirPath());
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot create the data directory " + options.dataDirPath().toAbsolutePath(), e);
            }
        }
        StartupChecks.requireDatabaseOpens(options);
        final TodoMetrics metrics = new TodoMetrics();
        final AgentRuntime runtime = FlinRuntime.create(metrics.instrument(runtimeOptions));
        metrics.bind(runtime);
        try {
            final Clock clock = Clock.systemUTC();
            final JdbcSettings jdbc = options.jdbc();
            final ExpiredAsks storeExpired = ExpiredAsks.create();
            final String node = options.node();
            final ChangeLog changeLog = options.bridge()
                    ? new ChangeLog(node, options.changeLogKeep(), ChangeLog.DEFAULT_NOTIFY_LIMIT_BYTES) : null;
            final AgentRef<TodoCommand> store = TodoStore.spawn(runtime, jdbc, clock, options.storeMailboxCapacity(),
                    TodoStore.defaultRestartPolicy(), storeExpired, node, changeLog);
            awaitStoreOpen(store, jdbc, options.storeOpenTimeout());
            BridgeStats bridge = null;
            if (changeLog != null) {
                bridge = new BridgeStats(node);
                TodoBridge.spawn(runtime, jdbc, changeLog, bridge);
                awaitBridge(bridge, jdbc, options.storeOpenTimeout());
            }
            final ReminderSender sender = new ReminderSender(options.reminderWorkRounds());
            final BackgroundWorker<Reminder> reminders = BackgroundWorker.spawn(runtime, REMINDERS, Reminder.class, sender,
                    options.reminderQueueCapacity());
            final AtomicReference<HttpServer> started = new AtomicReference<>();
            final TodoApi api = new TodoApi(store, storeExpired, reminders, sender, () -> Optional.ofNullable(started.get()),
                    clock, metrics.handler(), node, bridge);
            final HttpServer server;
            try {
                server = HttpServer.builder(runtime)
                        .config(config)
                        .router(api.router())
                        .webSocket(WebSocketEndpoint.of(WEB_SOCKET_PATH, TodoTopics.TODO))
                        .start();
            } catch (final UncheckedIOException e) {
                throw StartupChecks.bindFailure(config, e);   // taken since the check: the same one line
            }
            started.set(server);
            metrics.bind(server);
            LOG.info("todo service node {} on {} ({}), store {}, bridge {}", node, server.address(), server.transportName(), jdbc,
                    bridge == null ? "off" : "on");
            return new TodoService(runtime, server, store, reminders, options);
        } catch (final RuntimeException | Error e) {
            runtime.shutdown(Duration.ofSeconds(5));
            throw e;
        }
    }

    private static void awaitStoreOpen(final AgentRef<TodoCommand> store, final JdbcSettings jdbc, final Duration timeout) {
        try {
            final StoreHealth health = store.<StoreHealth>ask(TodoCommand.Ping::new, timeout).toCompletableFuture().join();
            health.problemIfAny().ifPresent(problem -> LOG.warn("the todo store is open but DOWN: {}", problem));
        } catch (final CompletionException e) {
            throw new IllegalStateException("the todo store could not open " + jdbc.url() + " within " + timeout
                    + " (its attempts are logged by " + TodoStore.class.getName() + "): " + e.getCause(), e.getCause());
        }
    }

    private static void awaitBridge(final BridgeStats bridge, final JdbcSettings jdbc, final Duration timeout) {
        try {
            bridge.firstConnection().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (final java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the bridge could not listen on " + jdbc.url() + " within " + timeout
                    + " (its attempts are logged by " + TodoBridge.class.getName() + ")", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the bridge connected to " + jdbc.url(), e);
        }
    }

    /** @return the bound port */
    public int port() {
        return server.port();
    }

    /** @return the HTTP server */
    public HttpServer server() {
        return server;
    }

    /** @return the runtime the service's agents live in */
    public AgentRuntime runtime() {
        return runtime;
    }

    /** @return the store agent */
    public AgentRef<TodoCommand> store() {
        return store;
    }

    /** @return the reminder worker */
    public BackgroundWorker<Reminder> reminders() {
        return reminders;
    }

    /** @return the settings it was started with */
    public TodoOptions options() {
        return options;
    }

    /**
     * Graceful shutdown (rule 9.8): the server stops accepting, finishes in-flight requests for up
     * to {@code grace} and closes WebSockets with 1001; then the runtime stops every agent (the
     * store closes its connection) within {@code grace}.
     *
     * @return whether both finished within their grace; {@code false} on every call after the first
     */
    public boolean shutdown(final Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (!stopped.compareAndSet(false, true)) {
            return false;
        }
        boolean clean = false;
        try {
            clean = server.shutdown(grace);
        } finally {
            clean = runtime.shutdown(grace) && clean;
        }
        return clean;
    }

    /** {@link #shutdown} with the server's configured grace. */
    @Override
    public void close() {
        shutdown(server.config().shutdownGrace());
    }

    /**
     * Runs the service until SIGTERM or SIGINT, which shut it down gracefully and exit with 0.
     * Settings: those of {@link TodoSettings#registry()}, each printed at start as
     * {@code --flag=value (source)}; a bad one exits with 2 and says which; {@code --help} prints
     * them all and {@code --version} the version, each exiting with 0; a failed start-up exits with
     * 1 and one line saying why.
     */
    public static void main(final String[] args) throws InterruptedException {
        // Rule 4.9 for every other thread of the process (JDBC, signal, Netty's global executor): a
        // fatal error there ends the process too; anything else keeps the JVM's default report.
        final FatalErrorHandler fatal = FatalErrorHandler.haltProcess();
        Thread.setDefaultUncaughtExceptionHandler((thread, error) -> {
            if (!FatalErrorHandler.escalateIfFatal(fatal, error)) {
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace(System.err);
            }
        });
        final Settings settings = TodoSettings.registry();
        final Configuration parsed;
        final HttpServerConfig config;
        final TodoOptions options;
        try {
            parsed = settings.parse(args, System.getenv(), System.getProperties());
            config = HttpSettings.config(parsed);
            options = TodoSettings.options(parsed);
        } catch (final IllegalArgumentException e) {
            System.err.println("todo-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.request() == Configuration.Request.HELP) {
            System.out.print(settings.help());
            System.exit(0);
            return;
        }
        if (parsed.request() == Configuration.Request.VERSION) {
            System.out.println("todo-service " + Version.of(TodoService.class));
            System.exit(0);
            return;
        }
        final TodoService service;
        try {
            service = start(RuntimeSettings.options(parsed), config, options);
        } catch (final RuntimeException e) {
            System.err.println("todo-service: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        // Installed before the port is printed: whoever reads the port may signal at once.
        ShutdownSignals.install(signal -> {
            System.out.println("SIG" + signal + ": shutting down (grace " + config.shutdownGrace() + ")");
            final boolean clean = service.shutdown(config.shutdownGrace());
            System.out.println(clean ? "stopped" : "stopped; some work did not finish within the grace period");
            System.out.flush();
            return 0;
        });
        System.out.println(parsed.printout());
        System.out.println("transport: " + service.server().transportName());
        System.out.println("database: " + options.jdbc().url());
        System.out.println("node: " + options.node() + (options.bridge() ? ", bridge: postgres" : ""));
        System.out.println("Open http://" + displayHost(config.host()) + ":" + service.port() + "/");
        System.out.flush();
        new CountDownLatch(1).await();   // the signal handler ends the JVM
    }

    /** @return a host to put in a URL that a local browser can open */
    static String displayHost(final String host) {
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            return "127.0.0.1";
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
