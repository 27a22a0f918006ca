package dev.flin.conformance.http;

import dev.flin.http.HandlerMode;

/** The HTTP kit against runtime-http with one handler agent per request. */
class PerRequestHttpConformanceVerification extends HttpConformanceKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST);
    }
}
