package dev.flin.http;

/** The Netty transport: {@link #AUTO} takes native epoll where it loads, NIO otherwise. */
public enum Transport {
    AUTO,
    EPOLL,
    NIO
}
