package dev.flin.conformance.http;

import dev.flin.http.HandlerMode;

/** The Autobahn cases against runtime-http's echo endpoint, with the agents on the server's event loops. */
class EventLoopWebSocketCaseVerification extends WebSocketCaseKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST, true);
    }
}
