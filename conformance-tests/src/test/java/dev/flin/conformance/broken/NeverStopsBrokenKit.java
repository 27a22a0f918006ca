package dev.flin.conformance.broken;

import dev.flin.conformance.FlinConformanceKit;
import dev.flin.conformance.RuntimeProvider;
import dev.flin.runtime.core.FlinRuntime;

/**
 * The kit, with its default timeouts, against {@link BrokenRuntimes.NeverStops}: must fail. Not run by
 * the normal build (Surefire's includes match no class named {@code ...BrokenKit});
 * run it alone to time the kit on a badly broken runtime, or through {@code BrokenRuntimeRunTest}.
 */
public class NeverStopsBrokenKit extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return () -> new BrokenRuntimes.NeverStops(FlinRuntime.create());
    }
}
