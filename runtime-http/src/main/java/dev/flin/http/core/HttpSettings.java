package dev.flin.http.core;

import dev.flin.http.HandlerMode;
import dev.flin.http.HttpServerConfig;
import dev.flin.http.Transport;
import dev.flin.runtime.core.config.Configuration;
import dev.flin.runtime.core.config.Setting;
import dev.flin.runtime.core.config.SettingGroup;
import dev.flin.runtime.core.config.SettingType;
import dev.flin.runtime.core.config.Settings;
import dev.flin.runtime.core.config.SettingsException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP server's settings on the {@link Settings} registry of runtime-core: one per field of
 * {@link HttpServerConfig}, its flag the field name in kebab-case ({@code maxContentLength} is
 * {@code --max-content-length}), also read from {@code FLIN_<NAME>} and, as before,
 * {@code FLIN_HTTP_<NAME>}. Byte limits take sizes ({@code 64k}, {@code 16m}); durations
 * {@code 250ms}, {@code 10s}, {@code 2m} or ISO-8601; lists are comma-separated.
 *
 * <p>In this package because it needs runtime-core, which the server itself does not.
 *
 * <p>Threading: stateless; any thread.
 */
public final class HttpSettings {

    private static final HttpServerConfig D = HttpServerConfig.defaults();
    private static final Duration LONGEST = Duration.ofDays(365);

    /** {@code --host}. */
    public static final Setting<String> HOST = Setting.of("host", SettingType.string(), D.host(), "the address to bind");
    /** {@code --port}. */
    public static final Setting<Integer> PORT = Setting.of("port", SettingType.integer(), D.port(),
            "the port; 0 takes a free one").range(0, 65535);
    /** {@code --transport}. */
    public static final Setting<Transport> TRANSPORT = Setting.of("transport", SettingType.enumeration(Transport.class),
            D.transport(), "Netty transport");
    /** {@code --io-threads}. */
    public static final Setting<Integer> IO_THREADS = Setting.of("io-threads", SettingType.integer(), D.ioThreads(),
            "event-loop threads; 0 = one per core").range(0, 1024);
    /** {@code --max-initial-line-length}. */
    public static final Setting<Integer> MAX_INITIAL_LINE_LENGTH = Setting.of("max-initial-line-length", SettingType.size(),
            D.maxInitialLineLength(), "longest request line, else 414").range(64, 1 << 20);
    /** {@code --max-header-size}. */
    public static final Setting<Integer> MAX_HEADER_SIZE = Setting.of("max-header-size", SettingType.size(),
            D.maxHeaderSize(), "largest header block, else 431").range(256, 1 << 20);
    /** {@code --max-content-length}. */
    public static final Setting<Integer> MAX_CONTENT_LENGTH = Setting.of("max-content-length", SettingType.size(),
            D.maxContentLength(), "largest request body, else 413");
    /** {@code --max-pipelined-requests}. */
    public static final Setting<Integer> MAX_PIPELINED_REQUESTS = Setting.of("max-pipelined-requests", SettingType.integer(),
            D.maxPipelinedRequests(), "requests one connection may have in flight").range(1, 1 << 16);
    /** {@code --max-in-flight-requests}. */
    public static final Setting<Integer> MAX_IN_FLIGHT_REQUESTS = Setting.of("max-in-flight-requests", SettingType.integer(),
            D.maxInFlightRequests(), "requests the server may have in flight, else 503").range(1, 1 << 24);
    /** {@code --max-connections}. */
    public static final Setting<Integer> MAX_CONNECTIONS = Setting.of("max-connections", SettingType.integer(),
            D.maxConnections(), "connections open at once (rule 9.10)").range(1, 1 << 22);
    /** {@code --max-buffered-request-bytes}. */
    public static final Setting<Integer> MAX_BUFFERED_REQUEST_BYTES = Setting.of("max-buffered-request-bytes",
            SettingType.size(), D.maxBufferedRequestBytes(), "request bytes held server-wide, else 503 (rule 9.10)");
    /** {@code --idle-timeout}. */
    public static final Setting<Duration> IDLE_TIMEOUT = duration("idle-timeout", D.idleTimeout(),
            "an idle connection, or one leaving its answers unread, is closed after");
    /** {@code --header-timeout}. */
    public static final Setting<Duration> HEADER_TIMEOUT = duration("header-timeout", D.headerTimeout(),
            "headers not complete within this get 408");
    /** {@code --body-timeout}. */
    public static final Setting<Duration> BODY_TIMEOUT = duration("body-timeout", D.bodyTimeout(),
            "a body not complete within this gets 408");
    /** {@code --ask-timeout}. */
    public static final Setting<Duration> ASK_TIMEOUT = duration("ask-timeout", D.askTimeout(),
            "a handler agent answering later gets 504");
    /** {@code --shutdown-grace}. */
    public static final Setting<Duration> SHUTDOWN_GRACE = duration("shutdown-grace", D.shutdownGrace(),
            "how long a graceful shutdown waits for requests in flight");
    /** {@code --handler-mode}. */
    public static final Setting<HandlerMode> HANDLER_MODE = Setting.of("handler-mode", SettingType.enumeration(HandlerMode.class),
            D.handlerMode(), "one handler agent per request, or a pool");
    /** {@code --handler-pool-size}. */
    public static final Setting<Integer> HANDLER_POOL_SIZE = Setting.of("handler-pool-size", SettingType.integer(),
            D.handlerPoolSize(), "handler agents in the pool").range(1, 1 << 16);
    /** {@code --handler-mailbox-capacity}. */
    public static final Setting<Integer> HANDLER_MAILBOX_CAPACITY = Setting.of("handler-mailbox-capacity",
            SettingType.integer(), D.handlerMailboxCapacity(), "mailbox capacity of a handler agent").range(1, 1 << 20);
    /** {@code --retry-after-seconds}. */
    public static final Setting<Integer> RETRY_AFTER_SECONDS = Setting.of("retry-after-seconds", SettingType.integer(),
            D.retryAfterSeconds(), "the Retry-After of a 503").range(0, 86_400);
    /** {@code --ws-max-frame-payload}. */
    public static final Setting<Integer> WS_MAX_FRAME_PAYLOAD = Setting.of("ws-max-frame-payload", SettingType.size(),
            D.wsMaxFramePayload(), "largest WebSocket frame payload, else 1009").range(125, 1 << 26);
    /** {@code --ws-outbound-limit}. */
    public static final Setting<Integer> WS_OUTBOUND_LIMIT = Setting.of("ws-outbound-limit", SettingType.size(),
            D.wsOutboundLimit(), "bytes queued for one WebSocket client (rule 9.7)").range(1024, Integer.MAX_VALUE);
    /** {@code --ws-ping-interval}. */
    public static final Setting<Duration> WS_PING_INTERVAL = duration("ws-ping-interval", D.wsPingInterval(),
            "how often an idle WebSocket client is pinged");
    /** {@code --ws-pong-timeout}. */
    public static final Setting<Duration> WS_PONG_TIMEOUT = duration("ws-pong-timeout", D.wsPongTimeout(),
            "how long a ping waits for a pong");
    /** {@code --allowed-hosts}. */
    public static final Setting<List<String>> ALLOWED_HOSTS = Setting.of("allowed-hosts", SettingType.list(),
            D.allowedHosts(), "host names Host may carry; * for any (rule 9.11)")
            .defaultShownAs("the bound address,localhost,127.0.0.1,[::1]");
    /** {@code --allowed-origins}. */
    public static final Setting<List<String>> ALLOWED_ORIGINS = Setting.of("allowed-origins", SettingType.list(),
            D.allowedOrigins(), "origins whose pages may change state; self, * or scheme://host[:port] (rule 9.11)");

    private static final List<Setting<?>> ALL = List.of(HOST, PORT, TRANSPORT, IO_THREADS, MAX_INITIAL_LINE_LENGTH,
            MAX_HEADER_SIZE, MAX_CONTENT_LENGTH, MAX_PIPELINED_REQUESTS, MAX_IN_FLIGHT_REQUESTS, MAX_CONNECTIONS,
            MAX_BUFFERED_REQUEST_BYTES, IDLE_TIMEOUT, HEADER_TIMEOUT, BODY_TIMEOUT, ASK_TIMEOUT, SHUTDOWN_GRACE, HANDLER_MODE,
            HANDLER_POOL_SIZE, HANDLER_MAILBOX_CAPACITY, RETRY_AFTER_SECONDS, WS_MAX_FRAME_PAYLOAD, WS_OUTBOUND_LIMIT,
            WS_PING_INTERVAL, WS_PONG_TIMEOUT, ALLOWED_HOSTS, ALLOWED_ORIGINS);

    private HttpSettings() {
    }

    private static Setting<Duration> duration(final String name, final Duration defaultValue, final String doc) {
        return Setting.of(name, SettingType.duration(), defaultValue, doc).check(d -> d.isNegative() || d.isZero()
                || d.compareTo(LONGEST) > 0 ? Optional.of("must be positive and at most 365d") : Optional.empty());
    }

    /** @return the group {@code HTTP server}, also read from the {@code FLIN_HTTP_} variables */
    public static SettingGroup group() {
        return SettingGroup.of("HTTP server", ALL).withLegacyEnvPrefix("FLIN_HTTP_");
    }

    /**
     * @param config settings read by a registry holding {@link #group()}
     * @return the server's configuration
     * @throws SettingsException naming the flags and sources of settings that are valid alone but
     *     not together
     */
    public static HttpServerConfig config(final Configuration config) {
        Objects.requireNonNull(config, "config");
        try {
            return HttpServerConfig.builder()
                    .host(config.get(HOST)).port(config.get(PORT)).transport(config.get(TRANSPORT))
                    .ioThreads(config.get(IO_THREADS)).maxInitialLineLength(config.get(MAX_INITIAL_LINE_LENGTH))
                    .maxHeaderSize(config.get(MAX_HEADER_SIZE)).maxContentLength(config.get(MAX_CONTENT_LENGTH))
                    .maxPipelinedRequests(config.get(MAX_PIPELINED_REQUESTS))
                    .maxInFlightRequests(config.get(MAX_IN_FLIGHT_REQUESTS)).maxConnections(config.get(MAX_CONNECTIONS))
                    .maxBufferedRequestBytes(config.get(MAX_BUFFERED_REQUEST_BYTES))
                    .idleTimeout(config.get(IDLE_TIMEOUT)).headerTimeout(config.get(HEADER_TIMEOUT))
                    .bodyTimeout(config.get(BODY_TIMEOUT)).askTimeout(config.get(ASK_TIMEOUT))
                    .shutdownGrace(config.get(SHUTDOWN_GRACE)).handlerMode(config.get(HANDLER_MODE))
                    .handlerPoolSize(config.get(HANDLER_POOL_SIZE)).handlerMailboxCapacity(config.get(HANDLER_MAILBOX_CAPACITY))
                    .retryAfterSeconds(config.get(RETRY_AFTER_SECONDS)).wsMaxFramePayload(config.get(WS_MAX_FRAME_PAYLOAD))
                    .wsOutboundLimit(config.get(WS_OUTBOUND_LIMIT)).wsPingInterval(config.get(WS_PING_INTERVAL))
                    .wsPongTimeout(config.get(WS_PONG_TIMEOUT)).allowedHosts(config.get(ALLOWED_HOSTS))
                    .allowedOrigins(config.get(ALLOWED_ORIGINS))
                    .build();
        } catch (final IllegalArgumentException e) {
            throw new SettingsException("invalid HTTP server settings: " + e.getMessage() + involved(e.getMessage(), config), e);
        }
    }

    /** @return the settings a validation message names by their field name, with their sources */
    private static String involved(final @Nullable String message, final Configuration config) {
        final StringJoiner names = new StringJoiner(", ", " (", ")");
        names.setEmptyValue("");
        for (final Setting<?> s : ALL) {
            if (message != null && message.contains(camel(s.name()))) {
                names.add(config.describeSource(s));
            }
        }
        return names.toString();
    }

    private static String camel(final String kebab) {
        final StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (int i = 0; i < kebab.length(); i++) {
            final char c = kebab.charAt(i);
            if (c == '-') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return b.toString();
    }
}
