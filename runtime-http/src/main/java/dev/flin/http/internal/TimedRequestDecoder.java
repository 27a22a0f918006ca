package dev.flin.http.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Objects;

/**
 * Netty's request decoder, telling its {@link Listener} when bytes arrive and when the first byte
 * of a new request arrives, so that slow headers can be timed from that first byte (rule 9.9).
 *
 * <p>Why not {@code HttpServerCodec}: a request's first byte may arrive in the same read as the end
 * of the previous request, and once the decoder has consumed it nothing outside the decoder can
 * tell; only {@link #decode} sees where one request ends and the next begins. The response side is
 * a plain {@code HttpResponseEncoder}; HEAD responses are written without a body by
 * {@link HttpConnection}. Netty's WebSocket handshaker finds this decoder as an
 * {@link HttpRequestDecoder} and swaps it for its frame decoder.
 *
 * <p>Threading: event-loop confined, like every channel handler.
 */
final class TimedRequestDecoder extends HttpRequestDecoder {

    /** Told, on the event loop, about the decoder's progress. */
    interface Listener {
        /** Some bytes arrived (traffic, for the idle timeout). */
        void bytesReceived();

        /** The first byte of a new request arrived (starts the header timeout). */
        void requestStarted();
    }

    private final Listener listener;
    /** Between the first byte of a request and the end of its body. */
    private boolean inRequest;

    TimedRequestDecoder(final HttpDecoderConfig config, final Listener listener) {
        super(config);
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception {
        listener.bytesReceived();
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(final ChannelHandlerContext ctx, final ByteBuf buffer, final List<Object> out) throws Exception {
        if (!inRequest && startsRequest(buffer)) {
            inRequest = true;
            listener.requestStarted();
        }
        final int before = out.size();
        super.decode(ctx, buffer, out);
        for (int i = before; i < out.size(); i++) {
            if (out.get(i) instanceof LastHttpContent) {
                inRequest = false;
            }
        }
    }

    /** Line breaks between requests are skipped by the decoder and do not start a request. */
    private static boolean startsRequest(final ByteBuf buffer) {
        return buffer.isReadable() && buffer.forEachByte(b -> b == '\r' || b == '\n') >= 0;
    }
}
