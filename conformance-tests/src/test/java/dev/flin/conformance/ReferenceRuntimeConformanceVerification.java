package dev.flin.conformance;

import dev.flin.runtime.core.FlinRuntime;

/** Runs the kit against runtime-core, the reference runtime (worker-pool dispatcher, defaults). */
class ReferenceRuntimeConformanceVerification extends FlinConformanceKit {
    @Override
    public RuntimeProvider provider() {
        return FlinRuntime::create;
    }
}
