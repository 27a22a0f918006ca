package dev.flin.http.internal;

import dev.flin.http.HttpServerConfig;
import java.util.Map;

/** Flags and environment to {@link HttpServerConfig}. Not API. TODO(helper A): implement. */
public final class ConfigParser {

    private ConfigParser() {
    }

    public static HttpServerConfig parse(final HttpServerConfig base, final String[] args, final Map<String, String> env) {
        throw new UnsupportedOperationException("not yet implemented");
    }

    public static String describe(final HttpServerConfig config) {
        return config.toString();
    }
}
