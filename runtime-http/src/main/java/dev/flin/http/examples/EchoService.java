package dev.flin.http.examples;

import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.WebSocketEndpoint;
import dev.flin.http.WebSocketHandler;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.RuntimeSettings;
import dev.flin.runtime.core.config.Settings;
import dev.flin.runtime.core.config.Version;
import dev.flin.http.core.HttpSettings;
import java.util.List;

/**
 * A WebSocket echo service: every text and binary message a client sends to {@code /echo} comes
 * back exactly, as one message of the same type. Each connection is an agent (rule 9.5) whose
 * {@link WebSocketHandler} sends the message back; the frame rules (ping, close, UTF-8, limits:
 * rule 9.14) are the server's. It is the endpoint the kit's Autobahn cases run against
 * ({@code dev.flin.conformance.http.WebSocketCaseKit}), and one a real Autobahn fuzzing client can
 * be pointed at where it is installed.
 *
 * <pre>
 * ./mvnw -B -q -pl runtime-http -am package -DskipTests
 * java -cp "runtime-http/target/flin-http.jar:runtime-http/target/lib/*" dev.flin.http.examples.EchoService --port 9001
 * </pre>
 *
 * Every {@link HttpServerConfig} setting is a flag ({@code --port}, {@code --ws-max-frame-payload},
 * ...) or a {@code FLIN_...} environment variable (see {@code --help}); the settings in effect are printed at start.
 * Stop with Ctrl-C: the server shuts down gracefully (WebSockets close with 1001), then the runtime.
 *
 * <p>Threading: {@link #start} may be called from any thread; each connection's handler runs on
 * its connection agent's thread and keeps no state.
 */
public final class EchoService {

    /** Where clients connect. */
    public static final String PATH = "/echo";

    private EchoService() {
    }

    /** @return the handler that sends every message back as it came */
    public static WebSocketHandler echo() {
        return (message, session) -> session.send(message);
    }

    /** @return the service's endpoint: {@link #PATH}, one {@link #echo()} handler per connection */
    public static WebSocketEndpoint endpoint() {
        return WebSocketEndpoint.ofHandler(PATH, EchoService::echo);
    }

    /**
     * Starts the service on {@code runtime}.
     *
     * @return the running server; shutting it down leaves the runtime running
     */
    public static HttpServer start(final AgentRuntime runtime, final HttpServerConfig config) {
        return HttpServer.builder(runtime).config(config).webSocket(endpoint()).start();
    }

    /**
     * Runs the service until the process is stopped.
     *
     * @param args settings as flags, e.g. {@code --port 9001}
     */
    public static void main(final String[] args) {
        final Settings settings = Settings.of("echo-service", List.of(RuntimeSettings.group(), HttpSettings.group()));
        final Configuration parsed;
        final HttpServerConfig config;
        try {
            parsed = settings.parse(args, System.getenv(), System.getProperties());
            config = HttpSettings.config(parsed);
        } catch (final IllegalArgumentException e) {
            System.err.println("echo-service: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parsed.request() == Configuration.Request.HELP) {
            System.out.print(settings.help());
            return;
        }
        if (parsed.request() == Configuration.Request.VERSION) {
            System.out.println("echo-service " + Version.of(EchoService.class));
            return;
        }
        final AgentRuntime runtime = FlinRuntime.create(RuntimeSettings.options(parsed));
        final HttpServer server = start(runtime, config);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            runtime.close();
        }, "echo-service-shutdown"));
        System.out.println(parsed.printout());
        System.out.println("echo-service: ws://" + server.address().getHostString() + ":" + server.port() + PATH + " ("
                + server.transportName() + ")");
    }
}
