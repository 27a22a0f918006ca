package dev.flin.http;

import io.netty.channel.epoll.Epoll;

/**
 * The Netty transport: {@link #AUTO} takes native epoll where it loads, NIO otherwise;
 * {@link #EPOLL} fails the start with an {@link IllegalStateException} naming why epoll did not
 * load.
 */
public enum Transport {
    AUTO,
    EPOLL,
    NIO;

    /**
     * @return {@link #EPOLL} or {@link #NIO}: what this choice means on this machine
     * @throws IllegalStateException if this is {@link #EPOLL} and native epoll does not load, naming why
     */
    public Transport resolve() {
        return switch (this) {
            case NIO -> NIO;
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("transport EPOLL was requested but native epoll is not available: "
                            + Epoll.unavailabilityCause(), Epoll.unavailabilityCause());
                }
                yield EPOLL;
            }
        };
    }
}
