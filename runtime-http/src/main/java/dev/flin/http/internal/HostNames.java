package dev.flin.http.internal;

import java.util.Locale;

/**
 * The syntax of hosts, {@code Host} header values and origins (RFC 3986 section 3.2, RFC 9110
 * section 7.2, RFC 6454), as far as the server checks them (rule 9.11). Not API.
 *
 * <p>Threading: stateless; any thread.
 */
public final class HostNames {

    /** A host and port as a {@code Host} header or an origin names them; port -1 when none was given. */
    public record HostPort(String host, int port) {
    }

    /** An origin: scheme, host (lower case, IPv6 in brackets) and port (the scheme's default if none was given). */
    public record Origin(String scheme, String host, int port) {
    }

    private HostNames() {
    }

    /**
     * @param host a host in lower case, without port
     * @return whether it is a registered name (letters, digits and {@code -._~!$&'()*+,;=%}), an
     *     IPv4 address, or an IPv6 literal in brackets
     */
    public static boolean isValidHost(final String host) {
        if (host.isEmpty() || host.length() > 255) {
            return false;
        }
        if (host.charAt(0) == '[') {
            if (host.length() < 4 || host.charAt(host.length() - 1) != ']') {
                return false;
            }
            for (int i = 1; i < host.length() - 1; i++) {
                final char c = host.charAt(i);
                if (!(isHexDigit(c) || c == ':' || c == '.')) {
                    return false;
                }
            }
            return host.indexOf(':') > 0;
        }
        for (int i = 0; i < host.length(); i++) {
            final char c = host.charAt(i);
            final boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_'
                    || c == '~' || c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*'
                    || c == '+' || c == ',' || c == ';' || c == '=' || c == '%';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param value a {@code Host} header value, {@code host[:port]}
     * @return the host (lower case) and port (-1 if none), or null if it is malformed
     */
    public static HostPort parseHostHeader(final String value) {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        final int colon;
        if (v.startsWith("[")) {
            final int close = v.indexOf(']');
            if (close < 0) {
                return null;
            }
            colon = close + 1 < v.length() ? close + 1 : -1;
            if (colon > 0 && v.charAt(colon) != ':') {
                return null;
            }
        } else {
            colon = v.indexOf(':');
        }
        final String host = colon < 0 ? v : v.substring(0, colon);
        if (!isValidHost(host)) {
            return null;
        }
        if (colon < 0) {
            return new HostPort(host, -1);
        }
        final String port = v.substring(colon + 1);
        if (port.isEmpty()) {
            return new HostPort(host, -1); // "host:" is allowed by the grammar: the default port
        }
        final int p = parsePort(port);
        return p < 0 ? null : new HostPort(host, p);
    }

    /**
     * @param value an origin, {@code scheme://host[:port]} (no path), in any case
     * @return it, normalized, or null if it is none (for instance the opaque origin {@code null})
     */
    public static Origin parseOrigin(final String value) {
        final String v = value.trim().toLowerCase(Locale.ROOT);
        final int sep = v.indexOf("://");
        if (sep < 1) {
            return null;
        }
        final String scheme = v.substring(0, sep);
        for (int i = 0; i < scheme.length(); i++) {
            final char c = scheme.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
                return null;
            }
        }
        final String authority = v.substring(sep + 3);
        if (authority.isEmpty() || authority.indexOf('/') >= 0 || authority.indexOf('@') >= 0
                || authority.indexOf('?') >= 0 || authority.indexOf('#') >= 0) {
            return null;
        }
        final HostPort hp = parseHostHeader(authority);
        if (hp == null || authority.endsWith(":")) {
            return null;
        }
        final int port = hp.port() >= 0 ? hp.port() : defaultPort(scheme);
        return port < 0 ? null : new Origin(scheme, hp.host(), port);
    }

    /** @return 80 for http and ws, 443 for https and wss, -1 otherwise */
    public static int defaultPort(final String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    /**
     * Whether {@code origin} is the server's own: the origin of a page the server itself served under
     * the {@code Host} of this request (the scheme is not compared: behind a TLS proxy the server
     * does not know it).
     */
    public static boolean isSameOrigin(final Origin origin, final HostPort host) {
        if (!origin.host().equals(host.host())) {
            return false;
        }
        return host.port() < 0 ? origin.port() == defaultPort(origin.scheme()) : origin.port() == host.port();
    }

    /** @return {@code host} with brackets if it is a bare IPv6 address */
    public static String bracketIfIpv6(final String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static int parsePort(final String digits) {
        if (digits.length() > 5) {
            return -1;
        }
        int port = 0;
        for (int i = 0; i < digits.length(); i++) {
            final char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535 ? port : -1;
    }

    private static boolean isHexDigit(final char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }
}
