package dev.flin.conformance.http;

import dev.flin.http.HandlerMode;

/** The Autobahn cases against runtime-http's echo endpoint, with agents on the runtime's own threads. */
class PerRequestWebSocketCaseVerification extends WebSocketCaseKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST);
    }
}
