package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the server checks in a request before any handler sees it, each check answering with the
 * status its rule names: the version (505, rule 9.12), the request target (400, rule 9.13), the
 * {@code Host} (400, rule 9.11), {@code Expect} (417), the framing of the body (400, 413) and, once the
 * request is complete, its {@code Origin} (403, rule 9.11).
 *
 * <p>Threading: immutable once built from the configuration; any thread.
 */
final class RequestChecks {

    /** Why a request is refused: the status and a message for the client. */
    record Refusal(int status, String message) {
    }

    private final int maxContentLength;
    private final boolean anyHost;
    private final Set<String> hosts;
    private final boolean anyOrigin;
    private final boolean selfOrigin;
    private final Set<HostNames.Origin> origins;

    RequestChecks(final HttpServerConfig config) {
        this.maxContentLength = config.maxContentLength();
        final List<String> allowedHosts = config.effectiveAllowedHosts();
        this.anyHost = allowedHosts.contains(HttpServerConfig.ANY);
        this.hosts = Set.copyOf(allowedHosts);
        this.anyOrigin = config.allowedOrigins().contains(HttpServerConfig.ANY);
        this.selfOrigin = config.allowedOrigins().contains(HttpServerConfig.SELF);
        final Set<HostNames.Origin> parsed = new HashSet<>();
        for (final String o : config.allowedOrigins()) {
            final HostNames.Origin origin = HostNames.parseOrigin(o);
            if (origin != null) {
                parsed.add(origin);
            }
        }
        this.origins = Set.copyOf(parsed);
    }

    /**
     * Checks a request's head, in the order a client's mistake is best explained: version, target,
     * host, expectation, body framing.
     *
     * @return why it is refused, or null if it may go on
     */
    Refusal checkHead(final HttpRequest head) {
        final HttpVersion version = head.protocolVersion();
        if (version.majorVersion() != 1) {
            return new Refusal(505, "HTTP version " + version.text() + " is not supported: this server speaks HTTP/1.1");
        }
        final String uri = head.uri();
        final int bad = firstNonVisibleAscii(uri);
        if (bad >= 0) {
            return new Refusal(400, "the request target has a " + describeByte(uri.charAt(bad)) + " at position " + bad
                    + ": only visible ASCII is allowed (percent-encode the rest)");
        }
        if (uri.isEmpty()) {
            return new Refusal(400, "the request target is empty");
        }
        final Refusal host = checkHost(head.headers(), uri);
        if (host != null) {
            return host;
        }
        if (isUnsupportedExpectation(head)) {
            return new Refusal(417, "unsupported expectation '" + head.headers().get(HttpHeaderNames.EXPECT) + "'");
        }
        final long length;
        try {
            length = HttpUtil.getContentLength(head, -1L);
        } catch (final NumberFormatException e) {
            return new Refusal(400, "malformed content-length '" + head.headers().get(HttpHeaderNames.CONTENT_LENGTH) + "'");
        }
        if (length > maxContentLength) {
            return new Refusal(413, "request body of " + length + " bytes is over the limit of " + maxContentLength + " bytes");
        }
        return null;
    }

    /**
     * Rule 9.11: a request that can change state (any method but GET, HEAD and OPTIONS), and every
     * WebSocket handshake, may come from a page of another site only if that site's origin is
     * allowed. A request without {@code Origin} did not come from such a page.
     *
     * @param headers      the request's headers
     * @param method       its method
     * @param webSocket    whether it asks for a WebSocket upgrade
     * @return why it is refused (403), or null
     */
    Refusal checkOrigin(final HttpHeaders headers, final String method, final boolean webSocket) {
        if (anyOrigin || (!webSocket && isSafe(method))) {
            return null;
        }
        final List<String> values = headers.getAll(HttpHeaderNames.ORIGIN);
        if (values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            return new Refusal(403, "more than one Origin header");
        }
        final String value = values.get(0);
        final HostNames.Origin origin = HostNames.parseOrigin(value);
        if (origin != null) {
            if (origins.contains(origin)) {
                return null;
            }
            if (selfOrigin) {
                final HostNames.HostPort host = HostNames.parseHostHeader(headers.get(HttpHeaderNames.HOST, ""));
                if (host != null && HostNames.isSameOrigin(origin, host)) {
                    return null;
                }
            }
        }
        return new Refusal(403, "origin '" + shorten(value) + "' is not allowed to "
                + (webSocket ? "open a WebSocket" : "send " + method + " requests") + " here");
    }

    private Refusal checkHost(final HttpHeaders headers, final String uri) {
        final List<String> values = headers.getAll(HttpHeaderNames.HOST);
        if (values.isEmpty()) {
            return new Refusal(400, "the Host header is missing");
        }
        if (values.size() > 1) {
            return new Refusal(400, "more than one Host header");
        }
        final HostNames.HostPort host = HostNames.parseHostHeader(values.get(0));
        if (host == null) {
            return new Refusal(400, "malformed Host header '" + shorten(values.get(0)) + "'");
        }
        if (!anyHost && !hosts.contains(host.host())) {
            return new Refusal(400, "host '" + shorten(host.host()) + "' is not served here");
        }
        // absolute-form (RFC 9112 3.2.2): the target's authority is the host that counts
        final int scheme = uri.indexOf("://");
        if (!uri.startsWith("/") && scheme > 0) {
            final int end = uri.indexOf('/', scheme + 3);
            final String authority = uri.substring(scheme + 3, end < 0 ? uri.length() : end);
            final HostNames.HostPort target = HostNames.parseHostHeader(authority);
            if (target == null) {
                return new Refusal(400, "malformed authority in the request target");
            }
            if (!anyHost && !hosts.contains(target.host())) {
                return new Refusal(400, "host '" + shorten(target.host()) + "' is not served here");
            }
        }
        return null;
    }

    /** @return whether the method is safe (RFC 9110 9.2.1): it must not change state, so no origin is checked */
    static boolean isSafe(final String method) {
        return method.equals(HttpMethod.GET.name()) || method.equals(HttpMethod.HEAD.name())
                || method.equals(HttpMethod.OPTIONS.name());
    }

    /** @return the index of the first character outside {@code 0x21..0x7E}, or -1 */
    static int firstNonVisibleAscii(final String s) {
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return i;
            }
        }
        return -1;
    }

    private static String describeByte(final char c) {
        if (c == ' ') {
            return "space";
        }
        if (c < 0x20 || c == 0x7F) {
            return String.format("control byte 0x%02X", (int) c);
        }
        return String.format("non-ASCII byte 0x%02X", (int) c);
    }

    /** An {@code Expect} other than {@code 100-continue} on HTTP/1.1 (HTTP/1.0 ignores the header). */
    private static boolean isUnsupportedExpectation(final HttpRequest head) {
        final String expect = head.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && head.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim());
    }

    private static String shorten(final String text) {
        final String visible = text.replaceAll("[^\\x20-\\x7E]", "?");
        return visible.length() <= 100 ? visible : visible.substring(0, 100) + "...";
    }
}
