/** A runnable tour of the FLIN runtime. */
module dev.flin.examples {
    requires dev.flin.runtime.core;
    exports dev.flin.examples;
}
