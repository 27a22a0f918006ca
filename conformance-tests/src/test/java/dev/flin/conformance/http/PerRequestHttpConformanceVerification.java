package dev.flin.conformance.http;

import dev.flin.conformance.ConformanceClaim;
import dev.flin.conformance.Profile;

import dev.flin.http.HandlerMode;

/** The HTTP kit against runtime-http with one handler agent per request. */
@ConformanceClaim(implementation = "runtime-core and runtime-http", profile = Profile.CORE_AND_HTTP)
class PerRequestHttpConformanceVerification extends HttpConformanceKit {

    @Override
    public HttpFixtureProvider httpProvider() {
        return limits -> RuntimeHttpFixture.start(limits, HandlerMode.PER_REQUEST);
    }
}
