package dev.flin.http.examples;

import dev.flin.http.HttpResponse;
import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Router;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.RuntimeSettings;
import dev.flin.runtime.core.config.Settings;
import dev.flin.runtime.core.config.Version;
import dev.flin.http.core.HttpSettings;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The smallest FLIN HTTP service: {@code GET /hello} answers {@code hello}, each request handled by
 * an agent (rule 9.2). Meant for load figures ({@code wrk -t2 -c64 -d30s http://127.0.0.1:8080/hello}).
 *
 * <pre>
 * ./mvnw -B -q -pl runtime-http -am package -DskipTests
 * java -cp "runtime-http/target/flin-http.jar:runtime-http/target/lib/*" dev.flin.http.examples.HelloService --port 8080 --handler-mode pool
 * </pre>
 *
 * Every {@link HttpServerConfig} setting is a flag ({@code --handler-mode per-request|pool},
 * {@code --port}, {@code --io-threads}, ...) or a {@code FLIN_...} environment variable (see {@code --help}); the
 * settings in effect are printed at start. Stop with Ctrl-C: the server shuts down gracefully, then
 * the runtime.
 *
 * <p>Threading: {@link #start} may be called from any thread; the handler is stateless.
 */
public final class HelloService {

    private HelloService() {
    }

    /** @return the service's routes: {@code GET /hello} */
    public static Router router() {
        final CompletableFuture<HttpResponse> hello = CompletableFuture.completedFuture(HttpResponse.text(200, "hello"));
        return Router.builder().get("/hello", (request, context) -> hello).build();
    }

    /**
     * Starts the service on {@code runtime}.
     *
     * @return the running server; shutting it down leaves the runtime running
     */
    public static HttpServer start(final AgentRuntime runtime, final HttpServerConfig config) {
        return HttpServer.builder(runtime).config(config).router(router()).start();
    }

    /**
     * Runs the service until the process is stopped.
     *
     * @param args settings as flags, e.g. {@code --port 8080 --handler-mode pool}
     */
    public static void main(final String[] args) {
        final Settings settings = Settings.of("hello-service", List.of(RuntimeSettings.group(), HttpSettings.group()));
        final Configuration parsed;
        final HttpServerConfig config;
        try {
            parsed = settings.parse(args, System.getenv(), System.getProperties());
            config = HttpSettings.config(parsed);
        } catch (final IllegalArgumentException e) {
            System.err.println("hello-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.request() == Configuration.Request.HELP) {
            System.out.print(settings.help());
            return;
        }
        if (parsed.request() == Configuration.Request.VERSION) {
            System.out.println("hello-service " + Version.of(HelloService.class));
            return;
        }
        final AgentRuntime runtime = FlinRuntime.create(RuntimeSettings.options(parsed));
        final HttpServer server = start(runtime, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            runtime.close();
        }, "hello-service-shutdown"));
        System.out.println(parsed.printout());
        System.out.println("hello-service: GET http://" + server.address().getHostString() + ":" + server.port() + "/hello ("
                + server.transportName() + ", " + config.handlerMode() + ")");
    }
}
