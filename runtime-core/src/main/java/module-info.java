/**
 * The FLIN runtime on LMAX Disruptor mailboxes. Exports {@code dev.flin.runtime.core} (the runtime,
 * its options, the dispatcher factories) and {@code dev.flin.runtime.core.spi} (the dispatcher SPI:
 * {@code Dispatcher}, {@code IdleStrategy}, {@code TimerWheel}) and {@code dev.flin.runtime.core.config}
 * (the settings registry: flags, properties, environment, a file); everything else is internal.
 */
module dev.flin.runtime.core {
    requires transitive dev.flin.runtime.api;
    requires com.lmax.disruptor;
    requires org.slf4j;
    requires jdk.jfr; // the runtime's Flight Recorder events (internal.FlightEvents), off by default

    exports dev.flin.runtime.core;
    exports dev.flin.runtime.core.spi;
    exports dev.flin.runtime.core.config;
}
