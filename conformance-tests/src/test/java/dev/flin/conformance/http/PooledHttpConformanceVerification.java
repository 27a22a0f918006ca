package dev.flin.conformance.http;

import dev.flin.http.HandlerMode;

/** The HTTP kit against runtime-http with a pool of handler agents. */
class PooledHttpConformanceVerification extends HttpConformanceKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.POOL);
    }
}
