package dev.flin.conformance.http;

import dev.flin.http.HandlerMode;

/** The HTTP kit against runtime-http with one agent per request, agents running on the server's event loops. */
class EventLoopHttpConformanceVerification extends HttpConformanceKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST, true);
    }
}
