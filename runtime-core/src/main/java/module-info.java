/**
 * The FLIN runtime on LMAX Disruptor mailboxes. Exports only {@code dev.flin.runtime.core}
 * (the runtime, its options, dispatchers and idle strategies); everything else is internal.
 */
module dev.flin.runtime.core {
    requires transitive dev.flin.runtime.api;
    requires com.lmax.disruptor;
    requires org.slf4j;

    exports dev.flin.runtime.core;
}
