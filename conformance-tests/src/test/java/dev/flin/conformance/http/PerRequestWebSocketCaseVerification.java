package dev.flin.conformance.http;

import dev.flin.conformance.ConformanceClaim;
import dev.flin.conformance.Profile;

import dev.flin.http.HandlerMode;

/** The Autobahn cases against runtime-http's echo endpoint, with agents on the runtime's own threads. */
@ConformanceClaim(implementation = "runtime-core and runtime-http", profile = Profile.CORE_AND_HTTP)
class PerRequestWebSocketCaseVerification extends WebSocketCaseKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST);
    }
}
