package dev.flin.conformance.http;

/**
 * Starts a fresh {@link HttpFixture} for one kit check.
 *
 * <p>Threading: called from the kit's test thread, once per check.
 */
@FunctionalInterface
public interface HttpFixtureProvider {

    /**
     * @param limits the limits to configure the server with
     * @return the running fixture, bound to a loopback port
     * @throws Exception if it cannot start (the check fails)
     */
    HttpFixture start(HttpKitLimits limits) throws Exception;
}
