/** A runnable tour of the FLIN runtime. */
module dev.flin.examples {
    requires transitive dev.flin.runtime.core; // its public types use the API's
    exports dev.flin.examples;
}
