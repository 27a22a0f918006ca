package dev.flin.http;

/**
 * The Netty transport: {@link #AUTO} takes native epoll where it loads, NIO otherwise;
 * {@link #EPOLL} fails the start with an {@link IllegalStateException} naming why epoll did not
 * load.
 */
public enum Transport {
    AUTO,
    EPOLL,
    NIO
}
