/**
 * {@link java.util.concurrent.Flow} for FLIN: a topic as a back-pressured
 * {@link java.util.concurrent.Flow.Publisher} ({@link dev.flin.flow.TopicPublisher}), so that
 * agents meet Reactor, RxJava, Mutiny and the JDK HTTP client's bodies. Depends on
 * {@code runtime-api} only: any FLIN runtime will do.
 */
module dev.flin.flow {
    requires transitive dev.flin.runtime.api;

    exports dev.flin.flow;
}
