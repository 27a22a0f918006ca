/**
 * {@link java.util.concurrent.Flow} for FLIN: a topic as a back-pressured
 * {@link java.util.concurrent.Flow.Publisher} ({@link dev.flin.flow.TopicPublisher}), and a
 * {@link java.util.concurrent.Flow.Subscriber} that feeds an agent within a bounded demand window
 * ({@link dev.flin.flow.AgentSubscriber}), so that agents meet Reactor, RxJava, Mutiny and the JDK
 * HTTP client's bodies. Depends on {@code runtime-api} only: any FLIN runtime will do.
 */
module dev.flin.flow {
    requires transitive dev.flin.runtime.api;

    exports dev.flin.flow;
}
