/**
 * Micrometer meter binders for a FLIN runtime: {@code FlinRuntimeMetrics} (the runtime's
 * counters), {@code FlinAgentMetrics} (handler times and named agents' mailbox depths) and
 * {@code FlinHttpServerMetrics} (runtime-http's server counters, which needs runtime-http at run
 * time; without it the other two work alone).
 */
@SuppressWarnings("requires-transitive-automatic") // Micrometer has no module-info; its types are in this API
module dev.flin.micrometer {
    requires transitive dev.flin.runtime.core;
    // Micrometer ships no module-info; its jar names its automatic module.
    requires transitive micrometer.core;
    // Optional: only FlinHttpServerMetrics reads the HTTP server's stats.
    requires static transitive dev.flin.http;

    exports dev.flin.micrometer;
}
