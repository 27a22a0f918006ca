package dev.flin.http.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flin.http.HttpServer;
import dev.flin.http.HttpServerConfig;
import dev.flin.runtime.AgentRuntime;
import dev.flin.runtime.core.FlinRuntime;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The echo example sends every text and binary message back as it came, on the port given on the command line. */
class EchoServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void shouldEchoTextAndBinaryMessagesAtSlashEcho() throws Exception {
        final HttpServerConfig config = dev.flin.http.core.HttpSettings.config(dev.flin.runtime.core.config.Settings.of("test",
                java.util.List.of(dev.flin.http.core.HttpSettings.group())).parse(new String[] {"--port", "0"}, Map.of(), Map.of()));
        try (AgentRuntime runtime = FlinRuntime.create()) {
            final HttpServer server = EchoService.start(runtime, config);
            try {
                final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
                final WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                        .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + EchoService.PATH), new Collect(received))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                ws.sendText("h\u00e9llo, echo", true).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals("h\u00e9llo, echo", received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
                ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}), true)
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(ByteBuffer.wrap(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF}),
                        received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS), "binary comes back binary, byte for byte");
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertEquals(WebSocket.NORMAL_CLOSURE, received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                        "the close is answered with the same status");
            } finally {
                assertTrue(server.shutdown(Duration.ofSeconds(10)));
            }
        }
    }

    /** Collects whole text messages (String), binary messages (ByteBuffer) and the close status (Integer). */
    private static final class Collect implements WebSocket.Listener {
        private final BlockingQueue<Object> received;
        private final StringBuilder text = new StringBuilder();
        private final java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

        Collect(final BlockingQueue<Object> received) {
            this.received = received;
        }

        @Override
        public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data, final boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(final WebSocket webSocket, final ByteBuffer data, final boolean last) {
            final byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(ByteBuffer.wrap(binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode, final String reason) {
            received.add(statusCode);
            return null;
        }
    }
}
