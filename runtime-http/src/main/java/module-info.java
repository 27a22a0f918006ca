/**
 * FLIN over HTTP/1.1 and WebSocket on Netty: a router whose requests are each handled by an agent,
 * errors as HTTP statuses, background workers, and one agent per WebSocket connection. Exports
 * {@code dev.flin.http} (the server, its config, router, handlers, WebSocket endpoints and JSON) and
 * {@code dev.flin.http.core} ({@code EventLoopDispatcher}, which needs runtime-core); the server's
 * internals ({@code dev.flin.http.internal}) and the runnable demos ({@code dev.flin.http.examples})
 * are not exported.
 *
 * <p>On the module path, two modules are resolved only when named: runtime-core, which this module
 * requires statically ({@code --add-modules dev.flin.runtime.core}, or a module of yours that
 * requires it), and Netty's native epoll library ({@code --add-modules
 * io.netty.transport.epoll.linux.x86_64}); without the latter {@code Transport.AUTO} runs on NIO.
 */
module dev.flin.http {
    requires transitive dev.flin.runtime.api;
    // Optional: only dev.flin.http.core (EventLoopDispatcher implements its Dispatcher SPI) and the
    // demos use runtime-core; users bring the runtime they want.
    requires static transitive dev.flin.runtime.core;

    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport.classes.epoll;
    // HttpServer.Builder.ioLoops and EventLoopDispatcher.eventLoops take and give an EventLoopGroup.
    requires transitive io.netty.transport;
    // Json.mapper() gives the JsonMapper.
    requires transitive tools.jackson.databind;
    requires tools.jackson.core;
    requires org.slf4j;
    // HttpServerConfig reads the process's file-descriptor limit (com.sun.management).
    requires jdk.management;

    exports dev.flin.http;
    exports dev.flin.http.core;
}
