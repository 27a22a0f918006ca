package dev.flin.conformance.http;

import dev.flin.conformance.ConformanceClaim;
import dev.flin.conformance.Profile;

import dev.flin.http.HandlerMode;

/** The Autobahn cases against runtime-http's echo endpoint, with the agents on the server's event loops. */
@ConformanceClaim(implementation = "runtime-core and runtime-http on event loops", profile = Profile.CORE_AND_HTTP)
class EventLoopWebSocketCaseVerification extends WebSocketCaseKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST, true);
    }
}
